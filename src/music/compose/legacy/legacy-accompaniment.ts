import type { Rng } from '../../random.js';
import { TICKS_PER_BEAT, type ScoreNote } from '../score.js';
import {
  clampVelocity,
  EIGHTH,
  EIGHTHS_PER_BAR,
  parseCells,
  sectionVelocity,
  type Cell,
  type PartContext,
} from './legacy-common.js';
import {
  bassPitch,
  chordAtBar,
  scaleNeighbour,
  voiceTriad,
  type ChordSlot,
  type KeyContext,
} from './legacy-harmony.js';
import type { LegacySectionName, LegacyStyle } from './legacy-plan.js';

// ---------------------------------------------------------------------------------------------
// Accompaniment

type BassTone = 'root' | 'fifth' | 'octave';
type BassPattern = readonly (readonly [onset: number, duration: number, tone: BassTone])[];

/** Bass bars as "onset:duration:tone" in eighth notes, tone r(oot), f(ifth) or o(ctave). */
function parseBass(patterns: readonly string[]): BassPattern[] {
  const tones: Record<string, BassTone> = { r: 'root', f: 'fifth', o: 'octave' };
  return patterns.map((pattern) =>
    pattern.split(' ').map((triple) => {
      const [onset = '0', duration = '1', tone = 'r'] = triple.split(':');
      return [Number(onset), Number(duration), tones[tone] ?? 'root'] as const;
    }),
  );
}

const BASS_PATTERNS: Record<LegacyStyle, readonly BassPattern[]> = {
  ambient: parseBass(['0:8:r']),
  'pop-ballad': parseBass(['0:6:r 6:2:f', '0:4:r 4:4:f', '0:3:r 3:1:r 4:4:o']),
  upbeat: parseBass([
    '0:1:r 1:1:r 2:1:r 3:1:r 4:1:r 5:1:r 6:1:o 7:1:r',
    '0:2:r 2:1:r 3:1:f 4:2:r 6:1:o 7:1:r',
    '0:3:r 3:3:r 6:2:f',
  ]),
  'lo-fi': parseBass(['0:3:r 3:1:r 6:2:f', '0:4:r 5:1:f 6:2:o', '0:3:r 3:3:f 6:2:r']),
  cinematic: parseBass(['0:8:r']),
  folk: parseBass(['0:4:r 4:4:f', '0:3:r 3:1:f 4:4:f', '0:4:r 4:2:f 6:2:o']),
  'piano-solo': parseBass(['0:8:r', '0:4:r 4:4:f']),
  // Jazz walks in quarters (walkingBar below); the pattern only sets the note lengths.
  jazz: parseBass(['0:2:r 2:2:r 4:2:r 6:2:r']),
};
/** Styles whose bass holds each chord's root instead of playing a pattern. */
const HELD_BASS: ReadonlySet<LegacyStyle> = new Set<LegacyStyle>(['ambient', 'cinematic']);

/**
 * A walking-bass bar in quarters: root, a chord tone, the fifth, then a scale step that leads
 * into the next chord's root (in key, so the line stays diatonic).
 */
function walkingBar(ctx: KeyContext, chord: ChordSlot, next: ChordSlot, rng: Rng): number[] {
  const root = bassPitch(chord.rootPc);
  const third = root + (((chord.pcs[1] ?? chord.rootPc) - chord.rootPc + 12) % 12);
  const fifth = root + (((chord.pcs[2] ?? chord.rootPc + 7) - chord.rootPc + 12) % 12);
  const target = bassPitch(next.rootPc);
  const approach = target + scaleNeighbour(ctx, next.rootPc, target > root ? -1 : 1);
  const second = rng.chance(0.5) ? third : root + scaleNeighbour(ctx, chord.rootPc, 1);
  return [root, second, rng.chance(0.7) ? fifth : third, approach];
}

export function composeBass(part: PartContext, rng: Rng): ScoreNote[] {
  const { plan, ctx, slots, barTicks } = part;
  const notes: ScoreNote[] = [];
  const patternFor = new Map<LegacySectionName, BassPattern>();
  for (const section of plan.form.sections) {
    patternFor.set(section.name, rng.pick(BASS_PATTERNS[plan.style]));
  }
  for (const section of plan.form.sections) {
    const pattern = patternFor.get(section.name) ?? [[0, 8, 'root'] as const];
    for (let bar = section.startBar; bar < section.startBar + section.bars; bar++) {
      const chord = chordAtBar(slots, bar);
      const root = bassPitch(chord.rootPc);
      // The chord's own fifth (diminished in a diminished triad), so the bass stays in key.
      const fifth = ((chord.pcs[2] ?? chord.rootPc + 7) - chord.rootPc + 12) % 12;
      const velocity = sectionVelocity(section, 70, 30);
      const isLastBar = bar === plan.form.bars - 1 && !plan.form.loop;
      if (isLastBar || HELD_BASS.has(plan.style) || section.name === 'intro') {
        // Ambient and intro bass holds the root through the whole chord.
        if (bar !== chord.startBar && !isLastBar) continue;
        const length = isLastBar ? 1 : chord.bars;
        notes.push({
          tick: bar * barTicks,
          duration: length * barTicks,
          pitch: root,
          velocity: clampVelocity(velocity),
        });
        continue;
      }
      const next = chordAtBar(slots, (bar + 1) % plan.form.bars);
      if (plan.style === 'jazz') {
        walkingBar(ctx, chord, next, rng).forEach((pitch, beat) =>
          notes.push({
            tick: bar * barTicks + beat * TICKS_PER_BEAT,
            duration: Math.round(TICKS_PER_BEAT * 0.85),
            pitch,
            velocity: clampVelocity(velocity + (beat % 2 === 0 ? 4 : 0) + rng.int(-3, 3)),
          }),
        );
        continue;
      }
      pattern.forEach(([onset, length, tone], j) => {
        let pitch = tone === 'root' ? root : tone === 'fifth' ? root + fifth : root + 12;
        const isLast = j === pattern.length - 1;
        // Walk into a chord change from the scale step above or below, as bass players do.
        if (isLast && onset >= 6 && next.rootPc !== chord.rootPc && rng.chance(0.4)) {
          const target = bassPitch(next.rootPc);
          pitch = target + scaleNeighbour(ctx, next.rootPc, rng.chance(0.5) ? -1 : 1);
        }
        const note = {
          tick: bar * barTicks + onset * EIGHTH,
          duration: Math.round(length * EIGHTH * 0.92),
          pitch,
          velocity: clampVelocity(velocity + (onset === 0 ? 6 : 0) + rng.int(-3, 3)),
        };
        notes.push(note);
        // A pianist's left hand: the bass note doubled an octave up on the downbeat.
        if (plan.style === 'piano-solo' && onset === 0) notes.push({ ...note, pitch: pitch + 12 });
      });
    }
  }
  return notes;
}

const ARPEGGIOS: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 1, 2, 3, 2],
  [0, 2, 1, 3, 0, 2, 1, 3],
  [0, 1, 2, 1, 3, 1, 2, 1],
];
const STABS: readonly Cell[] = parseCells(['0:2 3:1 4:2 6:2', '1:1 3:1 5:1 7:1', '0:3 3:3 6:2']);

/** Finger-picking (Travis style): indexes into [root, fifth, triad low, mid, high], in eighths. */
const PICKING: readonly (readonly number[])[] = [
  [0, 3, 1, 2, 0, 4, 1, 3],
  [0, 2, 3, 4, 1, 2, 3, 4],
  [0, 4, 1, 3, 0, 4, 1, 2],
];
/** Left-hand broken chords for solo piano (Alberti and rolling figures), indexes into the voicing. */
const BROKEN: readonly (readonly number[])[] = [
  [0, 2, 1, 2, 0, 2, 1, 2],
  [0, 1, 2, 3, 2, 1, 0, 1],
  [0, 2, 3, 2, 1, 2, 3, 2],
];
/** Jazz comping: short chord jabs, the Charleston and its neighbours. */
const COMPING: readonly Cell[] = parseCells([
  '0:1 3:1',
  '1:1 5:2',
  '0:2 5:1',
  '3:1 6:1',
  '2:1 7:1',
]);
/** Lo-fi Rhodes: a held chord, pushed or re-struck before beat three. */
const RHODES: readonly Cell[] = parseCells(['0:3 3:5', '0:6 6:2', '0:8', '0:2 3:5']);

export function composeChords(part: PartContext, rng: Rng): ScoreNote[] {
  const { plan, slots, barTicks } = part;
  const notes: ScoreNote[] = [];
  const arpeggio = rng.pick(ARPEGGIOS);
  const stabs = rng.pick(STABS);
  const picking = rng.pick(PICKING);
  const broken = rng.pick(BROKEN);
  const rhodes = rng.pick(RHODES);
  const push = (tick: number, duration: number, pitch: number, velocity: number): void => {
    notes.push({ tick, duration, pitch, velocity: clampVelocity(velocity) });
  };
  let previous: number[] | undefined;
  for (const slot of slots) {
    const triad = voiceTriad(slot.pcs, previous, 55);
    previous = triad;
    const low = 48 + ((((slot.rootPc - 48) % 12) + 12) % 12); // root under the triad, C3..B3
    const fifthAbove = (((slot.pcs[2] ?? slot.rootPc + 7) - slot.rootPc + 12) % 12) + low;
    const velocity = sectionVelocity(slot.section, 48, 32);
    const calm = slot.section.name === 'intro' || slot.section.energy < 0.6;
    for (let bar = slot.startBar; bar < slot.startBar + slot.bars; bar++) {
      const barStart = bar * barTicks;
      const lastBar = bar === plan.form.bars - 1 && !plan.form.loop;
      const sustained = plan.style === 'ambient' || (plan.style === 'cinematic' && calm);
      if (sustained || lastBar) {
        if (bar !== slot.startBar && !lastBar) continue;
        const length = lastBar ? barTicks : slot.bars * barTicks;
        for (const pitch of [low, ...triad]) push(barStart, length, pitch, velocity);
        continue;
      }
      switch (plan.style) {
        case 'pop-ballad': {
          // Broken chord in eighths, each note left ringing to the half bar like a held pedal.
          const voices = [low, ...triad];
          arpeggio.forEach((voice, step) => {
            const tick = barStart + step * EIGHTH;
            const halfEnd = barStart + (step < 4 ? 4 : 8) * EIGHTH;
            push(
              tick,
              Math.max(EIGHTH, halfEnd - tick),
              voices[voice] ?? low,
              velocity + (step % 4 === 0 ? 8 : 0) + rng.int(-4, 4),
            );
          });
          break;
        }
        case 'folk': {
          const voices = [low - 12, fifthAbove - 12, ...triad];
          picking.forEach((voice, step) => {
            push(
              barStart + step * EIGHTH,
              EIGHTH * 2,
              voices[voice] ?? low,
              velocity + (voice < 2 ? 6 : 0) + rng.int(-5, 5),
            );
          });
          break;
        }
        case 'piano-solo': {
          const voices = [...triad, (triad[0] ?? low) + 12];
          broken.forEach((voice, step) => {
            push(
              barStart + step * EIGHTH,
              EIGHTH * 2,
              voices[voice] ?? low,
              velocity - 8 + (step % 4 === 0 ? 6 : 0) + rng.int(-4, 4),
            );
          });
          break;
        }
        case 'cinematic': {
          // String ostinato: the voicing re-bowed on every quarter (eighths when it is loud).
          const step = slot.section.energy >= 0.72 ? 1 : 2;
          for (let e = 0; e < EIGHTHS_PER_BAR; e += step) {
            for (const pitch of [low, ...triad]) {
              push(
                barStart + e * EIGHTH,
                step * EIGHTH - 10,
                pitch,
                velocity + (e % 4 === 0 ? 8 : 0),
              );
            }
          }
          break;
        }
        case 'lo-fi': {
          for (const [onset, length] of rhodes) {
            for (const pitch of triad) {
              push(
                barStart + onset * EIGHTH,
                length * EIGHTH - 20,
                pitch,
                velocity - 6 + rng.int(-4, 4),
              );
            }
          }
          break;
        }
        case 'jazz': {
          for (const [onset, length] of rng.pick(COMPING)) {
            for (const pitch of triad) {
              push(
                barStart + onset * EIGHTH,
                Math.round(length * EIGHTH * 0.7),
                pitch,
                velocity + rng.int(-6, 6),
              );
            }
          }
          break;
        }
        default: {
          for (const [onset, length] of stabs) {
            for (const pitch of triad) {
              push(
                barStart + onset * EIGHTH,
                Math.round(length * EIGHTH * 0.8),
                pitch,
                velocity + (onset % 2 === 1 ? 6 : 0) + rng.int(-3, 3),
              );
            }
          }
        }
      }
    }
  }
  return notes;
}

export function composePad(part: PartContext): ScoreNote[] {
  const { plan, slots, barTicks } = part;
  const notes: ScoreNote[] = [];
  let previous: number[] | undefined;
  for (const slot of slots) {
    const { section } = slot;
    if (section.energy < 0.65 && section.name !== 'outro') {
      previous = undefined;
      continue;
    }
    const voicing = voiceTriad(slot.pcs, previous, 60);
    previous = voicing;
    const ticks = Math.min(slot.bars, plan.form.bars - slot.startBar) * barTicks;
    for (const pitch of voicing) {
      notes.push({
        tick: slot.startBar * barTicks,
        duration: ticks,
        pitch,
        velocity: clampVelocity(sectionVelocity(section, 40, 30)),
      });
    }
  }
  return notes;
}
