import type { MusicPlan } from '../../src/music/plan/music-plan.js';
import plans from '../fixtures/v4-plans.json' with { type: 'json' };

/**
 * Plans as the v4 engine stored them (made by its planner, commit 990fd98, for the inputs the
 * legacy composer's tests used), so those tests keep checking that a stored v1–v4 plan replays
 * through the frozen composer exactly as it did.
 */
export function storedV4Plan(name: string): MusicPlan {
  const plan = (plans as Record<string, unknown>)[name];
  if (!plan) throw new Error(`no stored v4 plan named ${name}`);
  return structuredClone(plan) as MusicPlan;
}
