import type { Rng } from '../random.js';
import type { ChordFigure } from '../styles/style-composition.js';
import type { ChordSlot } from './harmony-plan.js';
import { EIGHTH, type Meter } from './meter.js';
import type { ScoreNote } from './score.js';
import { voiceChord } from './voicing.js';

/**
 * The chords part and the pad: figures (arpeggios, strums, stabs, comping…) written for the
 * meter, over voicings that stay under the melody. Each section plays the figure its arrangement
 * chose, so the accompaniment changes with the form.
 */

/** One figure event: an onset and length in eighths, which voices (0 = lowest), and an accent. */
interface FigureEvent {
  at: number;
  len: number;
  voices: readonly number[] | 'all';
  accent: number;
  /** Strum direction, for parts that strum. */
  up?: boolean;
}

type FigureBar = readonly FigureEvent[];

const ALL = 'all' as const;
const e = (
  at: number,
  len: number,
  voices: readonly number[] | 'all',
  accent = 0,
  up = false,
): FigureEvent => ({
  at,
  len,
  voices,
  accent,
  up,
});

/** Figure variants per meter; the seed picks one per section. */
function figureBars(figure: ChordFigure, meter: Meter): readonly FigureBar[] {
  const m = meter.name;
  const eighths = meter.eighths;
  const run = (order: readonly number[], len = 1, ring = false): FigureBar =>
    order.map((v, i) =>
      e(
        i,
        ring ? Math.max(1, (i < eighths / 2 ? eighths / 2 : eighths) - i) : len,
        [v],
        i % (meter.compound ? 3 : 2) === 0 ? 6 : 0,
      ),
    );
  switch (figure) {
    case 'sustain':
      return [[e(0, eighths, ALL)]];
    case 'block':
      return m === '4/4'
        ? [
            [e(0, 4, ALL, 6), e(4, 4, ALL)],
            [e(0, 3, ALL, 6), e(3, 5, ALL)],
          ]
        : m === '6/8'
          ? [[e(0, 3, ALL, 6), e(3, 3, ALL)]]
          : [[e(0, 6, ALL, 6)], [e(0, 2, ALL, 6), e(2, 4, ALL)]];
    case 'pulse':
      return m === '4/4'
        ? [[0, 2, 4, 6].map((at) => e(at, 1.7, ALL, at === 0 ? 8 : at === 4 ? 4 : 0))]
        : m === '3/4'
          ? [[0, 2, 4].map((at) => e(at, 1.7, ALL, at === 0 ? 8 : 0))]
          : [[0, 1, 2, 3, 4, 5].map((at) => e(at, 0.9, ALL, at % 3 === 0 ? 8 : 0))];
    case 'arpeggio':
      return m === '4/4'
        ? [
            run([0, 1, 2, 3, 1, 2, 3, 2], 1, true),
            run([0, 2, 1, 3, 0, 2, 1, 3], 1, true),
            run([0, 1, 2, 1, 3, 1, 2, 1], 1, true),
          ]
        : [run([0, 1, 2, 3, 2, 1], 1, true), run([0, 2, 3, 1, 2, 3], 1, true)];
    case 'broken':
      return m === '4/4'
        ? [run([0, 2, 1, 2, 0, 2, 1, 2], 2), run([0, 1, 2, 3, 2, 1, 0, 1], 2)]
        : [run([0, 2, 3, 1, 2, 3], 2), run([0, 1, 2, 3, 2, 1], 2)];
    case 'alberti':
      return m === '4/4' ? [run([0, 2, 1, 2, 0, 2, 1, 2], 1.6)] : [run([0, 2, 1, 2, 1, 2], 1.6)];
    case 'strum':
      return m === '4/4'
        ? [
            [
              e(0, 2, ALL, 8),
              e(2, 1.5, ALL, 2),
              e(3, 1, ALL, 0, true),
              e(5, 1, ALL, 0, true),
              e(6, 2, ALL, 4),
            ],
            [
              e(0, 3, ALL, 8),
              e(3, 1, ALL, 0, true),
              e(4, 2, ALL, 4),
              e(6, 1, ALL, 0, true),
              e(7, 1, ALL, 0, true),
            ],
            [
              e(0, 2, ALL, 8),
              e(2, 2, ALL, 2),
              e(4, 2, ALL, 4),
              e(6, 1, ALL, 0, true),
              e(7, 1, ALL),
            ],
          ]
        : m === '6/8'
          ? [[e(0, 2, ALL, 8), e(2, 1, ALL, 0, true), e(3, 2, ALL, 4), e(5, 1, ALL, 0, true)]]
          : [[e(0, 2, ALL, 8), e(2, 1, ALL), e(3, 1, ALL, 0, true), e(4, 2, ALL, 2)]];
    case 'picking':
      return m === '4/4'
        ? [run([0, 3, 1, 2, 0, 3, 1, 3], 2), run([0, 2, 3, 1, 0, 2, 3, 2], 2)]
        : [run([0, 2, 3, 1, 2, 3], 2)];
    case 'stabs':
      return m === '4/4'
        ? [
            [1, 3, 5, 7].map((at) => e(at, 0.6, ALL, 4)),
            [e(0, 1.5, ALL, 8), e(3, 0.6, ALL, 2), e(6, 1.5, ALL, 4)],
            [
              e(0, 0.6, ALL, 8),
              e(1.5, 0.6, ALL, 2),
              e(3, 0.6, ALL, 2),
              e(5, 1, ALL, 4),
              e(6.5, 0.6, ALL),
            ],
          ]
        : [[1, 2, 4, 5].map((at) => e(at, 0.6, ALL, 4))];
    case 'comping':
      return m === '4/4'
        ? [
            [e(0, 1, ALL, 6), e(3, 1, ALL, 4)],
            [e(1, 1, ALL, 4), e(5, 2, ALL)],
            [e(0, 2, ALL, 6), e(5, 1, ALL, 2)],
            [e(3, 1, ALL, 4), e(6, 1, ALL)],
            [e(2, 1, ALL, 2), e(7, 1, ALL, 4)],
          ]
        : [
            [e(0, 1, ALL, 6), e(3, 1, ALL, 4)],
            [e(2, 2, ALL, 4), e(4, 2, ALL)],
          ];
    case 'rhodes':
      return m === '4/4'
        ? [
            [e(0, 3, ALL, 6), e(3, 5, ALL)],
            [e(0, 6, ALL, 6), e(6, 2, ALL)],
            [e(0, 8, ALL, 6)],
            [e(0, 2, ALL, 6), e(3, 5, ALL, 2)],
          ]
        : [[e(0, 4, ALL, 6), e(4, 2, ALL)], [e(0, 6, ALL, 6)]];
    case 'ostinato':
      return m === '4/4'
        ? [
            Array.from({ length: 8 }, (_, i) => e(i, 0.9, ALL, i % 2 === 0 ? 6 : 0)),
            [0, 2, 4, 6].map((at) => e(at, 1.9, ALL, 6)),
          ]
        : [Array.from({ length: 6 }, (_, i) => e(i, 0.9, ALL, i % 3 === 0 ? 6 : 0))];
    case 'oom-pah':
      return m === '3/4'
        ? [[e(0, 2, [0], 8), e(2, 1.7, [1, 2, 3], 0), e(4, 1.7, [1, 2, 3], 0)]]
        : m === '6/8'
          ? [[e(0, 2, [0], 8), e(2, 1, [1, 2, 3]), e(3, 2, [0], 4), e(5, 1, [1, 2, 3])]]
          : [[e(0, 2, [0], 8), e(2, 1.7, [1, 2, 3]), e(4, 2, [0], 4), e(6, 1.7, [1, 2, 3])]];
  }
}

export interface PartBounds {
  /** Highest pitch a note of this part may have at a tick range (under the melody). */
  ceilingFor(tick: number, endTick: number): number;
  /** Lowest pitch of the part's register. */
  floor: number;
}

export interface FigureSection {
  startTick: number;
  endTick: number;
  figure: ChordFigure;
  /** 0..1, scales velocity. */
  level: number;
}

export interface AccompanimentInput {
  slots: readonly ChordSlot[];
  meter: Meter;
  sections: readonly FigureSection[];
  bounds: PartBounds;
  size: number;
  /** Strum spread in ticks (0: struck together). */
  strum: number;
  finalTick: number;
}

function velocityOf(level: number, accent: number): number {
  return 46 + 34 * level + accent;
}

export function composeAccompaniment(input: AccompanimentInput, rng: Rng): ScoreNote[] {
  const { slots, meter, bounds } = input;
  const notes: ScoreNote[] = [];
  let previous: number[] | undefined;
  for (const section of input.sections) {
    const variants = figureBars(section.figure, meter);
    const variant = rng.int(0, variants.length - 1);
    const perBar = section.figure === 'comping';
    for (const slot of slots) {
      if (slot.tick < section.startTick || slot.tick >= section.endTick) continue;
      const end = slot.tick + slot.duration;
      const voicing = voiceChord({
        chord: slot.chord,
        ceiling: bounds.ceilingFor(slot.tick, end),
        floor: bounds.floor,
        size: input.size,
        previous,
      });
      previous = voicing;
      const isLast = end >= input.finalTick;
      if (section.figure === 'sustain' || isLast) {
        for (const pitch of voicing) {
          notes.push({
            tick: slot.tick,
            duration: slot.duration,
            pitch,
            velocity: velocityOf(section.level, 4),
          });
        }
        continue;
      }
      for (
        let barStart = slot.tick - (slot.tick % meter.barTicks);
        barStart < end;
        barStart += meter.barTicks
      ) {
        const bar = perBar
          ? (variants[rng.int(0, variants.length - 1)] ?? [])
          : (variants[variant] ?? []);
        for (const event of bar) {
          const tick = barStart + Math.round(event.at * EIGHTH);
          if (tick < slot.tick || tick >= end) continue;
          const duration = Math.min(Math.round(event.len * EIGHTH), end - tick);
          const chosen =
            event.voices === ALL
              ? voicing
              : event.voices.map((v) => voicing[Math.min(v, voicing.length - 1)] ?? 0);
          const ordered = event.up ? [...chosen].reverse() : chosen;
          ordered.forEach((pitch, i) => {
            notes.push({
              tick: tick + Math.round(i * input.strum * (event.up ? 0.6 : 1)),
              duration: Math.max(1, duration - Math.round(i * input.strum)),
              pitch,
              velocity: velocityOf(section.level, event.accent) - (event.up ? 6 : 0),
            });
          });
        }
      }
    }
  }
  return notes;
}

export interface PadInput {
  slots: readonly ChordSlot[];
  sections: readonly { startTick: number; endTick: number; level: number }[];
  bounds: PartBounds;
}

/** Sustained chords, one voicing per chord, under the melody. */
export function composePad(input: PadInput): ScoreNote[] {
  const notes: ScoreNote[] = [];
  let previous: number[] | undefined;
  for (const section of input.sections) {
    for (const slot of input.slots) {
      if (slot.tick < section.startTick || slot.tick >= section.endTick) continue;
      const end = Math.min(slot.tick + slot.duration, section.endTick);
      const voicing = voiceChord({
        chord: slot.chord,
        ceiling: input.bounds.ceilingFor(slot.tick, end),
        floor: input.bounds.floor,
        size: 3,
        previous,
      });
      previous = voicing;
      for (const pitch of voicing) {
        notes.push({
          tick: slot.tick,
          duration: end - slot.tick,
          pitch,
          velocity: 40 + 30 * section.level,
        });
      }
    }
  }
  return notes;
}
