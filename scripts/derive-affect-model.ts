/**
 * `npm run derive:affect`: fits the learned affect head and chooses the blend weights, only on
 * the team's labelled images (datasets/affect-train: MANIFEST.tsv, labels.tsv; images read from
 * the installed Debian packages, scripts/affect-train/install-packages.sh), and writes
 * src/music/perception/affect-model.json. affect-dev is never read here.
 *
 * 1. Perception of every team image (cached under /tmp/perception-cache).
 * 2. Ridge head on the standardised MobileNetV2 embedding, one per axis, after projecting out
 *    the k directions that most separate the sources' styles; k and λ chosen by leave-one-
 *    source-out cross-validation (Spearman ρ of out-of-fold predictions).
 * 3. Blend: out-of-fold head predictions, the colour model and the content table, each
 *    standardised on the team set; weights on a 0.05 simplex grid chosen by ρ, then a least-
 *    squares slope/intercept back to the label scale. A nested run (weights chosen without the
 *    fold being scored) reports how much the choice itself flatters the figure.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import {
  colourAffect,
  contentAffect,
  type AffectModelFile,
} from '../src/music/perception/affect-model.js';
import { prepareContentAnalysis } from '../src/music/perception/content-analysis.js';
import { spearman } from '../bench/rank-correlation.js';
import { readPackagedImage } from './affect-train/debian-images.js';
import {
  assignFolds,
  fitRidge,
  fitRidgeWithGram,
  fitStandardiser,
  gramMatrix,
  predictRidge,
  projectOut,
  sourceDirections,
  standardise,
} from './affect-train/fit.js';
import { cachedPerception } from './affect-train/perception-cache.js';
import { readTeamSet } from './affect-train/team-set.js';
import { arousalTarget } from './affect-train/arousal-target.js';

/**
 * Folds are whole sources (the manifest's groups: one game's portraits, one desktop's
 * wallpapers, one set of clip art), not random images: a new user's photo comes from none of
 * them, and random folds let the head score by recognising a source's style (white cut-outs,
 * cartoons) instead of what the picture shows. `--random-folds` gives the 10-fold figure.
 */
const RANDOM_FOLDS = process.argv.includes('--random-folds');
const LAMBDAS = [30, 100, 300, 1000, 3000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000];
const AXES = ['valence', 'arousal'] as const;
type Axis = (typeof AXES)[number];
const PARTS = ['colour', 'content', 'learned', 'extremity'] as const;
type Part = (typeof PARTS)[number];

/**
 * The shipped model was derived from the images up to t470 (rounds 1–5). Round 6 labelled 102
 * more (t471–t575) and re-derived on all of them; that model fell on the arousal confirmation
 * and moved valence within noise, so it was not shipped (docs/decisions/0012-content-perception.md,
 * "Round 6"). The default reproduces the shipped file; `--all-images` fits on every labelled image.
 */
const ALL_IMAGES = process.argv.includes('--all-images');
const LAST_SHIPPED_ID = 't470';
const team = readTeamSet().filter((t) => ALL_IMAGES || t.id <= LAST_SHIPPED_ID);
await prepareContentAnalysis();
const perceptions = [];
for (const image of team) perceptions.push(await cachedPerception(readPackagedImage(image.path)));
/**
 * `--last-layer-only`: the 1792-d final feature vector alone, for comparison (the engine then
 * reads only those dimensions: the weights for the rest are absent).
 */
const LAST_LAYER_ONLY = process.argv.includes('--last-layer-only');
const embeddings = perceptions.map((p) =>
  LAST_LAYER_ONLY ? p.embedding.subarray(0, 1792) : p.embedding,
);
/**
 * Arousal reads only the dimensions of the round-4 embedding: the final vector and the grid
 * means of blocks 5, 9, 12 and 15 (positions in today's layout: the final 1792, then the means
 * of blocks 2, 4, 5, 7, 8, 9, 11, 12, 14, 15, 32 to 224 channels each). The wider embedding
 * of round 5 gave arousal nothing in the team set's CV (mean ρ within sources 0.287 → 0.288)
 * and its re-chosen blend fell on affect-dev (0.18 → 0.12), so the arousal head and blend stay
 * those of round 4 (docs/decisions/0012-content-perception.md, "Round 5");
 * `--arousal-full-embedding` fits arousal on every dimension.
 */
const AROUSAL_FULL_EMBEDDING = process.argv.includes('--arousal-full-embedding') || LAST_LAYER_ONLY;
const ROUND4_SPANS: [number, number][] = [
  [0, 1792],
  [1872, 48],
  [2096, 88],
  [2320, 136],
  [2680, 224],
];
const arousalDims = AROUSAL_FULL_EMBEDDING
  ? Array.from({ length: embeddings[0]?.length ?? 0 }, (_, j) => j)
  : ROUND4_SPANS.flatMap(([at, width]) => Array.from({ length: width }, (_, j) => at + j));
const pick = (row: Float32Array, dims: readonly number[]): Float32Array =>
  Float32Array.from(dims, (j) => row[j] ?? 0);
const embeddingsFor = (axis: Axis): Float32Array[] =>
  axis === 'arousal' && !AROUSAL_FULL_EMBEDDING
    ? embeddings.map((row) => pick(row, arousalDims))
    : embeddings;
const groups = [...new Set(team.map((t) => t.group))].sort();
const folds = RANDOM_FOLDS
  ? assignFolds(team.length, 10)
  : team.map((t) => groups.indexOf(t.group));
const FOLDS = RANDOM_FOLDS ? 10 : groups.length;
/**
 * Arousal is fitted to the team's labels re-expressed on OASIS's definition of arousal, the
 * intensity of the response (scripts/affect-train/arousal-target.ts; docs/affect-rubric.md,
 * "Arousal v2"); `--team-arousal` fits the team's calm-vs-exciting label as it was rated.
 */
const TEAM_AROUSAL = process.argv.includes('--team-arousal');
/**
 * Images re-rated under rubric v2 are fitted to that rating; `--synthetic-arousal` ignores the
 * re-rating and fits the re-expression above instead, for comparison.
 */
const SYNTHETIC_AROUSAL = process.argv.includes('--synthetic-arousal');
const label = (axis: Axis): number[] =>
  team.map((t) => {
    if (axis !== 'arousal' || TEAM_AROUSAL) return t[axis];
    return arousalTarget(SYNTHETIC_AROUSAL ? { valence: t.valence, arousal: t.arousal } : t);
  });

const globalMean = {
  valence: label('valence').reduce((s, v) => s + v, 0) / team.length,
  arousal: label('arousal').reduce((s, v) => s + v, 0) / team.length,
};

/** How many between-source directions to project out of the embedding (0 = none). */
const K_GRID = [0, 2, 4, 8, 12, 14];

/**
 * Out-of-fold head predictions for every (k, λ) and both axes. Everything the head learns from
 * is refitted inside each fold: the standardiser, the source directions, the ridge weights.
 */
function outOfFoldAll(embeddings: readonly Float32Array[]): Map<string, Record<Axis, number[]>> {
  const labels = { valence: label('valence'), arousal: label('arousal') };
  const result = new Map<string, Record<Axis, number[]>>();
  for (const k of K_GRID) {
    for (const lambda of LAMBDAS) {
      result.set(`${k}:${lambda}`, {
        valence: new Array<number>(team.length).fill(0),
        arousal: new Array<number>(team.length).fill(0),
      });
    }
  }
  for (let f = 0; f < FOLDS; f++) {
    const train = team.map((_, i) => i).filter((i) => folds[i] !== f);
    const test = team.map((_, i) => i).filter((i) => folds[i] === f);
    if (test.length === 0) continue;
    const s = fitStandardiser(train.map((i) => embeddings[i] as Float32Array));
    const zTrain = standardise(
      train.map((i) => embeddings[i] as Float32Array),
      s,
    );
    const zTest = standardise(
      test.map((i) => embeddings[i] as Float32Array),
      s,
    );
    for (const k of K_GRID) {
      const directions = sourceDirections(
        zTrain,
        train.map((i) => team[i]?.group ?? ''),
        k,
      );
      const pTrain = projectOut(zTrain, directions);
      const pTest = projectOut(zTest, directions);
      const gram = gramMatrix(pTrain);
      for (const lambda of LAMBDAS) {
        const out = result.get(`${k}:${lambda}`) as Record<Axis, number[]>;
        for (const axis of AXES) {
          const model = fitRidgeWithGram(
            pTrain,
            gram,
            train.map((i) => labels[axis][i] ?? 0),
            lambda,
          );
          // The intercept is the whole set's label mean, not the training folds': with whole
          // sources left out, a fold-mean intercept moves against the left-out source's own
          // mean and the pooled ρ then measures that artefact rather than the head.
          model.bias = globalMean[axis];
          test.forEach((i, t) => (out[axis][i] = predictRidge(model, pTest[t] as Float64Array)));
        }
      }
    }
  }
  return result;
}

const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v: readonly number[]): number => {
  const m = mean(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length) || 1;
};

/** Every weight vector over `parts` with steps of 0.05 that sums to 1. */
function simplex(parts: readonly Part[]): Record<Part, number>[] {
  const out: Record<Part, number>[] = [];
  const walk = (i: number, left: number, acc: Partial<Record<Part, number>>): void => {
    const part = parts[i] as Part;
    if (i === parts.length - 1) {
      out.push({ ...acc, [part]: left / 20 } as Record<Part, number>);
      return;
    }
    for (let k = 0; k <= left; k++) walk(i + 1, left - k, { ...acc, [part]: k / 20 });
  };
  walk(0, 20, {});
  return out;
}

function mix(
  w: Partial<Record<Part, number>>,
  z: Partial<Record<Part, number[]>>,
  i: number,
): number {
  let sum = 0;
  for (const [part, weight] of Object.entries(w) as [Part, number][])
    sum += weight * (z[part]?.[i] ?? 0);
  return sum;
}

/**
 * How a design is scored on the held-out folds. Pooled ρ over all images is dominated by the
 * differences between sources (Wesnoth's painted monsters against flat wallpapers: a head that
 * only recognises the source scores well), which is not what a user's photo needs; the mean
 * of the ρ within each source (sources with ≥ 12 images) asks whether a design ranks pictures
 * of one kind. `--select pooled` restores the pooled criterion.
 */
const SELECT_POOLED = process.argv.join(' ').includes('--select pooled');
const MIN_SOURCE = 12;
function withinSource(y: readonly number[], pred: readonly number[], rows: number[]): number {
  const rhos: number[] = [];
  for (const g of groups) {
    const idx = rows.filter((i) => team[i]?.group === g);
    if (idx.length < MIN_SOURCE) continue;
    rhos.push(
      spearman(
        idx.map((i) => y[i] ?? 0),
        idx.map((i) => pred[i] ?? 0),
      ),
    );
  }
  return rhos.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) / Math.max(rhos.length, 1);
}
function score(y: readonly number[], pred: readonly number[], rows: number[]): number {
  return SELECT_POOLED
    ? spearman(
        rows.map((i) => y[i] ?? 0),
        rows.map((i) => pred[i] ?? 0),
      )
    : withinSource(y, pred, rows);
}
const allRows = team.map((_, i) => i);

function bestWeights(
  grid: Record<Part, number>[],
  z: Partial<Record<Part, number[]>>,
  y: number[],
  rows: number[],
): Record<Part, number> {
  let best = grid[0] as Record<Part, number>;
  let bestRho = -Infinity;
  for (const w of grid) {
    const mixed = new Array<number>(team.length).fill(0);
    for (const i of rows) mixed[i] = mix(w, z, i);
    const rho = score(y, mixed, rows);
    if (rho > bestRho + 1e-9) {
      bestRho = rho;
      best = w;
    }
  }
  return best;
}

const report: Record<string, unknown> = { images: team.length };
const blend = {} as AffectModelFile['blend'];
const heads = {} as Record<Axis, { weights: number[]; bias: number }>;
const lambdas = {} as Record<Axis, number>;
const directionCounts = {} as Record<Axis, number>;
const oofFull = outOfFoldAll(embeddings);
const oofByAxis: Record<Axis, Map<string, Record<Axis, number[]>>> = {
  valence: oofFull,
  arousal: AROUSAL_FULL_EMBEDDING ? oofFull : outOfFoldAll(embeddingsFor('arousal')),
};
const standardiser = fitStandardiser(embeddings);
const zAll = standardise(embeddings, standardiser);
/** Out-of-fold valence on the label scale, for the arousal blend's extremity reading. */
let valenceOof: number[] = [];

for (const axis of AXES) {
  const y = label(axis);
  let bestLambda = LAMBDAS[0] ?? 1000;
  let bestK = 0;
  let bestRho = -Infinity;
  let bestOof: number[] = [];
  const lambdaRho: Record<string, number> = {};
  for (const k of K_GRID) {
    for (const lambda of LAMBDAS) {
      const oof = oofByAxis[axis].get(`${k}:${lambda}`)?.[axis] ?? [];
      const rho = score(y, oof, allRows);
      lambdaRho[`k${k} λ${lambda}`] = Math.round(rho * 1000) / 1000;
      if (rho > bestRho + 1e-9) {
        bestRho = rho;
        bestLambda = lambda;
        bestK = k;
        bestOof = oof;
      }
    }
  }
  lambdas[axis] = bestLambda;
  directionCounts[axis] = bestK;
  const parts: Partial<Record<Part, number[]>> = {
    colour: perceptions.map((p) => colourAffect(p.features)[axis]),
    content: perceptions.map((p) => contentAffect(p.content)[axis]),
    learned: bestOof,
  };
  // Arousal also reads how far from neutral the picture's valence is: in rated picture sets
  // arousal rises towards both ends of valence (the "boomerang" of IAPS, Lang et al. 1998; a
  // V-shaped relation in Kuppens et al. 2013's meta-analysis; quadratic in OASIS's own norms,
  // Kurdi et al. 2017).
  const valenceCentre =
    valenceOof.length > 0
      ? ([...valenceOof].sort((a, b) => a - b)[Math.floor(valenceOof.length / 2)] ?? 0)
      : 0;
  if (axis === 'arousal') parts.extremity = valenceOof.map((v) => Math.abs(v - valenceCentre));
  const used = PARTS.filter((p) => parts[p] !== undefined);
  const centre: Partial<Record<Part, number>> = {};
  const spread: Partial<Record<Part, number>> = {};
  const z: Partial<Record<Part, number[]>> = {};
  for (const p of used) {
    const values = parts[p] ?? [];
    centre[p] = mean(values);
    spread[p] = sd(values);
    z[p] = values.map((v) => (v - (centre[p] ?? 0)) / (spread[p] ?? 1));
  }
  const grid = simplex(used);
  const all = team.map((_, i) => i);
  const weights = bestWeights(grid, z, y, all);
  const mixed = all.map((i) => mix(weights, z, i));
  const mx = mean(mixed);
  const my = mean(y);
  const slope =
    mixed.reduce((s, m, i) => s + (m - mx) * ((y[i] ?? 0) - my), 0) /
    (mixed.reduce((s, m) => s + (m - mx) ** 2, 0) || 1);
  // Nested: for each fold, weights chosen on the other folds, scored on this one.
  const nested = new Array<number>(team.length).fill(0);
  for (let f = 0; f < FOLDS; f++) {
    const w = bestWeights(
      grid,
      z,
      y,
      all.filter((i) => folds[i] !== f),
    );
    for (const i of all.filter((j) => folds[j] === f)) nested[i] = mix(w, z, i);
  }
  if (axis === 'valence') valenceOof = nested.map((m) => my + slope * (m - mx));
  blend[axis] = {
    weights,
    centre,
    spread,
    slope,
    intercept: my - slope * mx,
    ...(axis === 'arousal' ? { valenceCentre } : {}),
  };
  // The shipped weights come from data with the source directions removed, so they are already
  // orthogonal to them: the engine applies them to the plain standardised embedding.
  // An axis that reads part of the embedding is fitted on those columns (the standardiser is
  // per dimension, so the same) and gets weight 0 on the others.
  const dims =
    axis === 'arousal' ? arousalDims : Array.from({ length: zAll[0]?.length ?? 0 }, (_, j) => j);
  const zAxis =
    dims.length === (zAll[0]?.length ?? 0)
      ? zAll
      : zAll.map((row) => Float64Array.from(dims, (j) => row[j] ?? 0));
  const full = fitRidge(
    projectOut(
      zAxis,
      sourceDirections(
        zAxis,
        team.map((t) => t.group),
        bestK,
      ),
    ),
    y,
    bestLambda,
  );
  const weightsFull = new Array<number>(zAll[0]?.length ?? 0).fill(0);
  dims.forEach((j, c) => (weightsFull[j] = Number((full.weights[c] ?? 0).toPrecision(5))));
  heads[axis] = { weights: weightsFull, bias: full.bias };
  report[axis] = {
    lambdaRho,
    lambda: bestLambda,
    sourceDirectionsRemoved: bestK,
    cvRho: {
      ...Object.fromEntries(used.map((p) => [p, spearman(y, parts[p] ?? [])])),
      learned: spearman(y, bestOof),
      blend: spearman(y, mixed),
      blendNested: spearman(y, nested),
    },
    withinSourceRho: {
      ...Object.fromEntries(used.map((p) => [p, withinSource(y, parts[p] ?? [], allRows)])),
      blend: withinSource(y, mixed, allRows),
      blendNested: withinSource(y, nested, allRows),
    },
    weights,
  };
}

const round = (v: number, digits = 6): number => Number(v.toPrecision(digits));
const file: AffectModelFile & { about: string; trainedOn: unknown } = {
  about:
    'Written by scripts/derive-affect-model.ts (npm run derive:affect) from the team-labelled ' +
    'images in datasets/affect-train only. head: ridge regression on the standardised ' +
    'MobileNetV2 embedding (nsfwjs MobileNetV2Mid: 1792-d feature vector, plus grid means of ten ' +
    'blocks and grid maxima of those and the last map unless --last-layer-only; arousal reads only ' +
    'the final vector and the means of blocks 5, 9, 12, 15 unless --arousal-full-embedding), one per ' +
    'axis; blend: weights ' +
    'on standardised colour / content-table / learned readings (arousal also |valence − centre|) ' +
    'chosen by 10-fold CV, mapped back to the −1..1 label scale. Labels: OASIS-scale 1..7 ' +
    'ratings by the team, (x − 4) / 3.',
  version: 2,
  trainedOn: {
    images: team.length,
    arousalLabel: TEAM_AROUSAL
      ? 'team arousal (calm vs exciting, rubric v1)'
      : SYNTHETIC_AROUSAL || !team.some((t) => t.arousalV2 !== undefined)
        ? 'OASIS definition (intensity): ½·team arousal + ½·(1 + 2·|team valence − 4|)'
        : 'OASIS definition (intensity): team arousal re-rated under rubric v2 (labels.tsv arousal_v2)',
    selectedBy: SELECT_POOLED ? 'pooled ρ' : `mean ρ within each source (≥ ${MIN_SOURCE} images)`,
    folds: RANDOM_FOLDS ? '10 random folds' : `leave one source out (${groups.length} sources)`,
    lambda: lambdas,
    sourceDirectionsRemoved: directionCounts,
    arousalEmbedding: AROUSAL_FULL_EMBEDDING
      ? 'every dimension'
      : 'round-4 dimensions (final vector + grid means of blocks 5, 9, 12, 15)',
    report,
  },
  head: {
    mean: standardiser.mean.map((v) => round(v, 5)),
    scale: standardiser.scale.map((v) => round(v, 5)),
    valence: heads.valence,
    arousal: heads.arousal,
  },
  blend,
};
const target = fileURLToPath(new URL('../src/music/perception/affect-model.json', import.meta.url));
writeFileSync(target, await format(JSON.stringify(file), { parser: 'json', printWidth: 100 }));
console.log(JSON.stringify(report, null, 2));
console.log(`wrote ${target}`);
