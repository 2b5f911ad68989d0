import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeContent } from '../../../test/support/image-content.js';
import { blendAffect, contentAffect, learnedAffect, planAffect } from './affect-model.js';
import model from './affect-model.json' with { type: 'json' };
import { perceiveImage } from './image-perception.js';

const IMAGES = fileURLToPath(new URL('../../../../shared/data/images', import.meta.url));
const box = [0.2, 0.1, 0.5, 0.6] as [number, number, number, number];
const face = (expression: 'happy' | 'sad' | 'fear') => ({
  score: 0.95,
  area: 0.3,
  box,
  expression,
  expressions: { [expression]: 1 },
});

describe('contentAffect', () => {
  it('stays at the prior when nothing is seen', () => {
    const reading = contentAffect(makeContent());
    expect(reading.evidence).toBe(0);
    expect(reading.valence).toBeCloseTo(0.1, 3);
    expect(reading.arousal).toBeCloseTo(-0.1, 3);
  });

  it('follows expressions, objects and scenes in the direction of the table', () => {
    const happy = contentAffect(
      makeContent({ people: { count: 1, largestArea: 0.3, faces: [face('happy')] } }),
    );
    const sad = contentAffect(
      makeContent({ people: { count: 1, largestArea: 0.3, faces: [face('sad')] } }),
    );
    const afraid = contentAffect(
      makeContent({ people: { count: 1, largestArea: 0.3, faces: [face('fear')] } }),
    );
    expect(happy.valence).toBeGreaterThan(sad.valence);
    expect(afraid.arousal).toBeGreaterThan(sad.arousal);
    expect(happy.drivers[0]?.source).toBe('face:happy');
    const knife = contentAffect(
      makeContent({ objects: [{ label: 'knife', score: 0.8, area: 0.2, box }] }),
    );
    const cake = contentAffect(
      makeContent({ objects: [{ label: 'cake', score: 0.8, area: 0.2, box }] }),
    );
    expect(cake.valence).toBeGreaterThan(knife.valence);
    const storm = contentAffect(makeContent({ scores: { storm: 1 } }));
    const meadow = contentAffect(makeContent({ scores: { vegetation: 1 } }));
    expect(storm.arousal).toBeGreaterThan(meadow.arousal);
    expect(meadow.valence).toBeGreaterThan(storm.valence);
  });
});

describe('learned head and blend', () => {
  it('has one weight per embedding dimension and stays in range', () => {
    const d = model.head.mean.length;
    // 1792 final features, ten block means, the final map's and the ten blocks' grid maxima.
    expect(d).toBe(1792 + 1112 + 1792 + 1112);
    expect(model.head.valence.weights).toHaveLength(d);
    expect(model.head.arousal.weights).toHaveLength(d);
    const zero = learnedAffect(new Float32Array(d));
    const again = learnedAffect(new Float32Array(d));
    expect(again).toEqual(zero);
    for (const v of [zero.valence, zero.arousal]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('rises with each reading it gives weight to', () => {
    const base = { colour: { valence: 0, arousal: 0 }, content: { valence: 0, arousal: 0 } };
    const low = blendAffect({ ...base, learned: { valence: -0.5, arousal: -0.5 } });
    const high = blendAffect({ ...base, learned: { valence: 0.5, arousal: 0.5 } });
    expect(high.valence).toBeGreaterThan(low.valence);
    expect(high.arousal).toBeGreaterThan(low.arousal);
  });

  it('gives the planner the blend on both axes, whatever the colour reading alone says', () => {
    const parts = {
      colour: { valence: 0.2, arousal: 0.1 },
      content: { valence: 0.3, arousal: 0 },
      learned: { valence: 0.4, arousal: 0.3 },
    };
    const blended = blendAffect(parts);
    const affect = {
      ...blended,
      ...parts,
      content: { ...parts.content, evidence: 0, drivers: [] },
    };
    const vivid = { ...affect, colour: { valence: 0.9, arousal: 0.9 } };
    expect(planAffect(affect)).toEqual(blended.standard);
    expect(planAffect(vivid)).toEqual(planAffect(affect));
  });

  it('reads a real image into the plan range, the same way twice', async () => {
    const bytes = await readFile(`${IMAGES}/pd_great_wave.jpg`);
    const first = await perceiveImage(bytes);
    const second = await perceiveImage(new Uint8Array(bytes));
    expect(second.affect).toEqual(first.affect);
    expect(Math.abs(first.affect.valence)).toBeLessThanOrEqual(1);
    expect(Math.abs(first.affect.arousal)).toBeLessThanOrEqual(1);
    expect(first.description.en.length).toBeGreaterThan(0);
  });
});
