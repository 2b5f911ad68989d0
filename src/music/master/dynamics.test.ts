import { describe, expect, it } from 'vitest';
import { slidingMin } from './dynamics.js';

/** The definition: the minimum over [i − radius, i + radius], clipped to the signal. */
function naiveSlidingMin(values: Float32Array, radius: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let m = Infinity;
    const hi = Math.min(values.length - 1, i + radius);
    for (let j = Math.max(0, i - radius); j <= hi; j++) m = Math.min(m, values[j] as number);
    out[i] = m;
  }
  return out;
}

describe('sliding minimum', () => {
  it('is the minimum over each window, at every length and radius, ends included', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const radius of [1, 2, 3, 66]) {
      const w = 2 * radius + 1;
      for (const n of [1, 2, radius, w - 1, w, w + 1, 2 * w, 5 * w + 3, 1000]) {
        const values = Float32Array.from({ length: n }, () => (random() < 0.1 ? random() : 1));
        expect([...slidingMin(values, radius)]).toEqual([...naiveSlidingMin(values, radius)]);
      }
    }
  });
});
