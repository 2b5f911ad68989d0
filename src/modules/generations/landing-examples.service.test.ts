import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  drawExample,
  EXAMPLE_SLUGS,
  examplesCacheKey,
  LandingExampleShelf,
  readManifest,
} from './landing-examples.service.js';

describe('landing examples', () => {
  it('draws each picture itself, the same every time', async () => {
    const seen = new Set<string>();
    for (const slug of EXAMPLE_SLUGS) {
      const png = await drawExample(slug);
      const meta = await sharp(png).metadata();
      expect({ slug, format: meta.format, width: meta.width, height: meta.height }).toEqual({
        slug,
        format: 'png',
        width: 640,
        height: 400,
      });
      expect((await drawExample(slug)).equals(png)).toBe(true);
      seen.add(png.toString('base64'));
    }
    expect(seen.size).toBe(EXAMPLE_SLUGS.length);
    expect(examplesCacheKey).toMatch(/^[0-9a-f]{16}$/);
  });

  it('shows nothing until a set for this engine exists, and ignores another engine’s set', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'instune-examples-'));
    try {
      let now = 0;
      const shelf = new LandingExampleShelf(dataDir, () => now);
      await expect(shelf.examples()).resolves.toBeNull();
      // A set written by another engine version (another key) is not served.
      const other = path.join(dataDir, 'examples', 'feedfacefeedface');
      await mkdir(other, { recursive: true });
      await writeFile(
        path.join(other, 'manifest.json'),
        JSON.stringify({ key: 'feedfacefeedface', examples: [] }),
      );
      await expect(readManifest(dataDir)).resolves.toBeNull();
      // This engine's set appears; the shelf finds it at its next look.
      const folder = path.join(dataDir, 'examples', examplesCacheKey);
      await mkdir(folder, { recursive: true });
      const plan = {
        key: 'C major',
        mode: 'major',
        tempo: 90,
        style: 'folk',
        explanation: 'x',
        valence: 0,
        arousal: 0,
        palette: [],
      };
      await writeFile(path.join(folder, 'sunset.png'), await drawExample('sunset'));
      await writeFile(path.join(folder, 'sunset.mp3'), Buffer.from('ID3'));
      await writeFile(
        path.join(folder, 'manifest.json'),
        JSON.stringify({
          key: examplesCacheKey,
          examples: [{ slug: 'sunset', seconds: 15, seed: 1, plan }],
        }),
      );
      await expect(shelf.examples()).resolves.toBeNull(); // looked a moment ago
      now += 5_000;
      await expect(shelf.examples()).resolves.toHaveLength(1);
      await expect(shelf.file('sunset', 'mp3')).resolves.toEqual(Buffer.from('ID3'));
      await expect(shelf.file('night', 'mp3')).resolves.toBeNull();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
