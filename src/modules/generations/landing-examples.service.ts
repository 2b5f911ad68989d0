import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import { PLAN_VERSION } from '../../music/plan/music-plan.js';
import { planSummarySchema } from './plan-summary.js';
import { summarisePlan, type ComposeFn } from './run-generation.service.js';

/*
 * The landing page's examples: a few pieces the engine composes from pictures the project draws
 * itself (below, as SVG rendered by sharp), so there is something to hear before signing in.
 * Nothing is hand-made and nothing is copied from elsewhere: each picture is this file's own
 * drawing (CC0, see docs/decisions/0024-landing-examples.md). They are composed once per engine
 * version, in the background, by a process that composes, and cached under DATA_DIR/examples;
 * the web role only reads that folder.
 */

export const EXAMPLE_SLUGS = ['sunset', 'night', 'forest'] as const;
export type ExampleSlug = (typeof EXAMPLE_SLUGS)[number];

interface ExampleSpec {
  slug: ExampleSlug;
  seconds: number;
  seed: number;
  svg: string;
}

const WIDTH = 640;
const HEIGHT = 400;

/** A small deterministic generator, so the drawings (and their cache key) never change by chance. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function svg(body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">${body}</svg>`;
}

function sunset(): string {
  const ripples = Array.from({ length: 9 }, (_, i) => {
    const y = 262 + i * 15;
    const half = 90 - i * 8;
    return `<rect x="${320 - half}" y="${y}" width="${2 * half}" height="4" rx="2" fill="#ffd27a" opacity="${(0.8 - i * 0.08).toFixed(2)}"/>`;
  }).join('');
  return svg(`<defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3b1f5c"/><stop offset="0.45" stop-color="#d9485f"/>
      <stop offset="0.8" stop-color="#ff9a4d"/><stop offset="1" stop-color="#ffd27a"/>
    </linearGradient>
    <linearGradient id="sea" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#5a2d57"/><stop offset="1" stop-color="#1d1433"/>
    </linearGradient></defs>
    <rect width="${WIDTH}" height="250" fill="url(#sky)"/>
    <circle cx="320" cy="250" r="70" fill="#ffe08a"/>
    <rect y="250" width="${WIDTH}" height="${HEIGHT - 250}" fill="url(#sea)"/>${ripples}`);
}

function night(): string {
  const random = lcg(7);
  const stars = Array.from({ length: 140 }, () => {
    const x = (random() * WIDTH).toFixed(1);
    const y = (random() * 300).toFixed(1);
    const r = (0.5 + random() * 1.6).toFixed(2);
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="#f4f1ff" opacity="${(0.4 + random() * 0.6).toFixed(2)}"/>`;
  }).join('');
  return svg(`<defs>
    <radialGradient id="glow" cx="0.78" cy="0.22" r="0.9">
      <stop offset="0" stop-color="#2b3f7a"/><stop offset="1" stop-color="#070b1d"/>
    </radialGradient></defs>
    <rect width="${WIDTH}" height="${HEIGHT}" fill="url(#glow)"/>${stars}
    <circle cx="500" cy="90" r="34" fill="#fdf6d8"/><circle cx="514" cy="80" r="30" fill="#22335f"/>
    <path d="M0 330 L90 290 L170 320 L260 270 L350 315 L450 280 L540 320 L640 295 L640 400 L0 400 Z" fill="#03050f"/>`);
}

function forest(): string {
  const random = lcg(11);
  const greens = ['#1f5f3a', '#2e7d4f', '#3f9b5f', '#175030', '#4caf6a'];
  const trees = Array.from({ length: 34 }, (_, i) => {
    const x = (i / 33) * (WIDTH + 40) - 20 + (random() - 0.5) * 18;
    const h = 120 + random() * 140;
    const w = 40 + random() * 36;
    const base = 330 + (i % 3) * 22;
    const green = greens[Math.floor(random() * greens.length)] ?? '#2e7d4f';
    return `<rect x="${(x - 4).toFixed(1)}" y="${base - 14}" width="8" height="26" fill="#5b3a24"/><polygon points="${(x - w / 2).toFixed(1)},${base} ${(x + w / 2).toFixed(1)},${base} ${x.toFixed(1)},${(base - h).toFixed(1)}" fill="${green}"/>`;
  }).join('');
  return svg(`<defs>
    <linearGradient id="day" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#bfe6ff"/><stop offset="1" stop-color="#effae6"/>
    </linearGradient></defs>
    <rect width="${WIDTH}" height="${HEIGHT}" fill="url(#day)"/>
    <circle cx="110" cy="80" r="38" fill="#fff5c2"/>
    <rect y="340" width="${WIDTH}" height="60" fill="#6d9b3c"/>${trees}`);
}

const specs: readonly ExampleSpec[] = [
  { slug: 'sunset', seconds: 15, seed: 1801, svg: sunset() },
  { slug: 'night', seconds: 15, seed: 1802, svg: night() },
  { slug: 'forest', seconds: 15, seed: 1803, svg: forest() },
];

/**
 * Names the cache: the engine's plan version and every drawing and request, so a new engine (or
 * a changed drawing) composes the examples again and an old folder is never served for it.
 */
export const examplesCacheKey: string = createHash('sha256')
  .update(`plan v${PLAN_VERSION}\0`)
  .update(JSON.stringify(specs))
  .digest('hex')
  .slice(0, 16);

const manifestSchema = z.object({
  key: z.string(),
  examples: z.array(
    z.object({
      slug: z.enum(EXAMPLE_SLUGS),
      seconds: z.number(),
      seed: z.number(),
      plan: planSummarySchema,
    }),
  ),
});
export type ExamplesManifest = z.infer<typeof manifestSchema>;
export type LandingExample = ExamplesManifest['examples'][number];

const examplesRoot = (dataDir: string) => path.join(dataDir, 'examples');

/** The picture of one example, as PNG. */
export function drawExample(slug: ExampleSlug): Promise<Buffer> {
  const spec = specs.find((s) => s.slug === slug);
  if (!spec) throw new Error(`no example ${slug}`);
  return sharp(Buffer.from(spec.svg)).png({ compressionLevel: 9 }).toBuffer();
}

/**
 * Composes the examples into DATA_DIR/examples/<key> unless they are there already. Written to a
 * scratch folder and renamed into place, so a reader never sees half a set; older sets go.
 * Resolves false when stopped first.
 */
export async function composeLandingExamples(deps: {
  dataDir: string;
  compose: ComposeFn;
  log: Logger;
  signal: AbortSignal;
}): Promise<boolean> {
  const root = examplesRoot(deps.dataDir);
  const target = path.join(root, examplesCacheKey);
  if (await readManifest(deps.dataDir)) return true;
  const scratch = path.join(root, `.${examplesCacheKey}-${process.pid}-${Date.now()}`);
  await mkdir(scratch, { recursive: true });
  try {
    const examples: LandingExample[] = [];
    for (const spec of specs) {
      if (deps.signal.aborted) return false;
      const image = await drawExample(spec.slug);
      const track = await deps.compose({
        image,
        seconds: spec.seconds,
        seed: spec.seed,
        produceId: `instune-example-${spec.slug}-${examplesCacheKey}`,
      });
      await writeFile(path.join(scratch, `${spec.slug}.png`), image);
      await writeFile(path.join(scratch, `${spec.slug}.mp3`), track.mp3);
      examples.push({
        slug: spec.slug,
        seconds: track.durationSeconds,
        seed: spec.seed,
        plan: summarisePlan(track),
      });
    }
    const manifest: ExamplesManifest = { key: examplesCacheKey, examples };
    await writeFile(path.join(scratch, 'manifest.json'), JSON.stringify(manifest));
    await rm(target, { recursive: true, force: true });
    await rename(scratch, target);
    for (const entry of await readdir(root)) {
      if (entry !== examplesCacheKey && !entry.startsWith('.')) {
        await rm(path.join(root, entry), { recursive: true, force: true });
      }
    }
    deps.log.info({ key: examplesCacheKey, count: examples.length }, 'landing examples composed');
    return true;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The current engine's examples, if they have been composed. */
export async function readManifest(dataDir: string): Promise<ExamplesManifest | null> {
  let text: string;
  try {
    text = await readFile(
      path.join(examplesRoot(dataDir), examplesCacheKey, 'manifest.json'),
      'utf8',
    );
  } catch {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = manifestSchema.safeParse(value);
  return parsed.success && parsed.data.key === examplesCacheKey ? parsed.data : null;
}

/** How often the web looks again for examples that were not there yet. */
const RECHECK_MS = 5_000;

/**
 * What the web role shows: the examples once they exist, read from disk once and kept in
 * memory (three pictures and three short MP3s, about a megabyte).
 */
export class LandingExampleShelf {
  private found: { manifest: ExamplesManifest; files: Map<string, Buffer> } | null = null;
  private lookedAt = 0;
  private looking: Promise<void> | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly now: () => number,
  ) {}

  /** The examples, or null while they are being composed. */
  async examples(): Promise<readonly LandingExample[] | null> {
    if (!this.found && this.now() - this.lookedAt >= RECHECK_MS) {
      this.looking ??= this.look().finally(() => (this.looking = null));
      await this.looking;
    }
    return this.found?.manifest.examples ?? null;
  }

  /** One example's picture (`png`) or music (`mp3`). */
  async file(slug: string, kind: 'png' | 'mp3'): Promise<Buffer | null> {
    await this.examples();
    return this.found?.files.get(`${slug}.${kind}`) ?? null;
  }

  private async look(): Promise<void> {
    this.lookedAt = this.now();
    // A set being replaced as it is read is simply looked for again a little later.
    await this.read().catch(() => undefined);
  }

  private async read(): Promise<void> {
    const manifest = await readManifest(this.dataDir);
    if (!manifest) return;
    const folder = path.join(examplesRoot(this.dataDir), manifest.key);
    const files = new Map<string, Buffer>();
    for (const example of manifest.examples) {
      for (const kind of ['png', 'mp3'] as const) {
        const name = `${example.slug}.${kind}`;
        files.set(name, await readFile(path.join(folder, name)));
      }
    }
    this.found = { manifest, files };
  }
}
