import type { Rng } from '../random.js';
import type { ChordSlot } from './harmony-plan.js';
import { EIGHTH, type Meter } from './meter.js';
import type { Phrase } from './phrases.js';
import { TICKS_PER_BEAT, type ScoreControl, type ScoreNote } from './score.js';

/**
 * Expression: dynamics that swell within each phrase and across the form toward the climax,
 * the sustain pedal on pianos, harps and electric pianos, expression swells (CC11) on sustained
 * parts, articulation (legato overlap, detached notes), swing, small humanising offsets that
 * keep the groove, and a gradual ritardando into the last chord.
 */

export const CC_EXPRESSION = 11;
export const CC_SUSTAIN = 64;
export const CC_MODULATION = 1;

/** Loudness shape of the piece, 0..1: section energy, a rise through each phrase, the climax. */
export class Dynamics {
  constructor(
    private readonly phrases: readonly Phrase[],
    private readonly meter: Meter,
    private readonly climaxBar: number | null,
  ) {}

  level(tick: number): number {
    const bar = tick / this.meter.barTicks;
    const phrase =
      this.phrases.find((p) => bar >= p.startBar && bar < p.startBar + p.bars) ??
      this.phrases[this.phrases.length - 1];
    if (!phrase) return 0.6;
    const through = (bar - phrase.startBar) / Math.max(1, phrase.bars);
    // Up to three quarters of the phrase, then easing into its cadence.
    const arc = through < 0.75 ? 0.1 * (through / 0.75) : 0.1 - 0.16 * ((through - 0.75) / 0.25);
    // Crescendo into the next phrase when it is louder.
    const next = this.phrases[phrase.index + 1];
    const lift =
      next && next.energy > phrase.energy && through > 0.75
        ? (next.energy - phrase.energy) * ((through - 0.75) / 0.25)
        : 0;
    const climax =
      this.climaxBar !== null ? Math.max(0, 0.14 - 0.06 * Math.abs(bar - this.climaxBar - 0.5)) : 0;
    return Math.max(0, Math.min(1, phrase.energy + arc + lift + climax));
  }
}

export function clampVelocity(v: number): number {
  return Math.max(1, Math.min(127, Math.round(v)));
}

/** Velocity from the dynamics and the beat: downbeats a little stronger. */
export function shapeVelocities(
  notes: ScoreNote[],
  dynamics: Dynamics,
  meter: Meter,
  base: number,
  span: number,
  rng: Rng,
): void {
  for (const note of notes) {
    const inBar = note.tick % meter.barTicks;
    const accent = inBar === 0 ? 5 : inBar % meter.feltBeatTicks === 0 ? 2 : 0;
    const shaped = base + span * dynamics.level(note.tick) + (note.velocity - 64) * 0.5 + accent;
    note.velocity = clampVelocity(shaped + rng.int(-3, 3));
  }
}

/** Legato: each note held into the next (a slight overlap, as a wind or bow slurs); detached: shortened. */
export function articulate(
  notes: ScoreNote[],
  style: 'legato' | 'detached' | 'plucked',
  endTick: number,
): void {
  const sorted = [...notes].sort((a, b) => a.tick - b.tick);
  for (let i = 0; i < sorted.length; i++) {
    const note = sorted[i];
    const next = sorted[i + 1];
    if (!note) continue;
    const gap = next ? next.tick - (note.tick + note.duration) : 0;
    if (style === 'legato' && next && gap >= 0 && gap <= EIGHTH && next.pitch !== note.pitch) {
      note.duration = next.tick - note.tick + 24;
    } else if (style === 'detached' && note.duration > EIGHTH) {
      note.duration = Math.round(note.duration * 0.86);
    } else if (style === 'plucked' && next && gap > 0 && gap <= TICKS_PER_BEAT) {
      note.duration = next.tick - note.tick; // let it ring to the next note
    }
    note.duration = Math.max(1, Math.min(note.duration, endTick - note.tick));
  }
}

/** Sustain pedal: lifted at each chord change, pressed again just after, released at the end. */
export function pedalling(slots: readonly ChordSlot[], endTick: number): ScoreControl[] {
  const controls: ScoreControl[] = [];
  for (const slot of slots) {
    if (slot.tick >= endTick) break;
    if (slot.tick > 0) controls.push({ tick: slot.tick, controller: CC_SUSTAIN, value: 0 });
    controls.push({ tick: slot.tick + 30, controller: CC_SUSTAIN, value: 127 });
  }
  controls.push({ tick: Math.max(0, endTick - 1), controller: CC_SUSTAIN, value: 0 });
  return controls;
}

/** Expression swells (CC11) every half beat, following the dynamics, on a sustained part. */
export function swells(
  dynamics: Dynamics,
  endTick: number,
  loop: boolean,
  floor = 72,
): ScoreControl[] {
  const controls: ScoreControl[] = [];
  let last = -1;
  const step = TICKS_PER_BEAT / 2;
  for (let tick = step; tick < endTick; tick += step) {
    const value = Math.round(floor + (127 - floor) * dynamics.level(tick));
    if (value !== last) controls.push({ tick, controller: CC_EXPRESSION, value });
    last = value;
  }
  if (loop) {
    // A loop must come round to the level it starts at.
    controls.push({
      tick: Math.max(0, endTick - 1),
      controller: CC_EXPRESSION,
      value: Math.round(floor + (127 - floor) * dynamics.level(0)),
    });
  }
  return controls;
}

/**
 * Delayed vibrato (CC1) on a sustained lead: each note starts plain and, if it is held for a
 * beat or more, the vibrato grows in after a moment, as a string player or singer does.
 */
export function vibrato(notes: readonly ScoreNote[], endTick: number): ScoreControl[] {
  const controls: ScoreControl[] = [];
  let depth = 0;
  const set = (tick: number, value: number): void => {
    if (value === depth || tick <= 0 || tick >= endTick) return;
    controls.push({ tick, controller: CC_MODULATION, value });
    depth = value;
  };
  for (const note of [...notes].sort((a, b) => a.tick - b.tick)) {
    set(note.tick, 0);
    if (note.duration >= TICKS_PER_BEAT) {
      set(note.tick + Math.round(TICKS_PER_BEAT * 0.4), 24);
      set(note.tick + Math.round(Math.min(note.duration, TICKS_PER_BEAT * 2) * 0.8), 48);
    }
  }
  return controls;
}

/** Timing offsets that breathe without smearing the groove: downbeats stay, the rest drift a little. */
export function humanise(notes: ScoreNote[], rng: Rng, maxTicks: number, meter: Meter): void {
  for (const note of notes) {
    if (note.tick === 0) continue;
    const onBeat = note.tick % meter.feltBeatTicks === 0;
    const spread = onBeat ? Math.ceil(maxTicks / 2) : maxTicks;
    note.tick = Math.max(0, note.tick + rng.int(-spread, spread));
  }
}
