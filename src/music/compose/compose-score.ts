import type { MusicPlan } from '../plan/music-plan.js';
import { composeLegacyScore } from './legacy/compose-legacy.js';
import { isLegacyStyle, type LegacyPlan } from './legacy/legacy-plan.js';
import type { Score } from './score.js';

/**
 * Plan + seed → score. Each plan is composed by the rules of the engine version that made it, so
 * a stored plan (a variation of a piece) replays note for note.
 */
export function composeScore(plan: MusicPlan, seed: number): Score {
  const style: string = plan.style;
  if (!isLegacyStyle(style)) throw new Error(`no composer for style ${style}`);
  const legacy: LegacyPlan = { ...plan, style };
  return composeLegacyScore(legacy, seed);
}
