/**
 * Seeded randomness for the engine. Every random choice in composition goes through here so the
 * same inputs and seed give byte-identical output; Math.random and clocks are never used.
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** One element chosen with the given relative weights (same length as items). */
  pickWeighted<T>(items: readonly T[], weights: readonly number[]): T;
}

/** mulberry32: tiny, fast, good enough statistically for musical choices, and fully portable. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(next() * items.length)] as T;
  };
  const pickWeighted = <T>(items: readonly T[], weights: readonly number[]): T => {
    if (items.length === 0 || items.length !== weights.length) {
      throw new Error('pickWeighted needs one weight per item');
    }
    const total = weights.reduce((sum, w) => sum + Math.max(0, w), 0);
    let roll = next() * total;
    for (let i = 0; i < items.length; i++) {
      roll -= Math.max(0, weights[i] ?? 0);
      if (roll < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  };
  return { next, int, chance: (p) => next() < p, pick, pickWeighted };
}

/** FNV-1a over a string, used to derive independent named streams from one seed. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * One stream per musical part: adding or changing the drum part must not reshuffle the melody
 * for an existing seed, so each part draws from its own stream instead of sharing one.
 */
export function deriveRng(seed: number, stream: string): Rng {
  return createRng(hashString(stream, (seed ^ 0x9e3779b9) >>> 0));
}
