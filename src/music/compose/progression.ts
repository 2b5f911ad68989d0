import type { Rng } from '../random.js';
import { HARMONY_STATS, type CorpusSource, type WirRepertoire } from './corpus-stats.js';

/**
 * Degree progressions drawn from a corpus-trained chain (Nottingham folk tunes or Bach chorales,
 * optionally tilted toward a When-in-Rome repertoire) with a second-order correction: a chain
 * of first-order moves alone ping-pongs (I–IV–I–IV…, because IV → I is the commonest move in
 * the source), so returning straight to the chord before last is discounted, and three of the
 * same chord in a row are not allowed. Sampling is forward-filtering/backward-sampling over
 * (previous, current) degree pairs, so cadences fixed at phrase ends are reached through moves
 * the source actually makes.
 */

export interface DegreeChain {
  /** P(next | current) including staying on the same degree (the diagonal), rows sum to 1. */
  weights: readonly (readonly number[])[];
  /** Degrees the source uses at all, and on strong slots. */
  allowed: readonly boolean[];
  allowedStrong: readonly boolean[];
}

/** Below this probability a move or degree counts as noise in the source. */
const MIN_PROBABILITY = 0.02;
/** Staying on a chord is capped so a chord-per-bar progression still moves. */
const REPEAT_CAP = 0.25;
/** How strongly When-in-Rome usage reweights the chain's targets (0 = none, 1 = fully). */
const TILT = 0.5;
/** Weight of going straight back to the chord before last (x–y–x). */
const RETURN_DISCOUNT = 0.2;

export function corpusChain(
  source: CorpusSource,
  mode: 'major' | 'minor',
  tilt?: WirRepertoire,
): DegreeChain {
  const stats = HARMONY_STATS.harmony[source][mode];
  const tiltBy = tilt ? HARMONY_STATS.harmony.whenInRome[tilt][mode].unigram : null;
  const allowed = stats.unigram.map((p, d) => p >= MIN_PROBABILITY || d === 0 || d === 4);
  const allowedStrong = stats.strongUnigram.map(
    (p, d) => (allowed[d] ?? false) && p >= MIN_PROBABILITY,
  );
  const tiltOf = (d: number): number =>
    tiltBy ? (((tiltBy[d] ?? 0) + 0.01) / ((stats.unigram[d] ?? 0) + 0.01)) ** TILT : 1;
  const weights = stats.transitions.map((row, a) => {
    const moves = row.map((p, b) =>
      b !== a && p >= MIN_PROBABILITY && allowed[b] ? p * tiltOf(b) : 0,
    );
    const total = moves.reduce((s, v) => s + v, 0);
    const stay = Math.min(REPEAT_CAP, stats.repeat[a] ?? 0);
    return moves.map((v, b) => (b === a ? stay : total > 0 ? ((1 - stay) * v) / total : 0));
  });
  return { weights, allowed, allowedStrong };
}

/** What one slot may hold: a set of degrees (null: anything the chain allows there). */
export interface SlotConstraint {
  degrees: readonly number[] | null;
  strong: boolean;
  /** Extra weight per degree (e.g. a preferred template chord). */
  prefer?: Partial<Record<number, number>>;
}

const NONE = 7;
const DEGREES = [0, 1, 2, 3, 4, 5, 6] as const;

export function sampleDegrees(
  chain: DegreeChain,
  slots: readonly SlotConstraint[],
  rng: Rng,
  context: { before?: number | undefined; beforeThat?: number | undefined } = {},
): number[] {
  const n = slots.length;
  if (n === 0) return [];
  // state index = previous * 7 + current, previous ∈ 0..7 (7: nothing before)
  const states = 8 * 7;
  const unary = (i: number, d: number): number => {
    const slot = slots[i];
    if (!slot) return 0;
    if (slot.degrees && !slot.degrees.includes(d)) return 0;
    if (!slot.degrees && !(slot.strong ? chain.allowedStrong[d] : chain.allowed[d])) return 0;
    return 1 + (slot.prefer?.[d] ?? 0);
  };
  const move = (previous: number, current: number, next: number): number => {
    const base = chain.weights[current]?.[next] ?? 0;
    if (base === 0) return 0;
    if (next === current && previous === current) return 0; // no third in a row
    if (next === previous && previous !== current) return base * RETURN_DISCOUNT;
    return base;
  };
  const beta: number[][] = Array.from({ length: n }, () => new Array<number>(states).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = beta[i] as number[];
    for (let p = 0; p <= NONE; p++) {
      for (const c of DEGREES) {
        const local = unary(i, c);
        if (local === 0) continue;
        let future = 1;
        if (i < n - 1) {
          future = 0;
          const next = beta[i + 1] as number[];
          for (const d of DEGREES) future += move(p, c, d) * (next[c * 7 + d] ?? 0);
        }
        row[p * 7 + c] = local * future;
      }
    }
    const max = Math.max(...row);
    if (max > 0) for (let s = 0; s < states; s++) row[s] = (row[s] ?? 0) / max;
  }
  const path: number[] = [];
  let previous = context.beforeThat ?? NONE;
  let current = context.before ?? NONE;
  for (let i = 0; i < n; i++) {
    const row = beta[i] as number[];
    const weights = DEGREES.map((d) => {
      const arrive = current === NONE ? 1 : move(previous, current, d);
      const state = (current === NONE ? NONE : current) * 7 + d;
      return arrive * (row[state] ?? 0);
    });
    let chosen: number;
    if (weights.some((w) => w > 0)) {
      chosen = rng.pickWeighted(DEGREES, weights);
    } else {
      // No path through the source's moves from here: take the best allowed degree rather than
      // fail the composition (the constraints, not the chain, are then what shapes the slot).
      const fallback = DEGREES.map((d) => unary(i, d));
      chosen = fallback.some((w) => w > 0) ? rng.pickWeighted(DEGREES, fallback) : 0;
    }
    path.push(chosen);
    previous = current;
    current = chosen;
  }
  return path;
}
