import type { MusicPlan } from '../plan/music-plan.js';
import { composeCurrentScore } from './compose-current.js';
import { composeLegacyScore } from './legacy/compose-legacy.js';
import { requireLegacyPlan } from './legacy/legacy-plan.js';
import type { Score } from './score.js';

/** The first plan version composed by the current composer (compose-current.ts). */
export const CURRENT_COMPOSER_VERSION = 5;

/**
 * Plan + seed → score. Each plan is composed by the rules of the engine version that made it, so
 * a stored plan (a variation of a piece) replays note for note.
 */
export function composeScore(plan: MusicPlan, seed: number): Score {
  if (plan.version < CURRENT_COMPOSER_VERSION) {
    return composeLegacyScore(requireLegacyPlan(plan), seed);
  }
  return composeCurrentScore(plan, seed);
}
