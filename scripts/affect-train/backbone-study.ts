/**
 * Round 5 of issue 14 (docs/decisions/0012-content-perception.md, "Round 5"): which richer
 * embedding, source weighting or planner arousal reading ranks the team's labels better, by
 * the same leave-one-source-out cross-validation and the same score as derive:affect (mean ρ
 * within each source of ≥ 12 images; pooled ρ beside it). affect-dev is never read here.
 *
 *   npx tsx scripts/affect-train/backbone-study.ts [--inception-side 224] [--only a,b]
 *     [--plan-design name]   (the head whose out-of-fold arousal the planner comparison uses)
 *
 * The head is derive:affect's: standardise (inside each fold), project out the k directions
 * that separate the training sources' means, ridge; k and λ picked by the score. It is computed
 * in kernel form (one Gram matrix per feature block per fold, the source directions from the
 * sources' mean Gram), which gives the same predictions as the primal code for a fraction of
 * the time, so that concatenations and block weightings can be compared cheaply.
 */
import { colourAffect, contentAffect } from '../../src/music/perception/affect-model.js';
import { prepareContentAnalysis } from '../../src/music/perception/content-analysis.js';
import derived from '../../src/music/perception/affect-model.json' with { type: 'json' };
import { spearman } from '../../bench/rank-correlation.js';
import { arousalTarget } from './arousal-target.js';
import { cachedStudyFeatures, type StudyFeatures } from './backbone-features.js';
import { readPackagedImage } from './debian-images.js';
import { cachedPerception } from './perception-cache.js';
import { readTeamSet } from './team-set.js';

const sideArg = process.argv.indexOf('--inception-side');
const INCEPTION_SIDE = sideArg > 0 ? Number(process.argv[sideArg + 1]) : 224;
const LAMBDAS = [100, 300, 1000, 3000, 10_000, 30_000, 100_000, 300_000, 1_000_000];
const K_GRID = [0, 2, 4, 8, 14];
const MIN_SOURCE = 12;

const team = readTeamSet();
await prepareContentAnalysis();
const perceptions = [];
const study: StudyFeatures[] = [];
for (const [i, image] of team.entries()) {
  const bytes = readPackagedImage(image.path);
  perceptions.push(await cachedPerception(bytes));
  study.push(await cachedStudyFeatures(bytes, INCEPTION_SIDE));
  if (i % 50 === 49) console.error(`features ${i + 1}/${team.length}`);
}
const n = team.length;
const groups = [...new Set(team.map((t) => t.group))].sort();
const folds = team.map((t) => groups.indexOf(t.group));
const photo = (g: string): boolean =>
  g.startsWith('endless-sky') || g.startsWith('wallpaper') || g.startsWith('gcompris');
const labels = {
  valence: team.map((t) => t.valence),
  arousal: team.map((t) => arousalTarget(t)),
};
type Axis = keyof typeof labels;

/** Feature blocks; a design is a weighted sum of their Gram matrices. */
/** Where MOBILENET_BLOCKS 5, 9, 12 and 15 sit in mnBlocksMean (widths 32, 48, 48, 88 × 3, 136 × 2, 224 × 2). */
const TODAY_BLOCKS: [number, number][] = [
  [80, 48],
  [304, 88],
  [528, 136],
  [888, 224],
];
const blocks: Record<string, Float32Array[]> = {
  // The embedding up to round 4: the final vector and the grid means of blocks 5, 9, 12 and 15.
  today: study.map((s) =>
    Float32Array.from([
      ...s.mnLast,
      ...TODAY_BLOCKS.flatMap(([at, width]) => s.mnBlocksMean.slice(at, at + width)),
    ]),
  ),
  mnLast: study.map((s) => Float32Array.from(s.mnLast)),
  mnLastMax: study.map((s) => Float32Array.from(s.mnLastMax)),
  mnBlocksMean: study.map((s) => Float32Array.from(s.mnBlocksMean)),
  mnBlocksMax: study.map((s) => Float32Array.from(s.mnBlocksMax)),
  inception: study.map((s) => Float32Array.from(s.inception)),
};

/** Standardised (train-fold statistics) Gram matrix of one block over all n images, n × n. */
function blockGram(rows: Float32Array[], train: number[]): Float64Array {
  const d = rows[0]?.length ?? 0;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const i of train) {
    const r = rows[i] as Float32Array;
    for (let j = 0; j < d; j++) mean[j] = (mean[j] ?? 0) + (r[j] ?? 0) / train.length;
  }
  for (const i of train) {
    const r = rows[i] as Float32Array;
    for (let j = 0; j < d; j++) sq[j] = (sq[j] ?? 0) + ((r[j] ?? 0) - (mean[j] ?? 0)) ** 2;
  }
  const scale = Float64Array.from(sq, (s) => Math.max(Math.sqrt(s / train.length), 1e-3));
  const z = rows.map((r) => Float64Array.from(r, (v, j) => (v - (mean[j] ?? 0)) / (scale[j] ?? 1)));
  const gram = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    const za = z[a] as Float64Array;
    for (let b = a; b < n; b++) {
      const zb = z[b] as Float64Array;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (za[j] as number) * (zb[j] as number);
      gram[a * n + b] = dot;
      gram[b * n + a] = dot;
    }
  }
  return gram;
}

/** Eigenvectors of a small symmetric matrix (cyclic Jacobi), largest eigenvalue first. */
function symmetricEigen(m: number[][]): { values: number[]; vectors: number[][] } {
  const size = m.length;
  const a = m.map((row) => [...row]);
  const v = a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < size; p++) for (let q = p + 1; q < size; q++) off += (a[p]?.[q] ?? 0) ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p]?.[q] ?? 0;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q]?.[q] ?? 0) - (a[p]?.[p] ?? 0)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k]?.[p] ?? 0;
          const akq = a[k]?.[q] ?? 0;
          (a[k] as number[])[p] = c * akp - s * akq;
          (a[k] as number[])[q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p]?.[k] ?? 0;
          const aqk = a[q]?.[k] ?? 0;
          (a[p] as number[])[k] = c * apk - s * aqk;
          (a[q] as number[])[k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k]?.[p] ?? 0;
          const vkq = v[k]?.[q] ?? 0;
          (v[k] as number[])[p] = c * vkp - s * vkq;
          (v[k] as number[])[q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = a.map((_, i) => i).sort((x, y) => (a[y]?.[y] ?? 0) - (a[x]?.[x] ?? 0));
  return {
    values: order.map((i) => a[i]?.[i] ?? 0),
    vectors: order.map((i) => v.map((row) => row[i] ?? 0)),
  };
}

/**
 * The Gram matrix after projecting out the k principal directions of the training sources'
 * centred means: K − P Pᵀ with P[i, c] = zᵢ · u_c, all read from K.
 */
function projectedGram(gram: Float64Array, train: number[], k: number): Float64Array {
  if (k === 0) return gram;
  const sources = [...new Set(train.map((i) => folds[i] as number))].sort((x, y) => x - y);
  const members = sources.map((s) => train.filter((i) => folds[i] === s));
  // a[i][s] = zᵢ · (m_s − m̄), m̄ the training mean.
  const a = Array.from({ length: n }, (_, i) => {
    let overall = 0;
    for (const j of train) overall += gram[i * n + j] as number;
    overall /= train.length;
    return members.map((idx) => {
      let sum = 0;
      for (const j of idx) sum += gram[i * n + j] as number;
      return sum / idx.length - overall;
    });
  });
  // Gram of the centred source means.
  const meanGram = members.map((idx) =>
    members.map((_, t) => idx.reduce((s, i) => s + (a[i]?.[t] ?? 0), 0) / idx.length),
  );
  const { values, vectors } = symmetricEigen(meanGram);
  const count = Math.min(k, sources.length - 1);
  const p = Array.from({ length: n }, (_, i) =>
    Array.from({ length: count }, (__, c) => {
      const value = values[c] ?? 0;
      if (value <= 1e-9) return 0;
      const vec = vectors[c] as number[];
      return vec.reduce((s, w, t) => s + w * (a[i]?.[t] ?? 0), 0) / Math.sqrt(value);
    }),
  );
  const out = Float64Array.from(gram);
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number[];
    for (let j = 0; j < n; j++) {
      const pj = p[j] as number[];
      let dot = 0;
      for (let c = 0; c < count; c++) dot += (pi[c] ?? 0) * (pj[c] ?? 0);
      out[i * n + j] = (out[i * n + j] as number) - dot;
    }
  }
  return out;
}

/** Cholesky solve of (K_tt + λ diag(1/w)) α = y. */
function ridgeDual(
  gram: Float64Array,
  train: number[],
  y: number[],
  lambda: number,
  weight: (i: number) => number,
): Float64Array {
  const m = train.length;
  const l = new Float64Array(m * m);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c <= r; c++) {
      let sum = gram[(train[r] as number) * n + (train[c] as number)] as number;
      if (r === c) sum += lambda / weight(train[r] as number);
      for (let k = 0; k < c; k++) sum -= (l[r * m + k] as number) * (l[c * m + k] as number);
      l[r * m + c] = r === c ? Math.sqrt(Math.max(sum, 1e-12)) : sum / (l[c * m + c] as number);
    }
  }
  const z = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let sum = y[r] as number;
    for (let k = 0; k < r; k++) sum -= (l[r * m + k] as number) * (z[k] as number);
    z[r] = sum / (l[r * m + r] as number);
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let sum = z[r] as number;
    for (let k = r + 1; k < m; k++) sum -= (l[k * m + r] as number) * (x[k] as number);
    x[r] = sum / (l[r * m + r] as number);
  }
  return x;
}

function withinSource(y: readonly number[], pred: readonly number[], onlyPhoto = false): number {
  const rhos: number[] = [];
  for (const g of groups) {
    if (onlyPhoto && !photo(g)) continue;
    const idx = team.map((t, i) => (t.group === g ? i : -1)).filter((i) => i >= 0);
    if (idx.length < MIN_SOURCE) continue;
    const rho = spearman(
      idx.map((i) => y[i] ?? 0),
      idx.map((i) => pred[i] ?? 0),
    );
    rhos.push(Number.isFinite(rho) ? rho : 0);
  }
  return rhos.reduce((s, r) => s + r, 0) / Math.max(rhos.length, 1);
}

interface Design {
  name: string;
  blocks: Partial<Record<keyof typeof blocks, number>>;
  /** Sample weight per image (default 1). */
  weight?: (i: number) => number;
}

/** Per-fold Gram matrices per block, computed once and shared by every design. */
const foldGrams: Map<string, Float64Array>[] = [];
function gramsFor(fold: number, names: string[]): Map<string, Float64Array> {
  const cached = (foldGrams[fold] ??= new Map());
  const train = team.map((_, i) => i).filter((i) => folds[i] !== fold);
  for (const name of names) {
    if (!cached.has(name)) cached.set(name, blockGram(blocks[name] as Float32Array[], train));
  }
  return cached;
}

interface DesignResult {
  axis: Axis;
  k: number;
  lambda: number;
  within: number;
  pooled: number;
  withinPhoto: number;
  pooledPhoto: number;
  oof: number[];
}

function runDesign(design: Design): Record<Axis, DesignResult> {
  const weight = design.weight ?? ((): number => 1);
  const names = Object.keys(design.blocks);
  const oof = new Map<string, Record<Axis, number[]>>();
  for (const k of K_GRID)
    for (const lambda of LAMBDAS)
      oof.set(`${k}:${lambda}`, {
        valence: new Array<number>(n).fill(0),
        arousal: new Array<number>(n).fill(0),
      });
  const globalMean = {
    valence: labels.valence.reduce((s, v) => s + v, 0) / n,
    arousal: labels.arousal.reduce((s, v) => s + v, 0) / n,
  };
  for (let f = 0; f < groups.length; f++) {
    const train = team.map((_, i) => i).filter((i) => folds[i] !== f);
    const test = team.map((_, i) => i).filter((i) => folds[i] === f);
    const grams = gramsFor(f, names);
    // Each block counts in proportion to its weight, divided by its width so that a wide block
    // does not drown a narrow one merely by having more dimensions; the overall scale is that
    // of the plain concatenation (one block: exactly derive:affect's kernel, so the same λ).
    const width = (name: string): number => blocks[name]?.[0]?.length ?? 1;
    const meanWidth = names.reduce((s, name) => s + width(name), 0) / names.length;
    const combined = new Float64Array(n * n);
    for (const name of names) {
      const g = grams.get(name) as Float64Array;
      const w = ((design.blocks[name] ?? 0) * meanWidth) / width(name);
      for (let i = 0; i < n * n; i++) combined[i] = (combined[i] as number) + w * (g[i] as number);
    }
    const totalWeight = train.reduce((s, i) => s + weight(i), 0);
    for (const k of K_GRID) {
      const projected = projectedGram(combined, train, k);
      for (const lambda of LAMBDAS) {
        const out = oof.get(`${k}:${lambda}`) as Record<Axis, number[]>;
        for (const axis of ['valence', 'arousal'] as const) {
          const y = labels[axis];
          const yMean = train.reduce((s, i) => s + weight(i) * (y[i] ?? 0), 0) / totalWeight;
          const alpha = ridgeDual(
            projected,
            train,
            train.map((i) => (y[i] ?? 0) - yMean),
            lambda,
            weight,
          );
          for (const t of test) {
            let v = globalMean[axis];
            train.forEach((i, r) => (v += (alpha[r] as number) * (projected[t * n + i] as number)));
            out[axis][t] = v;
          }
        }
      }
    }
  }
  const photoRows = team.map((t, i) => (photo(t.group) ? i : -1)).filter((i) => i >= 0);
  const result = {} as Record<Axis, DesignResult>;
  for (const axis of ['valence', 'arousal'] as const) {
    const y = labels[axis];
    let best: DesignResult | undefined;
    for (const [key, predictions] of oof) {
      const [k, lambda] = key.split(':').map(Number) as [number, number];
      const pred = predictions[axis];
      const within = withinSource(y, pred);
      if (best && within <= best.within + 1e-9) continue;
      best = {
        axis,
        k,
        lambda,
        within,
        pooled: spearman(y, pred),
        withinPhoto: withinSource(y, pred, true),
        pooledPhoto: spearman(
          photoRows.map((i) => y[i] ?? 0),
          photoRows.map((i) => pred[i] ?? 0),
        ),
        oof: pred,
      };
    }
    result[axis] = best as DesignResult;
  }
  return result;
}

const photoWeight =
  (w: number) =>
  (i: number): number =>
    photo(team[i]?.group ?? '') ? w : 1;
const designs: Design[] = [
  { name: 'today (mnLast + 4 block means)', blocks: { today: 1 } },
  { name: 'mn last + 10 block means', blocks: { mnLast: 1, mnBlocksMean: 1 } },
  {
    name: 'mn last+max, 10 blocks mean+max',
    blocks: { mnLast: 1, mnLastMax: 1, mnBlocksMean: 1, mnBlocksMax: 1 },
  },
  // The same blocks with every dimension weighted alike (what derive:affect fits on a plain
  // concatenated embedding): block weights equal to their width over the mean width.
  {
    name: 'mn last+max, 10 blocks mean+max, plain concatenation',
    blocks: {
      mnLast: 1792 / 1452,
      mnLastMax: 1792 / 1452,
      mnBlocksMean: 1112 / 1452,
      mnBlocksMax: 1112 / 1452,
    },
  },
  { name: 'mn 10 blocks mean+max only', blocks: { mnBlocksMean: 1, mnBlocksMax: 1 } },
  { name: `inception ${INCEPTION_SIDE}px (mixed5/7/10)`, blocks: { inception: 1 } },
  { name: 'today + inception', blocks: { today: 1, inception: 1 } },
  {
    name: 'mn multi mean+max + inception',
    blocks: { mnLast: 1, mnLastMax: 1, mnBlocksMean: 1, mnBlocksMax: 1, inception: 1 },
  },
  { name: 'today, photo sources weight 2', blocks: { today: 1 }, weight: photoWeight(2) },
  { name: 'today, photo sources weight 4', blocks: { today: 1 }, weight: photoWeight(4) },
  // A separate photograph head: the other sources all but left out of the fit (λ / w on the
  // diagonal makes their residuals almost free); its figure is the photographic columns.
  {
    name: 'today, photo-only head',
    blocks: { today: 1 },
    weight: (i) => (photo(team[i]?.group ?? '') ? 1 : 1e-4),
  },
];
/** `--only a,b`: the designs whose names contain any of the comma-separated parts. */
const only = process.argv.indexOf('--only');
const wanted = only > 0 ? (process.argv[only + 1] ?? '').split(',') : [];
const chosen =
  only > 0 ? designs.filter((d) => wanted.some((part) => d.name.includes(part))) : designs;

const f3 = (v: number): string => (v >= 0 ? ' ' : '') + v.toFixed(3);
console.log(
  'design | axis | k | λ | within-source ρ | pooled ρ | within photo sources | pooled photos',
);
const results = new Map<string, Record<Axis, DesignResult>>();
for (const design of chosen) {
  const started = performance.now();
  const r = runDesign(design);
  results.set(design.name, r);
  for (const axis of ['valence', 'arousal'] as const) {
    const x = r[axis];
    console.log(
      `${design.name} | ${axis} | ${x.k} | ${x.lambda} | ${f3(x.within)} | ${f3(x.pooled)} | ${f3(x.withinPhoto)} | ${f3(x.pooledPhoto)}`,
    );
  }
  console.error(`${design.name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Item 3: the planner's arousal up to plan v6 (½ blend + ½ colour, as standard scores) against
 * the blend alone and the head alone, with today's head out of fold and the shipped blend
 * weights (chosen on the team set, the same optimism for every row).
 */
const planArg = process.argv.indexOf('--plan-design');
const planDesign = planArg > 0 ? (process.argv[planArg + 1] ?? '') : (designs[0]?.name ?? '');
const today = [...results].find(([name]) => name.includes(planDesign))?.[1];
if (today) {
  console.log(`\nhead and blend weights: ${planDesign}; blend from affect-model.json as it stands`);
  const b = (derived as { blend: { arousal: BlendFile } }).blend.arousal;
  const colour = perceptions.map((p) => colourAffect(p.features).arousal);
  const content = perceptions.map((p) => contentAffect(p.content).arousal);
  const zOf = (part: BlendPart, v: number): number =>
    (v - (b.centre[part] ?? 0)) / (b.spread[part] || 1);
  const learned = today.arousal.oof;
  // The valence-extremity part needs out-of-fold valence; its weight has been 0 since round 3.
  if ((b.weights.extremity ?? 0) > 0)
    console.log('note: the blend weighs extremity; left out here');
  const blendStd = learned.map(
    (v, i) =>
      (b.weights.colour ?? 0) * zOf('colour', colour[i] ?? 0) +
      (b.weights.content ?? 0) * zOf('content', content[i] ?? 0) +
      (b.weights.learned ?? 0) * zOf('learned', v),
  );
  const plan = blendStd.map((v, i) => 0.5 * v + 0.5 * zOf('colour', colour[i] ?? 0));
  const y = labels.arousal;
  const photoRows = team.map((t, i) => (photo(t.group) ? i : -1)).filter((i) => i >= 0);
  console.log(
    '\nplanner arousal reading | within-source ρ | pooled ρ | within photo | pooled photos',
  );
  for (const [name, pred] of [
    ['colour reading alone', colour],
    ['learned head alone (oof)', learned],
    ['blend alone (shipped weights)', blendStd],
    ['plan today: ½ blend + ½ colour', plan],
  ] as const) {
    console.log(
      `${name} | ${f3(withinSource(y, pred))} | ${f3(spearman(y, pred))} | ${f3(withinSource(y, pred, true))} | ${f3(
        spearman(
          photoRows.map((i) => y[i] ?? 0),
          photoRows.map((i) => pred[i] ?? 0),
        ),
      )}`,
    );
  }
}

type BlendPart = 'colour' | 'content' | 'learned' | 'extremity';
interface BlendFile {
  weights: Partial<Record<BlendPart, number>>;
  centre: Partial<Record<BlendPart, number>>;
  spread: Partial<Record<BlendPart, number>>;
}
