import type { Rng } from '../random.js';
import type { BassFigure } from '../styles/style-composition.js';
import { mod12, scalePcs, type Chord, type KeyInfo } from './chord.js';
import { chordAt, type ChordSlot } from './harmony-plan.js';
import { EIGHTH, type Meter } from './meter.js';
import type { ScoreNote } from './score.js';
import { bassPitch } from './voicing.js';

/**
 * The bass line: the chord's bass note on the downbeat, then the figure its section plays
 * (held roots, root–fifth, driving octaves, a walking line, a waltz's "oom"), leading into each
 * chord change by a scale step where the figure leaves room.
 */

type Tone = 'root' | 'fifth' | 'octave' | 'approach' | 'third';
interface BassEvent {
  at: number;
  len: number;
  tone: Tone;
  accent: number;
}

const b = (at: number, len: number, tone: Tone, accent = 0): BassEvent => ({
  at,
  len,
  tone,
  accent,
});

function figureBars(figure: BassFigure, meter: Meter): readonly (readonly BassEvent[])[] {
  const m = meter.name;
  const whole = meter.eighths;
  switch (figure) {
    case 'hold':
      return [[b(0, whole, 'root', 4)]];
    case 'roots':
      return m === '4/4'
        ? [[b(0, 6, 'root', 6), b(6, 2, 'approach')], [b(0, 8, 'root', 6)]]
        : [[b(0, whole, 'root', 6)]];
    case 'root-fifth':
      return m === '4/4'
        ? [
            [b(0, 4, 'root', 6), b(4, 4, 'fifth')],
            [b(0, 3, 'root', 6), b(3, 1, 'root'), b(4, 3, 'fifth'), b(7, 1, 'approach')],
          ]
        : m === '6/8'
          ? [[b(0, 3, 'root', 6), b(3, 3, 'fifth')]]
          : [[b(0, 4, 'root', 6), b(4, 2, 'fifth')]];
    case 'octaves':
      return m === '4/4'
        ? [
            Array.from({ length: 8 }, (_, i) =>
              b(i, 0.8, i % 2 === 1 ? 'octave' : 'root', i % 4 === 0 ? 6 : 0),
            ),
          ]
        : [
            Array.from({ length: 6 }, (_, i) =>
              b(i, 0.8, i % 2 === 1 ? 'octave' : 'root', i % 3 === 0 ? 6 : 0),
            ),
          ];
    case 'pulse':
      return m === '4/4'
        ? [
            Array.from({ length: 8 }, (_, i) => b(i, 0.85, 'root', i % 2 === 0 ? 6 : 0)),
            [
              b(0, 1.5, 'root', 6),
              b(1.5, 0.8, 'root'),
              b(3, 1, 'root'),
              b(4, 1.5, 'root', 4),
              b(5.5, 0.8, 'root'),
              b(6, 1, 'fifth'),
              b(7, 1, 'approach'),
            ],
          ]
        : [Array.from({ length: 6 }, (_, i) => b(i, 0.85, 'root', i % 3 === 0 ? 6 : 0))];
    case 'walking':
      return m === '4/4'
        ? [[b(0, 1.8, 'root', 6), b(2, 1.8, 'third'), b(4, 1.8, 'fifth', 3), b(6, 1.8, 'approach')]]
        : [[b(0, 1.8, 'root', 6), b(2, 1.8, 'fifth'), b(4, 1.8, 'approach')]];
    case 'syncopated':
      return m === '4/4'
        ? [
            [b(0, 3, 'root', 6), b(3, 1, 'root'), b(6, 2, 'fifth')],
            [b(0, 2.5, 'root', 6), b(3, 2, 'octave'), b(5, 1, 'fifth'), b(7, 1, 'approach')],
            [b(0, 4, 'root', 6), b(5, 1, 'fifth'), b(6, 2, 'octave')],
          ]
        : [[b(0, 3, 'root', 6), b(4, 1, 'fifth'), b(5, 1, 'approach')]];
    case 'oom-pah':
      return m === '4/4'
        ? [[b(0, 2, 'root', 6), b(4, 2, 'fifth', 3)]]
        : m === '6/8'
          ? [[b(0, 2, 'root', 6), b(3, 2, 'fifth', 3)]]
          : [[b(0, 2, 'root', 6)]];
  }
}

export interface BassSection {
  startTick: number;
  endTick: number;
  figure: BassFigure;
  level: number;
}

export interface BassInput {
  slots: readonly ChordSlot[];
  key: KeyInfo;
  meter: Meter;
  sections: readonly BassSection[];
  low: number;
  high: number;
  /** A piano left hand doubles the downbeat an octave up, up to this pitch. */
  octaveDoubling: boolean;
  doublingCeiling: number;
  finalTick: number;
}

function toneOf(chord: Chord, tone: Tone): number {
  const root = chord.bassPc;
  const fifth =
    chord.pcs.find((pc) => [6, 7, 8].includes(mod12(pc - chord.rootPc))) ?? mod12(chord.rootPc + 7);
  const third = chord.pcs.find((pc) => [3, 4].includes(mod12(pc - chord.rootPc))) ?? root;
  if (tone === 'fifth') return fifth;
  if (tone === 'third') return third;
  return root;
}

/** A scale step next to the next chord's bass note, from the side the line comes from. */
function approachPc(key: KeyInfo, target: number, fromBelow: boolean): number {
  const scale = scalePcs(key);
  for (let d = 1; d <= 2; d++) {
    const pc = mod12(target + (fromBelow ? -d : d));
    if (scale.includes(pc)) return pc;
  }
  return mod12(target + (fromBelow ? -1 : 1));
}

export function composeBass(input: BassInput, rng: Rng): ScoreNote[] {
  const { slots, meter } = input;
  const notes: ScoreNote[] = [];
  let last: number | undefined;
  for (const section of input.sections) {
    if (section.figure === 'hold') {
      // A held bass lasts the whole chord (or to the end of the section).
      for (const slot of slots) {
        const start = Math.max(slot.tick, section.startTick);
        const end = Math.min(slot.tick + slot.duration, section.endTick);
        if (end <= start || (slot.tick < section.startTick && start !== section.startTick))
          continue;
        const pitch = bassPitch(slot.chord.bassPc, input.low, input.high, last);
        notes.push({
          tick: start,
          duration: end - start,
          pitch,
          velocity: 66 + 26 * section.level + 4,
        });
        last = pitch;
      }
      continue;
    }
    const variants = figureBars(section.figure, meter);
    const variant = variants[rng.int(0, variants.length - 1)] ?? [];
    for (let barStart = section.startTick; barStart < section.endTick; barStart += meter.barTicks) {
      const isFinal = barStart + meter.barTicks >= input.finalTick;
      const events = isFinal ? [b(0, meter.eighths, 'root', 6)] : variant;
      let barRoot: number | undefined;
      for (const event of events) {
        const tick = barStart + Math.round(event.at * EIGHTH);
        const slot = chordAt(slots, tick);
        const next = chordAt(
          slots,
          Math.min(input.finalTick - 1, tick + Math.round(event.len * EIGHTH) + 1),
        );
        let pc: number;
        if (event.tone === 'approach') {
          if (next.tick === slot.tick) pc = toneOf(slot.chord, rng.chance(0.5) ? 'fifth' : 'root');
          else pc = approachPc(input.key, next.chord.bassPc, rng.chance(0.5));
        } else pc = toneOf(slot.chord, event.tone);
        let pitch = bassPitch(pc, input.low, input.high, last);
        if (event.tone === 'approach' && pitch === last) {
          // A walking line never stalls on its approach note: the neighbour on the other side.
          const target = bassPitch(next.chord.bassPc, input.low, input.high, last);
          pitch = bassPitch(
            approachPc(input.key, next.chord.bassPc, pitch > target),
            input.low,
            input.high,
            last,
          );
        }
        if (event.tone === 'octave') {
          // The octave of this bar's root, up while that stays in the bass's register.
          const root = barRoot ?? bassPitch(slot.chord.bassPc, input.low, input.high, last);
          pitch = root + 12 <= input.high + 7 ? root + 12 : root - 12;
        }
        if (event.at === 0) barRoot = pitch;
        const duration = Math.min(Math.round(event.len * EIGHTH), input.finalTick - tick);
        const velocity = 66 + 26 * section.level + event.accent;
        notes.push({ tick, duration: Math.max(1, duration), pitch, velocity });
        if (input.octaveDoubling && event.at === 0 && pitch + 12 <= input.doublingCeiling) {
          notes.push({
            tick,
            duration: Math.max(1, duration),
            pitch: pitch + 12,
            velocity: velocity - 10,
          });
        }
        if (event.tone !== 'octave') last = pitch;
      }
    }
  }
  return notes;
}
