import { TICKS_PER_BEAT, type ScoreNote } from './score.js';

/**
 * Edits every composer version applies to its notes. The v1–v4 composer (compose/legacy) uses
 * them too, so a change here changes old plans' notes: its golden digests will say so.
 */

const EIGHTH = TICKS_PER_BEAT / 2;

/**
 * Swing: off-beat eighths land late (by `swing` of an eighth; 1/3 is the triplet feel) and the
 * on-beat eighths before them stretch to meet them.
 */
export function applySwing(notes: ScoreNote[], swing: number): void {
  if (swing <= 0) return;
  const shift = Math.round(swing * EIGHTH);
  for (const note of notes) {
    const within = note.tick % TICKS_PER_BEAT;
    if (within === EIGHTH) {
      note.tick += shift;
      note.duration = Math.max(1, note.duration - shift);
    } else if (within === 0 && note.duration <= EIGHTH) {
      note.duration += Math.round(shift * 0.9);
    }
  }
}

/** A note must end before the same pitch sounds again, or note-offs would cut the new note. */
export function tidy(notes: ScoreNote[], endTick: number): ScoreNote[] {
  const sorted = [...notes].sort(
    (a, b) => a.tick - b.tick || a.pitch - b.pitch || b.duration - a.duration,
  );
  const lastByPitch = new Map<number, ScoreNote>();
  const out: ScoreNote[] = [];
  for (const note of sorted) {
    if (note.tick >= endTick) continue;
    const previous = lastByPitch.get(note.pitch);
    if (previous) {
      if (previous.tick === note.tick) continue; // doubled note: keep the first
      if (previous.tick + previous.duration > note.tick)
        previous.duration = note.tick - previous.tick;
    }
    const clipped = {
      ...note,
      duration: Math.max(1, Math.min(note.duration, endTick - note.tick)),
    };
    lastByPitch.set(note.pitch, clipped);
    out.push(clipped);
  }
  return out;
}
