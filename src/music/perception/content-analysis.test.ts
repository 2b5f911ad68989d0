import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyseImageContent,
  clearContentCache,
  COCO_CLASSES,
  CONTENT_VERSION,
  EXPRESSIONS,
  perceiveContent,
  prepareContentAnalysis,
} from './content-analysis.js';

const IMAGES = fileURLToPath(new URL('../../../../shared/data/images', import.meta.url));

/** A flat, synthetic beach: blue sky, darker blue sea, pale sand, a horizon at 55 %. */
async function syntheticBeach(): Promise<Buffer> {
  const band = (colour: string, top: number, height: number) => ({
    input: { create: { width: 320, height, channels: 3 as const, background: colour } },
    top,
    left: 0,
  });
  return sharp({ create: { width: 320, height: 240, channels: 3, background: '#7fb2e6' } })
    .composite([band('#2a6f9e', 108, 72), band('#dcc8a0', 180, 60)])
    .png()
    .toBuffer();
}

describe('analyseImageContent', () => {
  beforeAll(async () => {
    await prepareContentAnalysis();
  });

  it('finds a face with an expression in a portrait', async () => {
    const content = await analyseImageContent(
      await readFile(`${IMAGES}/kodak_kodim04_red_hat_portrait.jpg`),
    );
    expect(content.people.count).toBeGreaterThanOrEqual(1);
    const face = content.people.faces[0];
    expect(face).toBeDefined();
    expect(EXPRESSIONS).toContain(face?.expression);
    const sum = Object.values(face?.expressions ?? {}).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 1);
    expect(content.objects.some((o) => o.label === 'person')).toBe(true);
  });

  it('reads sky, water and sand in a beach', async () => {
    const content = await analyseImageContent(await syntheticBeach());
    expect(content.scene.scores.sky).toBeGreaterThanOrEqual(0.5);
    expect(content.scene.scores.water).toBeGreaterThanOrEqual(0.5);
    expect(content.scene.scores.sand).toBeGreaterThanOrEqual(0.5);
    expect(content.people.faces).toEqual([]);

    const painted = await analyseImageContent(
      await readFile(`${IMAGES}/plasma_Volna_beach_art.jpg`),
    );
    expect(painted.scene.types).toContain('sky');
    expect(painted.scene.scores.water).toBeGreaterThan(0.3);
  });

  it('is deterministic for the same bytes, with or without the cache', async () => {
    const bytes = await readFile(`${IMAGES}/lomiri_friends_dogs.jpg`);
    const first = await perceiveContent(new Uint8Array(bytes));
    clearContentCache();
    const second = await perceiveContent(new Uint8Array(bytes));
    expect(second.content).toEqual(first.content);
    expect(Array.from(second.embedding)).toEqual(Array.from(first.embedding));
    // A cache hit hands back the same result, and a caller cannot change it for the next one.
    const third = await perceiveContent(new Uint8Array(bytes));
    expect(third.content).toBe(second.content);
    expect(Object.isFrozen(third.content.objects)).toBe(true);
  });

  it('returns one JSON-safe shape with boxes inside the image', async () => {
    const content = await analyseImageContent(
      await readFile(`${IMAGES}/kodak_kodim10_sailboats.jpg`),
    );
    expect(content.version).toBe(CONTENT_VERSION);
    expect(JSON.parse(JSON.stringify(content))).toEqual(content);
    const scores = content.objects.map((o) => o.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const o of [...content.objects, ...content.people.faces]) {
      const [x, y, w, h] = o.box;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x + w).toBeLessThanOrEqual(1.001);
      expect(y + h).toBeLessThanOrEqual(1.001);
      expect(o.area).toBeCloseTo(w * h, 2);
    }
    for (const o of content.objects) expect(COCO_CLASSES).toContain(o.label);
  });

  it('keeps nothing about a face but where it is and its expression', async () => {
    const content = await analyseImageContent(
      await readFile(`${IMAGES}/kodak_kodim15_child_portrait.jpg`),
    );
    for (const face of content.people.faces) {
      expect(Object.keys(face).sort()).toEqual([
        'area',
        'box',
        'expression',
        'expressions',
        'score',
      ]);
    }
    // No landmark set, crop or embedding hides anywhere in the result: no long numeric arrays.
    const longArrays: number[] = [];
    JSON.stringify(content, (_key, value: unknown) => {
      if (Array.isArray(value) && value.length > 4) longArrays.push(value.length);
      return value;
    });
    expect(longArrays).toEqual([]);
  });

  it('refuses bytes that are not an image', async () => {
    await expect(analyseImageContent(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow();
  });
});
