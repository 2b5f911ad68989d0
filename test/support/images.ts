import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/**
 * The labelled photographs beside the project. Only tests about those images (the engine's
 * golden files and perception checks, the browser walkthrough) read them; everything else uses
 * the scenes below, so a fresh clone runs the integration tests on its own.
 */
export const sharedImagesDir = path.resolve(import.meta.dirname, '../../../shared/data/images');

export function sharedImage(name: string): Buffer {
  return readFileSync(path.join(sharedImagesDir, name));
}

export async function solidImage(
  colour: { r: number; g: number; b: number },
  format: 'png' | 'jpeg' | 'webp' = 'png',
  size = 64,
): Promise<Buffer> {
  const image = sharp({ create: { width: size, height: size, channels: 3, background: colour } });
  return image.toFormat(format).toBuffer();
}

type Rgb = readonly [number, number, number];

interface Scene {
  sky: readonly [Rgb, Rgb];
  ground: readonly [Rgb, Rgb];
  /** Where the ground starts, as a fraction of the height. */
  horizon: number;
  /** Lit or coloured shapes: x, y, width, height as fractions, and a colour. */
  shapes: ReadonlyArray<readonly [number, number, number, number, Rgb]>;
  /** Amplitude of the horizontal bands that give paintings their strokes. */
  waves: number;
  seed: number;
}

// Made-up scenes with a sky, a ground, a few shapes and film grain: enough texture and colour for
// the perception stage to read them like photos, small enough to analyse quickly. Each scene's
// bytes are the same on every run.
const scenes = {
  /** A lit bridge over dark water at night. */
  'night-river': {
    sky: [
      [8, 12, 40],
      [30, 40, 90],
    ],
    ground: [
      [10, 14, 24],
      [2, 4, 10],
    ],
    horizon: 0.62,
    shapes: [
      [0.15, 0.3, 0.08, 0.32, [200, 170, 90]],
      [0.7, 0.3, 0.08, 0.32, [200, 170, 90]],
      [0.15, 0.42, 0.63, 0.04, [240, 210, 120]],
      [0.1, 0.7, 0.7, 0.02, [120, 100, 60]],
    ],
    waves: 0,
    seed: 1,
  },
  /** A red barn among green fields under a blue sky. */
  'red-barn': {
    sky: [
      [90, 150, 230],
      [180, 210, 240],
    ],
    ground: [
      [70, 140, 50],
      [30, 90, 30],
    ],
    horizon: 0.5,
    shapes: [
      [0.35, 0.32, 0.3, 0.25, [170, 30, 25]],
      [0.45, 0.42, 0.08, 0.15, [240, 240, 230]],
      [0.05, 0.3, 0.15, 0.25, [25, 70, 25]],
      [0.2, 0.7, 0.6, 0.12, [70, 110, 160]],
    ],
    waves: 0,
    seed: 2,
  },
  /** A stream over rocks under trees. */
  'forest-stream': {
    sky: [
      [40, 80, 40],
      [70, 110, 60],
    ],
    ground: [
      [90, 90, 80],
      [60, 70, 50],
    ],
    horizon: 0.45,
    shapes: [
      [0.4, 0.45, 0.2, 0.55, [220, 230, 235]],
      [0.1, 0.0, 0.06, 0.5, [70, 50, 30]],
      [0.8, 0.0, 0.07, 0.5, [80, 55, 35]],
      [0.2, 0.6, 0.15, 0.1, [50, 100, 40]],
    ],
    waves: 0,
    seed: 3,
  },
  /** A painting: a swirling orange sky over a dark blue fjord. */
  'painted-sky': {
    sky: [
      [230, 110, 40],
      [240, 180, 60],
    ],
    ground: [
      [40, 60, 110],
      [20, 30, 60],
    ],
    horizon: 0.55,
    shapes: [
      [0.42, 0.55, 0.12, 0.4, [60, 50, 40]],
      [0.45, 0.5, 0.06, 0.09, [220, 190, 150]],
      [0.0, 0.75, 1.0, 0.05, [120, 80, 50]],
    ],
    waves: 28,
    seed: 4,
  },
  /** Many small bright shapes: a race start in a crowd. */
  'bright-crowd': {
    sky: [
      [150, 150, 140],
      [120, 110, 100],
    ],
    ground: [
      [140, 100, 60],
      [110, 80, 50],
    ],
    horizon: 0.35,
    shapes: [
      [0.05, 0.4, 0.1, 0.2, [230, 40, 40]],
      [0.2, 0.45, 0.1, 0.2, [40, 80, 230]],
      [0.35, 0.4, 0.1, 0.2, [250, 210, 30]],
      [0.5, 0.45, 0.1, 0.2, [40, 190, 70]],
      [0.65, 0.4, 0.1, 0.2, [240, 120, 20]],
      [0.8, 0.45, 0.1, 0.2, [200, 40, 200]],
    ],
    waves: 0,
    seed: 5,
  },
} satisfies Record<string, Scene>;

export type TestScene = keyof typeof scenes;

const made = new Map<TestScene, Promise<Buffer>>();

/** A small photo-like JPEG (320×240, a few tens of kB) made here, the same bytes every time. */
export function testPhoto(scene: TestScene): Promise<Buffer> {
  let photo = made.get(scene);
  if (!photo) {
    photo = renderScene(scenes[scene]);
    made.set(scene, photo);
  }
  return photo.then((bytes) => Buffer.from(bytes));
}

async function renderScene(scene: Scene, width = 320, height = 240): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  const random = mulberry32(scene.seed);
  const horizon = Math.round(scene.horizon * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const inSky = y < horizon;
      const [top, bottom] = inSky ? scene.sky : scene.ground;
      const t = inSky ? y / Math.max(1, horizon) : (y - horizon) / Math.max(1, height - horizon);
      const band = scene.waves * Math.sin(x / 17 + y / 9 + Math.sin(y / 23) * 3);
      const grain = (random() - 0.5) * 24;
      let colour: Rgb = [0, 1, 2].map(
        (c) => top[c]! + (bottom[c]! - top[c]!) * t,
      ) as unknown as Rgb;
      for (const [sx, sy, sw, sh, fill] of scene.shapes) {
        if (x >= sx * width && x < (sx + sw) * width && y >= sy * height && y < (sy + sh) * height)
          colour = fill;
      }
      for (let c = 0; c < 3; c += 1) {
        const value = colour[c]! + band * (c === 2 ? -0.5 : 1) + grain;
        pixels[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** A small seeded generator, so the grain (and so the bytes) repeat. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
