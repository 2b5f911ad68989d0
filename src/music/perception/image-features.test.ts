import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { extractImageFeatures } from './image-features.js';

// shared/ sits beside the repository (in /work and in CI's clone alike); read it in place.
const IMAGES = fileURLToPath(new URL('../../../../shared/data/images', import.meta.url));

function solid(r: number, g: number, b: number, width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
}

/** Light sky above a dark ground, the horizon at `horizon` (0 top .. 1 bottom). */
function horizonImage(horizon: number, width = 120, height = 80): Promise<Buffer> {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const value = y < horizon * height ? 230 : 20;
    pixels.fill(value, y * width * 3, (y + 1) * width * 3);
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A raw RGB image from a per-pixel function, as PNG. */
function drawn(
  width: number,
  height: number,
  pixel: (x: number, y: number) => readonly [number, number, number],
): Promise<Buffer> {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels.set(pixel(x, y), (y * width + x) * 3);
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

describe('extractImageFeatures', () => {
  it('reads pure black as dark, grey and neutral', async () => {
    const f = await extractImageFeatures(await solid(0, 0, 0));
    expect(f.brightness).toBeLessThan(0.02);
    expect(f.saturation).toBeLessThan(0.02);
    expect(Math.abs(f.warmth)).toBeLessThan(0.05);
    expect(f.contrast).toBeLessThan(0.02);
    expect(f.palette[0]?.hex).toBe('#000000');
  });

  it('reads pure white as bright', async () => {
    const f = await extractImageFeatures(await solid(255, 255, 255));
    expect(f.brightness).toBeGreaterThan(0.98);
    expect(f.saturation).toBeLessThan(0.02);
  });

  it('reads saturated red as warm and saturated', async () => {
    const f = await extractImageFeatures(await solid(230, 20, 20));
    expect(f.saturation).toBeGreaterThan(0.9);
    expect(f.warmth).toBeGreaterThan(0.8);
    expect(f.brightness).toBeGreaterThan(0.4);
    expect(f.brightness).toBeLessThan(0.6);
  });

  it('reads blue and cyan as cool', async () => {
    const blue = await extractImageFeatures(await solid(20, 40, 220));
    const cyan = await extractImageFeatures(await solid(30, 190, 220));
    expect(blue.warmth).toBeLessThan(-0.6);
    expect(cyan.warmth).toBeLessThan(-0.6);
    expect(blue.brightness).toBeLessThan(0.45);
  });

  it('finds both colours of a two-colour image, heaviest first', async () => {
    const width = 100;
    const height = 50;
    const pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      const isRed = i % width < 70;
      pixels.set(isRed ? [220, 30, 30] : [30, 60, 220], i * 3);
    }
    const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    const f = await extractImageFeatures(png);
    const [first, second] = f.palette;
    expect(first?.weight).toBeGreaterThan(0.6);
    expect(first?.lab[1]).toBeGreaterThan(50); // red: strongly positive a*
    expect(second?.lab[2]).toBeLessThan(-50); // blue: strongly negative b*
  });

  it('places the skyline where the horizon is', async () => {
    const high = await extractImageFeatures(await horizonImage(0.3));
    const low = await extractImageFeatures(await horizonImage(0.75));
    expect(high.skyline).toHaveLength(16);
    for (const h of high.skyline) expect(h).toBeCloseTo(0.7, 1);
    for (const h of low.skyline) expect(h).toBeCloseTo(0.25, 1);
    expect(high.lightContour.every((v) => v > 0 && v <= 1)).toBe(true);
  });

  it('is deterministic and JSON-safe', async () => {
    const bytes = await readFile(`${IMAGES}/kodak_kodim23_parrots.jpg`);
    const a = await extractImageFeatures(bytes);
    const b = await extractImageFeatures(bytes);
    expect(JSON.parse(JSON.stringify(a))).toEqual(b);
    expect(a.palette).toHaveLength(5);
    expect(a.palette.reduce((sum, p) => sum + p.weight, 0)).toBeCloseTo(1, 2);
  });

  it('tells real photos apart the way people describe them', async () => {
    const read = async (name: string) => extractImageFeatures(await readFile(`${IMAGES}/${name}`));
    const sunflowers = await read('pd_sunflowers.jpg');
    const darkLake = await read('plasma_DarkestHour.jpg');
    const foggyJetty = await read('plasma_ColdRipple.jpg');
    expect(sunflowers.brightness).toBeGreaterThan(darkLake.brightness);
    expect(sunflowers.warmth).toBeGreaterThan(0.3);
    expect(darkLake.warmth).toBeLessThan(-0.3);
    expect(foggyJetty.saturation).toBeLessThan(0.05); // monochrome photo
    expect(sunflowers.saturation).toBeGreaterThan(0.6);
  });

  it('rejects bytes that are not an image', async () => {
    await expect(extractImageFeatures(new TextEncoder().encode('not an image'))).rejects.toThrow();
  });

  it('rejects a truncated JPEG instead of guessing', async () => {
    const bytes = await readFile(`${IMAGES}/kodak_kodim03_caps.jpg`);
    await expect(extractImageFeatures(bytes.subarray(0, bytes.length / 2))).rejects.toThrow();
  });

  it('reads mid grey as grey: no saturation, no colourfulness, neutral warmth', async () => {
    const f = await extractImageFeatures(await solid(128, 128, 128));
    expect(f.brightness).toBeGreaterThan(0.5);
    expect(f.brightness).toBeLessThan(0.6);
    expect(f.saturation).toBeLessThan(0.01);
    expect(f.colourfulness).toBeLessThan(0.01);
    expect(Math.abs(f.warmth)).toBeLessThan(0.01);
    expect(f.texture).toBe(0);
    expect(f.dynamicLines).toBe(0); // no edges at all
  });

  it('reads a fine black-and-white checkerboard as high texture and contrast', async () => {
    // 8-px squares on 192 px: 4-px squares on the 96-px analysis thumbnail.
    const board = await extractImageFeatures(
      await drawn(192, 192, (x, y) =>
        (Math.floor(x / 8) + Math.floor(y / 8)) % 2 === 0 ? [0, 0, 0] : [255, 255, 255],
      ),
    );
    const smooth = await extractImageFeatures(
      await drawn(192, 192, (x) => [Math.round((x / 191) * 255), 128, 128]),
    );
    expect(board.texture).toBeGreaterThan(0.9);
    expect(board.contrast).toBeGreaterThan(0.9);
    expect(smooth.texture).toBeLessThan(0.2);
  });

  it('scores many vivid colours as more colourful than one, and one than grey', async () => {
    const hues = [
      [230, 30, 30],
      [240, 200, 20],
      [30, 180, 60],
      [30, 80, 230],
      [200, 40, 200],
    ] as const;
    const rainbow = await extractImageFeatures(
      await drawn(150, 100, (x) => hues[Math.floor(x / 30)] ?? [0, 0, 0]),
    );
    const red = await extractImageFeatures(await solid(230, 20, 20));
    const grey = await extractImageFeatures(await solid(90, 90, 90));
    expect(rainbow.colourfulness).toBeGreaterThan(red.colourfulness ?? 1);
    expect(red.colourfulness).toBeGreaterThan(0.5);
    expect(grey.colourfulness).toBeLessThan(0.02);
  });

  it('tells diagonal lines from level ones', async () => {
    const stripes = (dir: (x: number, y: number) => number) =>
      drawn(192, 192, (x, y) =>
        Math.floor(dir(x, y) / 12) % 2 === 0 ? [20, 20, 20] : [230, 230, 230],
      );
    const diagonal = await extractImageFeatures(await stripes((x, y) => x + y));
    const level = await extractImageFeatures(await stripes((_x, y) => y));
    const upright = await extractImageFeatures(await stripes((x) => x));
    expect(diagonal.dynamicLines).toBeGreaterThan(0.8);
    expect(level.dynamicLines).toBeLessThan(0.1);
    expect(upright.dynamicLines).toBeLessThan(0.1);
  });

  it('finds the skyline of a bright top over a dark bottom', async () => {
    const f = await extractImageFeatures(
      await drawn(160, 100, (_x, y) => (y < 40 ? [235, 235, 240] : [25, 25, 30])),
    );
    for (const h of f.skyline) expect(h).toBeCloseTo(0.6, 1);
    expect(f.contrast).toBeGreaterThan(0.8);
  });
});
