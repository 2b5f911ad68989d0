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

/** One row per range of General MIDI programs (0-based, both ends included). */
type Row = [
  from: number,
  to: number,
  family: Family,
  low: number,
  high: number,
  chordFloor: number,
  sustained: boolean,
  pedal: boolean,
];

// from, to, family, low, high, chord floor, sustained, pedal
const ROWS: readonly Row[] = [
  [0, 7, 'keys', 60, 88, 45, false, true],
  [8, 8, 'mallets', 72, 96, 60, false, false],
  [9, 10, 'mallets', 76, 100, 64, false, false],
  [11, 11, 'mallets', 62, 89, 53, false, true],
  [12, 15, 'mallets', 60, 88, 53, false, false],
  [16, 23, 'organ', 60, 84, 48, true, false],
  [24, 31, 'guitar', 57, 81, 45, false, false],
  [32, 39, 'bass', 40, 64, 40, false, false],
  [40, 40, 'strings', 64, 91, 55, true, false],
  [41, 41, 'strings', 57, 84, 48, true, false],
  [42, 42, 'strings', 57, 81, 43, true, false],
  [43, 43, 'strings', 43, 64, 36, true, false],
  [44, 45, 'strings', 60, 86, 48, false, false],
  [46, 46, 'strings', 60, 91, 43, false, true],
  [47, 47, 'strings', 48, 72, 40, false, false],
  [48, 51, 'strings', 60, 88, 48, true, false],
  [52, 54, 'voice', 60, 79, 48, true, false],
  [55, 55, 'brass', 60, 84, 48, false, false],
  [56, 56, 'brass', 60, 82, 52, true, false],
  [57, 58, 'brass', 53, 74, 40, true, false],
  [59, 59, 'brass', 60, 80, 52, true, false],
  [60, 60, 'brass', 57, 79, 45, true, false],
  [61, 63, 'brass', 58, 82, 48, true, false],
  [64, 64, 'reed', 62, 86, 55, true, false],
  [65, 65, 'reed', 60, 81, 50, true, false],
  [66, 67, 'reed', 53, 77, 43, true, false],
  [68, 69, 'reed', 62, 86, 52, true, false],
  [70, 70, 'reed', 46, 72, 40, true, false],
  [71, 71, 'reed', 58, 86, 50, true, false],
  [72, 72, 'pipe', 74, 100, 62, true, false],
  [73, 73, 'pipe', 67, 93, 55, true, false],
  [74, 79, 'pipe', 69, 93, 55, true, false],
  [80, 87, 'synth-lead', 60, 86, 48, true, false],
  [88, 95, 'synth-pad', 60, 84, 48, true, false],
  [96, 103, 'synth-pad', 60, 86, 48, true, false],
  [104, 109, 'ethnic', 57, 84, 48, false, false],
  [110, 111, 'ethnic', 62, 88, 52, true, false],
  [112, 127, 'mallets', 60, 84, 48, false, false],
];

const BY_PROGRAM = ROWS.map(
  ([from, to, family, low, high, chordFloor, sustained, pedal]) =>
    [from, to, { family, low, high, chordFloor, sustained, pedal }] as const,
);

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
