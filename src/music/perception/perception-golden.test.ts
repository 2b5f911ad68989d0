import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractImageFeatures, type ImageFeatures } from './image-features.js';
import { createMusicPlan } from '../plan/music-plan.js';
import { readTextCues } from './text-cues.js';

// Golden perception + emotion for a few public-domain images in ../shared/data/images (read in
// place; only the numbers live here). A change in these values is a change in how the engine
// hears pictures: re-bless deliberately, bump FEATURES_VERSION / PLAN_VERSION, and re-run
// `npm run eval:plan` to see what it did to the rank correlations.
const IMAGES = fileURLToPath(new URL('../../../../shared/data/images', import.meta.url));

type Golden = Pick<
  ImageFeatures,
  'brightness' | 'saturation' | 'warmth' | 'contrast' | 'texture' | 'colourfulness' | 'dynamicLines'
> & { valence: number; arousal: number; mode: 'major' | 'minor' };

const GOLDEN: Record<string, Golden> = {
  'pd_sunflowers.jpg': {
    brightness: 0.6942,
    saturation: 0.8394,
    warmth: 0.6467,
    contrast: 0.3654,
    texture: 0.2649,
    colourfulness: 0.5772,
    dynamicLines: 0.4633,
    valence: 0.63,
    arousal: 0.227,
    mode: 'major',
  },
  'kodak_kodim23_parrots.jpg': {
    brightness: 0.4713,
    saturation: 0.4791,
    warmth: 0.492,
    contrast: 0.4472,
    texture: 0.2917,
    colourfulness: 0.7882,
    dynamicLines: 0.4499,
    valence: 0.434,
    arousal: 0.486,
    mode: 'major',
  },
  'pd_impression_sunrise.jpg': {
    brightness: 0.4698,
    saturation: 0.1826,
    warmth: 0.2955,
    contrast: 0.1303,
    texture: 0.1365,
    colourfulness: 0.2635,
    dynamicLines: 0.3348,
    valence: -0.006,
    arousal: -0.282,
    mode: 'minor',
  },
  'pd_third_of_may_1808.jpg': {
    brightness: 0.2483,
    saturation: 0.2059,
    warmth: 0.9372,
    contrast: 0.4109,
    texture: 0.3016,
    colourfulness: 0.3148,
    dynamicLines: 0.4146,
    valence: -0.332,
    arousal: 0.194,
    mode: 'minor',
  },
  'skimage_hubble_deep_field.jpg': {
    brightness: 0.066,
    saturation: 0.0321,
    warmth: -0.0291,
    contrast: 0.2057,
    texture: 0.296,
    colourfulness: 0.0871,
    dynamicLines: 0.5271,
    valence: -0.702,
    arousal: 0.041,
    mode: 'minor',
  },
};

describe('golden perception and emotion on real images', () => {
  const noText = readTextCues(undefined);

  for (const [file, golden] of Object.entries(GOLDEN)) {
    it(`hears ${file} as before`, async () => {
      const features = await extractImageFeatures(await readFile(`${IMAGES}/${file}`));
      const plan = createMusicPlan({ features, text: noText, seconds: 30 });
      const { valence, arousal, mode, ...expected } = golden;
      for (const [name, value] of Object.entries(expected)) {
        expect(features[name as keyof typeof expected], name).toBeCloseTo(value, 3);
      }
      expect(plan.valence).toBeCloseTo(valence, 3);
      expect(plan.arousal).toBeCloseTo(arousal, 3);
      expect(plan.key.mode).toBe(mode);
    });
  }

  it('plays the sunlit and vivid pictures faster than the dark and hazy ones', async () => {
    const tempo = async (file: string): Promise<number> => {
      const features = await extractImageFeatures(await readFile(`${IMAGES}/${file}`));
      return createMusicPlan({ features, text: noText, seconds: 30 }).tempoBpm;
    };
    const slowest = Math.max(
      await tempo('pd_impression_sunrise.jpg'),
      await tempo('skimage_hubble_deep_field.jpg'),
    );
    expect(await tempo('pd_sunflowers.jpg')).toBeGreaterThan(slowest);
    expect(await tempo('kodak_kodim23_parrots.jpg')).toBeGreaterThan(slowest);
  });
});
