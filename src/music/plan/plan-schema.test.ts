import { describe, expect, it } from 'vitest';
import { makeFeatures } from '../../../test/support/image-features.js';
import plans from '../../../test/fixtures/v4-plans.json' with { type: 'json' };
import { isEngineError } from '../engine-error.js';
import { readTextCues } from '../perception/text-cues.js';
import { createMusicPlan, PLAN_VERSION } from './music-plan.js';
import { parseRecipe } from './plan-schema.js';

const features = makeFeatures();
const recipeText = (plan: unknown) => JSON.stringify({ plan, features });

describe('stored recipes', () => {
  it('reads every stored v4 plan back unchanged, and the same plans labelled v1 to v3', () => {
    for (const plan of Object.values(plans)) {
      for (const version of [1, 2, 3, 4]) {
        const stored = { ...plan, version };
        expect(parseRecipe(recipeText(stored))).toEqual({ plan: stored, features });
      }
    }
  });

  it('reads back a plan the current engine makes, with every v5 field', () => {
    for (const loop of [false, true]) {
      const plan = createMusicPlan({
        features,
        text: readTextCues('waves at night'),
        seconds: 45,
        loop,
      });
      expect(plan.version).toBe(PLAN_VERSION);
      const read = parseRecipe(recipeText(plan));
      expect(read).toEqual(JSON.parse(recipeText(plan)));
    }
  });

  it('keeps fields it does not name, so a replay sees the plan as stored', () => {
    const stored = { ...plans.upbeat, futureField: { a: 1 } };
    expect(parseRecipe(recipeText(stored)).plan).toEqual(stored);
  });

  it('refuses a damaged row with a typed error that names the field', () => {
    const damaged = { ...plans.upbeat, style: 'polka', form: { ...plans.upbeat.form, bars: -1 } };
    const attempt = () => parseRecipe(recipeText(damaged));
    expect(attempt).toThrow(/not one this engine can play/);
    try {
      attempt();
    } catch (error) {
      expect(isEngineError(error) && error.code).toBe('invalid_plan');
      expect(isEngineError(error) && JSON.stringify(error.details)).toMatch(/style.*form\.bars/);
    }
    expect(() => parseRecipe('{not json')).toThrow(/not JSON/);
  });
});
