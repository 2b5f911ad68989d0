/**
 * Small numerical pieces for the affect head: standardisation, ridge regression in its dual
 * form (n images ≪ d embedding dimensions, so an n × n solve), fold assignment. Plain TypeScript,
 * no numerics dependency; sizes here are a few hundred images by ~1800 dimensions.
 */
import { createRng } from '../../src/music/random.js';

export interface Standardiser {
  mean: number[];
  scale: number[];
}

export function fitStandardiser(rows: readonly Float32Array[]): Standardiser {
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] = (mean[j] ?? 0) + (r[j] ?? 0);
  for (let j = 0; j < d; j++) mean[j] = (mean[j] ?? 0) / rows.length;
  for (const r of rows) {
    for (let j = 0; j < d; j++) sq[j] = (sq[j] ?? 0) + ((r[j] ?? 0) - (mean[j] ?? 0)) ** 2;
  }
  // A floor keeps dead (always-zero) ReLU channels from dividing by zero.
  const scale = sq.map((s) => Math.max(Math.sqrt(s / rows.length), 1e-3));
  return { mean, scale };
}

export function standardise(rows: readonly Float32Array[], s: Standardiser): Float64Array[] {
  return rows.map((r) =>
    Float64Array.from(r, (v, j) => (v - (s.mean[j] ?? 0)) / (s.scale[j] ?? 1)),
  );
}

/** Solves (A) x = b for symmetric positive definite A (Cholesky), A given as rows. */
function solveSpd(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const l = a.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const li = l[i] as Float64Array;
    for (let j = 0; j <= i; j++) {
      const lj = l[j] as Float64Array;
      let sum = (a[i] as Float64Array)[j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (li[k] ?? 0) * (lj[k] ?? 0);
      li[j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / (lj[j] ?? 1);
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= ((l[i] as Float64Array)[k] ?? 0) * (y[k] ?? 0);
    y[i] = sum / ((l[i] as Float64Array)[i] ?? 1);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] ?? 0;
    for (let k = i + 1; k < n; k++) sum -= ((l[k] as Float64Array)[i] ?? 0) * (x[k] ?? 0);
    x[i] = sum / ((l[i] as Float64Array)[i] ?? 1);
  }
  return x;
}

export interface RidgeModel {
  weights: Float64Array;
  bias: number;
}

/** Ridge regression via the dual: α = (Z Zᵀ + λ I)⁻¹ (y − ȳ), w = Zᵀ α, bias ȳ. */
export function fitRidge(
  z: readonly Float64Array[],
  y: readonly number[],
  lambda: number,
): RidgeModel {
  const n = z.length;
  const d = z[0]?.length ?? 0;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const gram = z.map((zi, i) => {
    const row = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const zk = z[k] as Float64Array;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (zi[j] ?? 0) * (zk[j] ?? 0);
      row[k] = dot + (i === k ? lambda : 0);
    }
    return row;
  });
  const alpha = solveSpd(
    gram,
    Float64Array.from(y, (v) => v - mean),
  );
  const weights = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const zi = z[i] as Float64Array;
    const a = alpha[i] ?? 0;
    for (let j = 0; j < d; j++) weights[j] = (weights[j] ?? 0) + a * (zi[j] ?? 0);
  }
  return { weights, bias: mean };
}

export function predictRidge(model: RidgeModel, z: Float64Array): number {
  let v = model.bias;
  for (let j = 0; j < z.length; j++) v += (z[j] ?? 0) * (model.weights[j] ?? 0);
  return v;
}

/** Fold index per item: a seeded shuffle dealt round-robin into k folds (deterministic). */
export function assignFolds(n: number, k: number, seed = 14): number[] {
  const rng = createRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const folds = new Array<number>(n).fill(0);
  order.forEach((item, position) => (folds[item] = position % k));
  return folds;
}

/** Z Zᵀ: computed once per fold and reused for every λ. */
export function gramMatrix(z: readonly Float64Array[]): Float64Array[] {
  const n = z.length;
  const gram = z.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const zi = z[i] as Float64Array;
    for (let k = i; k < n; k++) {
      const zk = z[k] as Float64Array;
      let dot = 0;
      for (let j = 0; j < zi.length; j++) dot += (zi[j] ?? 0) * (zk[j] ?? 0);
      (gram[i] as Float64Array)[k] = dot;
      (gram[k] as Float64Array)[i] = dot;
    }
  }
  return gram;
}

/** fitRidge with a precomputed Gram matrix (same result). */
export function fitRidgeWithGram(
  z: readonly Float64Array[],
  gram: readonly Float64Array[],
  y: readonly number[],
  lambda: number,
): RidgeModel {
  const n = z.length;
  const d = z[0]?.length ?? 0;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const regularised = gram.map((row, i) => {
    const copy = Float64Array.from(row);
    copy[i] = (copy[i] ?? 0) + lambda;
    return copy;
  });
  const alpha = solveSpd(
    regularised,
    Float64Array.from(y, (v) => v - mean),
  );
  const weights = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const zi = z[i] as Float64Array;
    const a = alpha[i] ?? 0;
    for (let j = 0; j < d; j++) weights[j] = (weights[j] ?? 0) + a * (zi[j] ?? 0);
  }
  return { weights, bias: mean };
}

/**
 * The k directions along which the sources' mean embeddings differ most (principal directions
 * of the centred source means, by power iteration with deflation). Projecting them out removes
 * what tells one source's style from another's (cut-outs on white, cartoons, game paintings),
 * a nuisance-attribute projection as in speaker recognition (Solomonoff et al. 2005), at the
 * price of whatever true affect differs between sources too; cross-validation chooses k.
 */
export function sourceDirections(
  z: readonly Float64Array[],
  sources: readonly string[],
  k: number,
): Float64Array[] {
  const d = z[0]?.length ?? 0;
  const names = [...new Set(sources)].sort();
  const overall = new Float64Array(d);
  for (const row of z)
    for (let j = 0; j < d; j++) overall[j] = (overall[j] ?? 0) + (row[j] ?? 0) / z.length;
  const means = names.map((name) => {
    const m = new Float64Array(d);
    let count = 0;
    z.forEach((row, i) => {
      if (sources[i] !== name) return;
      count++;
      for (let j = 0; j < d; j++) m[j] = (m[j] ?? 0) + (row[j] ?? 0);
    });
    for (let j = 0; j < d; j++) m[j] = (m[j] ?? 0) / Math.max(count, 1) - (overall[j] ?? 0);
    return m;
  });
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (a[j] ?? 0) * (b[j] ?? 0);
    return s;
  };
  const directions: Float64Array[] = [];
  for (let c = 0; c < Math.min(k, names.length - 1); c++) {
    // Deterministic start: the sum of the source means, nudged so it is never zero.
    let u = new Float64Array(d).map(
      (_, j) => means.reduce((s, m) => s + Math.abs(m[j] ?? 0), 0) + 1e-6 * (j % 7),
    );
    for (let iteration = 0; iteration < 200; iteration++) {
      const next = new Float64Array(d);
      for (const m of means) {
        const w = dot(m, u);
        for (let j = 0; j < d; j++) next[j] = (next[j] ?? 0) + w * (m[j] ?? 0);
      }
      for (const prev of directions) {
        const w = dot(next, prev);
        for (let j = 0; j < d; j++) next[j] = (next[j] ?? 0) - w * (prev[j] ?? 0);
      }
      const norm = Math.sqrt(dot(next, next));
      if (norm < 1e-12) break;
      for (let j = 0; j < d; j++) next[j] = (next[j] ?? 0) / norm;
      u = next;
    }
    directions.push(u);
  }
  return directions;
}

export function projectOut(
  z: readonly Float64Array[],
  directions: readonly Float64Array[],
): Float64Array[] {
  return z.map((row) => {
    const out = Float64Array.from(row);
    for (const u of directions) {
      let w = 0;
      for (let j = 0; j < out.length; j++) w += (out[j] ?? 0) * (u[j] ?? 0);
      for (let j = 0; j < out.length; j++) out[j] = (out[j] ?? 0) - w * (u[j] ?? 0);
    }
    return out;
  });
}
