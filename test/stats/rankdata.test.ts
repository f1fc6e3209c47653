import { describe, expect, it } from 'vitest';
import { argsort } from '../../src/stats/argsort.js';
import { rankdata, rankWithTies } from '../../src/stats/rankdata.js';
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
  it('orders infinities and keeps argsort stable', () => {
    expect(Array.from(rankdata([Infinity, -Infinity, 0, Infinity]))).toEqual([3.5, 1, 2, 3.5]);
    expect(Array.from(argsort([2, 1, 2, 1]))).toEqual([1, 3, 0, 2]);
  });
});
