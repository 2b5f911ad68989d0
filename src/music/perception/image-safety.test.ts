import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { assessImageSafety, UNSAFE_THRESHOLD } from './image-safety.js';

const IMAGES = fileURLToPath(new URL('../../../../shared/data/images', import.meta.url));

// The project holds no unsafe image, so only the "safe" side and the score shape are tested; the
// threshold's behaviour on explicit images is unverified (see UNSAFE_THRESHOLD).
describe('assessImageSafety', () => {
  it('passes real photos and paintings, with scores that sum to about 1', async () => {
    for (const name of [
      'kodak_kodim04_red_hat_portrait.jpg',
      'pd_tahitian_women_on_the_beach.jpg',
      'mate_YellowFlower.jpg',
      'plasma_Volna_beach_art.jpg',
    ]) {
      const result = await assessImageSafety(await readFile(`${IMAGES}/${name}`));
      expect(result.safe, name).toBe(true);
      expect(Object.keys(result.scores).sort()).toEqual([
        'Drawing',
        'Hentai',
        'Neutral',
        'Porn',
        'Sexy',
      ]);
      const sum = Object.values(result.scores).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 2);
      expect((result.scores.Porn ?? 0) + (result.scores.Hentai ?? 0)).toBeLessThan(
        UNSAFE_THRESHOLD,
      );
    }
  });

  it('is deterministic and accepts PNG with transparency', async () => {
    const png = await sharp({
      create: {
        width: 300,
        height: 200,
        channels: 4,
        background: { r: 40, g: 120, b: 200, alpha: 0.5 },
      },
    })
      .png()
      .toBuffer();
    const a = await assessImageSafety(png);
    const b = await assessImageSafety(png);
    expect(a).toEqual(b);
    expect(a.safe).toBe(true);
  });

  it('rejects bytes that are not an image', async () => {
    await expect(assessImageSafety(new TextEncoder().encode('not an image'))).rejects.toThrow();
  });
});
