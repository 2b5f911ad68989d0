/**
 * `npm run eval:affect`: how well the image's valence/arousal rank photographs the way people
 * rated them. A bench, not a test; it never fits anything.
 *
 * - affect-dev (../shared/data/affect-dev: 300 OASIS photographs with mean human ratings; read
 *   for evaluation only, never shipped or shown): Spearman ρ with a bootstrap 95 % interval,
 *   overall and per OASIS category (Person, Animal, Object, Scenery), for the trivial
 *   colourfulness baseline, the current colour model (estimateEmotion), the content table, the
 *   learned head and the final blend;
 * - the team set's cross-validated figures (leave one source out), as recorded by `npm run derive:affect`;
 * - perception time per image (median, after warm-up, cache bypassed) and the process's memory
 *   growth (RSS) from before the models load to after the timed images.
 *
 * Run: npm run eval:affect [-- --dev DIR] [--json] [--timed N]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../src/music/random.js';
import {
  blendAffect,
  planAffect,
  colourAffect,
  contentAffect,
  learnedAffect,
  type AffectModelFile,
} from '../src/music/perception/affect-model.js';
import model from '../src/music/perception/affect-model.json' with { type: 'json' };
import {
  perceiveContent,
  prepareContentAnalysis,
} from '../src/music/perception/content-analysis.js';
import { cachedPerception } from '../scripts/affect-train/perception-cache.js';
import { spearman } from './rank-correlation.js';

const { values } = parseArgs({
  options: {
    dev: {
      type: 'string',
      default: fileURLToPath(new URL('../../shared/data/affect-dev', import.meta.url)),
    },
    json: { type: 'boolean', default: false },
    timed: { type: 'string', default: '40' },
  },
});

interface Rated {
  file: string;
  valence: number;
  arousal: number;
  category: string;
}

function readRatings(dir: string): Rated[] {
  const [header, ...lines] = readFileSync(`${dir}/ratings.tsv`, 'utf8').trim().split('\n');
  const cols = (header ?? '').split('\t');
  const at = (name: string): number => cols.indexOf(name);
  return lines.map((line) => {
    const c = line.split('\t');
    return {
      file: c[at('file')] ?? '',
      valence: Number(c[at('valence')]),
      arousal: Number(c[at('arousal')]),
      category: c[at('category')] ?? '',
    };
  });
}

const BOOTSTRAP = 2000;

/** ρ with a percentile bootstrap interval (resampling images, fixed seed). */
function rhoWithCi(x: number[], y: number[]): { rho: number; lo: number; hi: number; n: number } {
  const rng = createRng(2017);
  const n = x.length;
  const samples: number[] = [];
  for (let b = 0; b < BOOTSTRAP; b++) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rng.next() * n);
      xs.push(x[k] ?? 0);
      ys.push(y[k] ?? 0);
    }
    samples.push(spearman(xs, ys));
  }
  samples.sort((a, b) => a - b);
  return {
    rho: spearman(x, y),
    lo: samples[Math.floor(0.025 * BOOTSTRAP)] ?? NaN,
    hi: samples[Math.floor(0.975 * BOOTSTRAP)] ?? NaN,
    n,
  };
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const dir = values.dev;
const rated = readRatings(dir);
const rssBefore = process.memoryUsage().rss;
await prepareContentAnalysis();

// Timing first, on fresh analyses (the disk cache and the in-process cache both bypassed: each
// image is perceived once here, the first call on a copy of its bytes after a warm-up image).
const timedCount = Math.min(Number(values.timed), rated.length);
const timings: number[] = [];
if (rated[0]) await perceiveContent(new Uint8Array(readFileSync(`${dir}/${rated[0].file}`)));
for (const r of rated.slice(1, 1 + timedCount)) {
  const bytes = new Uint8Array(readFileSync(`${dir}/${r.file}`));
  const started = performance.now();
  await perceiveContent(bytes);
  timings.push(performance.now() - started);
}
const rssAfter = process.memoryUsage().rss;

const METHODS = [
  'colourfulness',
  'colour model',
  'content table',
  'learned head',
  'blend',
  'plan reading',
] as const;
type Method = (typeof METHODS)[number];
const predictions: Record<Method, { valence: number[]; arousal: number[] }> = Object.fromEntries(
  METHODS.map((m) => [m, { valence: [], arousal: [] }]),
) as unknown as Record<Method, { valence: number[]; arousal: number[] }>;
for (const r of rated) {
  const p = await cachedPerception(new Uint8Array(readFileSync(`${dir}/${r.file}`)));
  const colour = colourAffect(p.features);
  const content = contentAffect(p.content);
  const learned = learnedAffect(p.embedding);
  const blended = blendAffect({ colour, content, learned });
  const push = (m: Method, v: number, a: number): void => {
    predictions[m].valence.push(v);
    predictions[m].arousal.push(a);
  };
  const colourfulness = p.features.colourfulness ?? p.features.saturation;
  push('colourfulness', colourfulness, colourfulness);
  push('colour model', colour.valence, colour.arousal);
  push('content table', content.valence, content.arousal);
  push('learned head', learned.valence, learned.arousal);
  push('blend', blended.valence, blended.arousal);
  // What the planner uses (perception/affect-model.ts planAffect): the blend's standard scores
  // (until plan v6, arousal was half blend, half colour).
  const plan = planAffect({ ...blended, colour, content, learned });
  push('plan reading', plan.valence, plan.arousal);
}

const groups = ['all', 'Person', 'Animal', 'Object', 'Scenery'];
const table: Record<string, Record<string, Record<string, ReturnType<typeof rhoWithCi>>>> = {};
for (const m of METHODS) {
  table[m] = {};
  for (const g of groups) {
    const idx = rated
      .map((r, i) => (g === 'all' || r.category === g ? i : -1))
      .filter((i) => i >= 0);
    const row: Record<string, ReturnType<typeof rhoWithCi>> = {};
    for (const axis of ['valence', 'arousal'] as const) {
      row[axis] = rhoWithCi(
        idx.map((i) => predictions[m][axis][i] ?? 0),
        idx.map((i) => rated[i]?.[axis] ?? 0),
      );
    }
    table[m][g] = row;
  }
}

const trained = (model as unknown as AffectModelFile & { trainedOn?: { report?: unknown } })
  .trainedOn?.report;
const timing = {
  timedImages: timings.length,
  medianMs: median(timings),
  p90Ms: [...timings].sort((a, b) => a - b)[Math.floor(0.9 * (timings.length - 1))] ?? 0,
  rssGrowthMiB: (rssAfter - rssBefore) / 2 ** 20,
};

if (values.json) {
  console.log(JSON.stringify({ images: rated.length, table, teamCv: trained, timing }, null, 2));
} else {
  const f = (c: { rho: number; lo: number; hi: number }): string =>
    `${c.rho.toFixed(2)} [${c.lo.toFixed(2)}, ${c.hi.toFixed(2)}]`;
  console.log(`affect-dev: ${rated.length} images; Spearman ρ [bootstrap 95 % CI]`);
  for (const axis of ['valence', 'arousal'] as const) {
    console.log(`\n${axis}`);
    console.log(`${'method'.padEnd(15)}${groups.map((g) => g.padEnd(21)).join('')}`);
    for (const m of METHODS) {
      const row = table[m] as Record<
        string,
        Record<string, { rho: number; lo: number; hi: number }>
      >;
      console.log(
        `${m.padEnd(15)}${groups.map((g) => f(row[g]?.[axis] ?? { rho: NaN, lo: NaN, hi: NaN }).padEnd(21)).join('')}`,
      );
    }
  }
  console.log('\nteam set (cross-validated by npm run derive:affect; folds as recorded):');
  console.log(JSON.stringify(trained, null, 1));
  console.log(
    `\nperception: median ${timing.medianMs.toFixed(0)} ms per image (p90 ${timing.p90Ms.toFixed(0)} ms, ` +
      `${timing.timedImages} images after warm-up); RSS growth ${timing.rssGrowthMiB.toFixed(0)} MiB ` +
      '(models loaded + images analysed)',
  );
}
