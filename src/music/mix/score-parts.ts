import type { Score, ScoreTrack } from '../compose/score.js';
import type { PartMix, StyleMix } from '../styles/style-declaration.js';
import { NEUTRAL_PART } from './part-mix.js';

/** What the mix needs to know of the score: each part's mix, its rendering cost, the kicks. */

/** Seconds of a tick, from the score's tempo map. */
function tickSeconds(score: Score, tick: number): number {
  let seconds = 0;
  let at = 0;
  let perBeat = score.tempoChanges[0]?.microsecondsPerBeat ?? 500_000;
  for (const change of score.tempoChanges) {
    if (change.tick >= tick) break;
    seconds += ((change.tick - at) / score.ticksPerBeat) * (perBeat / 1e6);
    at = change.tick;
    perBeat = change.microsecondsPerBeat;
  }
  return seconds + ((tick - at) / score.ticksPerBeat) * (perBeat / 1e6);
}

/** GM drum keys of the kick (acoustic and electric bass drum): what the sidechain ducks under. */
const KICK_KEYS = new Set([35, 36]);

export function kickOnsets(score: Score): number[] {
  return score.tracks
    .filter((t) => t.role === 'drums')
    .flatMap((t) =>
      t.notes.filter((n) => KICK_KEYS.has(n.pitch)).map((n) => tickSeconds(score, n.tick)),
    )
    .sort((a, b) => a - b);
}

/** Sounding note-seconds plus a release per note: what a part costs the synth. */
export function renderCost(score: Score, track: ScoreTrack): number {
  const secondsPerTick = score.durationSeconds / Math.max(1, score.endTick);
  return track.notes.reduce((sum, n) => sum + n.duration * secondsPerTick + 0.5, 0);
}

export function partMixFor(mix: StyleMix, role: string): PartMix {
  const known = mix as unknown as Record<string, PartMix | undefined>;
  return role !== 'bus' ? (known[role] ?? NEUTRAL_PART) : NEUTRAL_PART;
}
