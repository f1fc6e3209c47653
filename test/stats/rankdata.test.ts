import { describe, expect, it } from 'vitest';
import { argsort } from '../../src/stats/argsort.js';
import { rankdata, rankWithTies } from '../../src/stats/rankdata.js';
import { createRng } from '../../src/stats/rng.js';
import { golden, nums, type G } from './golden.js';

describe('rankdata', () => {
  it('matches scipy.stats.rankdata (average ties)', () => {
    for (const c of golden.rankdata as { x: G[]; ranks: G[] }[]) {
      expect(Array.from(rankdata(nums(c.x)))).toEqual(nums(c.ranks));
    }
  });
  it('reports the tie term Σ(t³ − t)', () => {
    const r = rankWithTies([1, 2, 2, 3, 3, 3]);
    expect(r.tieTerm).toBe(6 + 24);
    expect(r.hasTies).toBe(true);
    expect(rankWithTies(Float64Array.of(3, 1, 2)).hasTies).toBe(false);
  });
  it('radix argsort on float32 keys (every value a float32) equals a stable comparator sort', () => {
    const rng = createRng(9);
    for (const n of [1024, 20000]) {
      const v = Float64Array.from({ length: n }, (_, i) => {
        const r = rng.next();
        if (r < 0.02) return [Infinity, -Infinity, 0, -0, 2 ** -149, -(2 ** 127)][i % 6]!;
        return Math.fround(r < 0.5 ? Math.round(rng.normal() * 10) / 4 : rng.normal() * 1e6 ** rng.normal());
      });
      const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
      expect(Array.from(argsort(v))).toEqual(expected);
    }
  });
  it('radix argsort (large inputs) equals a stable comparator sort: negatives, ±0, infinities, duplicates', () => {
    const rng = createRng(8);
    for (const n of [1024, 5000, 70000, 300000]) { // 11-bit digits below 2^18 values, 16-bit above
      const v = Float64Array.from({ length: n }, (_, i) => {
        const r = rng.next();
        if (r < 0.02) return [Infinity, -Infinity, 0, -0, Number.MIN_VALUE, -Number.MAX_VALUE][i % 6]!;
        return r < 0.5 ? Math.round(rng.normal() * 10) / 4 : rng.normal() * 1e6 ** rng.normal();
      });
      const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
      expect(Array.from(argsort(v))).toEqual(expected);
    }
  });
  it('orders infinities and keeps argsort stable', () => {
    expect(Array.from(rankdata([Infinity, -Infinity, 0, Infinity]))).toEqual([3.5, 1, 2, 3.5]);
    expect(Array.from(argsort([2, 1, 2, 1]))).toEqual([1, 3, 0, 2]);
  });
});
