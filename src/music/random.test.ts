import { describe, expect, it } from 'vitest';
import { createRng, deriveRng, hashString } from './random.js';

describe('seeded randomness', () => {
  it('repeats exactly for a seed and differs between seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('keeps values in range and roughly uniform', () => {
    const rng = createRng(123);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const v = rng.int(0, 3);
      counts[v] = (counts[v] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(850);
    for (let i = 0; i < 1000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('derives independent named streams', () => {
    expect(deriveRng(1, 'melody').next()).not.toBe(deriveRng(1, 'bass').next());
    expect(deriveRng(1, 'melody').next()).toBe(deriveRng(1, 'melody').next());
    expect(hashString('abc')).toBe(hashString('abc'));
    expect(hashString('abc')).not.toBe(hashString('abd'));
  });

  it('respects weights', () => {
    const rng = createRng(9);
    const picks = Array.from({ length: 500 }, () => rng.pickWeighted(['a', 'b'], [0, 1]));
    expect(new Set(picks)).toEqual(new Set(['b']));
    expect(() => rng.pick([])).toThrow();
  });
});
