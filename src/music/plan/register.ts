import type { GmInstrument } from './instruments.js';

/**
 * Where each General MIDI instrument sings and where it can accompany: the melody is placed in
 * its lead's singing register (so a vibraphone tune sits around G4–C6, not under the chords), and
 * the accompaniment is voiced between its floor and the melody. Ranges are sounding pitches,
 * the comfortable middle of each instrument rather than its extremes.
 */

export type Family =
  | 'keys'
  | 'mallets'
  | 'organ'
  | 'guitar'
  | 'bass'
  | 'strings'
  | 'voice'
  | 'brass'
  | 'reed'
  | 'pipe'
  | 'synth-lead'
  | 'synth-pad'
  | 'ethnic';

export interface Register {
  family: Family;
  /** Singing register for a tune. */
  low: number;
  high: number;
  /** Lowest note worth voicing a chord on. */
  chordFloor: number;
  /** The part sustains (swells make sense) rather than decays. */
  sustained: boolean;
  /** Struck or plucked with a damper pedal (piano, harp, electric piano, vibraphone). */
  pedal: boolean;
}

const BY_PROGRAM: readonly [from: number, to: number, register: Register][] = [
  [0, 7, { family: 'keys', low: 60, high: 88, chordFloor: 45, sustained: false, pedal: true }],
  [8, 8, { family: 'mallets', low: 72, high: 96, chordFloor: 60, sustained: false, pedal: false }],
  [
    9,
    10,
    { family: 'mallets', low: 76, high: 100, chordFloor: 64, sustained: false, pedal: false },
  ],
  [11, 11, { family: 'mallets', low: 62, high: 89, chordFloor: 53, sustained: false, pedal: true }],
  [
    12,
    15,
    { family: 'mallets', low: 60, high: 88, chordFloor: 53, sustained: false, pedal: false },
  ],
  [16, 23, { family: 'organ', low: 60, high: 84, chordFloor: 48, sustained: true, pedal: false }],
  [24, 31, { family: 'guitar', low: 57, high: 81, chordFloor: 45, sustained: false, pedal: false }],
  [32, 39, { family: 'bass', low: 40, high: 64, chordFloor: 40, sustained: false, pedal: false }],
  [40, 40, { family: 'strings', low: 64, high: 91, chordFloor: 55, sustained: true, pedal: false }],
  [41, 41, { family: 'strings', low: 57, high: 84, chordFloor: 48, sustained: true, pedal: false }],
  [42, 42, { family: 'strings', low: 57, high: 81, chordFloor: 43, sustained: true, pedal: false }],
  [43, 43, { family: 'strings', low: 43, high: 64, chordFloor: 36, sustained: true, pedal: false }],
  [
    44,
    45,
    { family: 'strings', low: 60, high: 86, chordFloor: 48, sustained: false, pedal: false },
  ],
  [46, 46, { family: 'strings', low: 60, high: 91, chordFloor: 43, sustained: false, pedal: true }],
  [
    47,
    47,
    { family: 'strings', low: 48, high: 72, chordFloor: 40, sustained: false, pedal: false },
  ],
  [48, 51, { family: 'strings', low: 60, high: 88, chordFloor: 48, sustained: true, pedal: false }],
  [52, 54, { family: 'voice', low: 60, high: 79, chordFloor: 48, sustained: true, pedal: false }],
  [55, 55, { family: 'brass', low: 60, high: 84, chordFloor: 48, sustained: false, pedal: false }],
  [56, 56, { family: 'brass', low: 60, high: 82, chordFloor: 52, sustained: true, pedal: false }],
  [57, 58, { family: 'brass', low: 53, high: 74, chordFloor: 40, sustained: true, pedal: false }],
  [59, 59, { family: 'brass', low: 60, high: 80, chordFloor: 52, sustained: true, pedal: false }],
  [60, 60, { family: 'brass', low: 57, high: 79, chordFloor: 45, sustained: true, pedal: false }],
  [61, 63, { family: 'brass', low: 58, high: 82, chordFloor: 48, sustained: true, pedal: false }],
  [64, 64, { family: 'reed', low: 62, high: 86, chordFloor: 55, sustained: true, pedal: false }],
  [65, 65, { family: 'reed', low: 60, high: 81, chordFloor: 50, sustained: true, pedal: false }],
  [66, 67, { family: 'reed', low: 53, high: 77, chordFloor: 43, sustained: true, pedal: false }],
  [68, 69, { family: 'reed', low: 62, high: 86, chordFloor: 52, sustained: true, pedal: false }],
  [70, 70, { family: 'reed', low: 46, high: 72, chordFloor: 40, sustained: true, pedal: false }],
  [71, 71, { family: 'reed', low: 58, high: 86, chordFloor: 50, sustained: true, pedal: false }],
  [72, 72, { family: 'pipe', low: 74, high: 100, chordFloor: 62, sustained: true, pedal: false }],
  [73, 73, { family: 'pipe', low: 67, high: 93, chordFloor: 55, sustained: true, pedal: false }],
  [74, 79, { family: 'pipe', low: 69, high: 93, chordFloor: 55, sustained: true, pedal: false }],
  [
    80,
    87,
    { family: 'synth-lead', low: 60, high: 86, chordFloor: 48, sustained: true, pedal: false },
  ],
  [
    88,
    95,
    { family: 'synth-pad', low: 60, high: 84, chordFloor: 48, sustained: true, pedal: false },
  ],
  [
    96,
    103,
    { family: 'synth-pad', low: 60, high: 86, chordFloor: 48, sustained: true, pedal: false },
  ],
  [
    104,
    109,
    { family: 'ethnic', low: 57, high: 84, chordFloor: 48, sustained: false, pedal: false },
  ],
  [
    110,
    111,
    { family: 'ethnic', low: 62, high: 88, chordFloor: 52, sustained: true, pedal: false },
  ],
  [
    112,
    127,
    { family: 'mallets', low: 60, high: 84, chordFloor: 48, sustained: false, pedal: false },
  ],
];

export function registerOf(instrument: Pick<GmInstrument, 'program'>): Register {
  const found = BY_PROGRAM.find(
    ([from, to]) => instrument.program >= from && instrument.program <= to,
  );
  return (
    found?.[2] ?? {
      family: 'keys',
      low: 60,
      high: 84,
      chordFloor: 48,
      sustained: false,
      pedal: false,
    }
  );
}

/** Below this the accompaniment of a piano solo's own melody stays: the left hand under C4. */
export const LEFT_HAND_CEILING = 59;

/**
 * The melody's home tonic and singing range: the octave of the tonic that lets the tune move from
 * a fourth below home to a tenth above inside the lead's register. When one instrument plays both
 * the tune and its accompaniment (a piano solo), the tune keeps above the left hand.
 */
export function melodyRegister(
  tonicPc: number,
  lead: Pick<GmInstrument, 'program'>,
  sharesInstrumentWithChords: boolean,
): { home: number; low: number; high: number } {
  const register = registerOf(lead);
  const low = sharesInstrumentWithChords
    ? Math.max(register.low, LEFT_HAND_CEILING + 5)
    : register.low;
  const high = register.high;
  const centre = (low + high) / 2;
  let best = { home: 60 + tonicPc, cost: Infinity };
  for (let home = tonicPc + 24; home <= tonicPc + 96; home += 12) {
    const cost =
      4 * Math.max(0, low - (home - 4)) +
      4 * Math.max(0, home + 15 - high) +
      Math.abs(home + 5 - centre) * 0.1;
    if (cost < best.cost) best = { home, cost };
  }
  return {
    home: best.home,
    low: Math.max(low, best.home - 5),
    high: Math.min(high, best.home + 17),
  };
}
