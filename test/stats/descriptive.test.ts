import { describe, expect, it } from 'vitest';
import { describe as describeSample, iqr, mean, median, quantile, std, variance } from '../../src/stats/descriptive.js';
import { expectClose, golden, num, nums, type G } from './golden.js';

interface GoldenDesc { x: G[]; mean: G; std0: G; std1: G; median: G; q: G[]; quantiles: G[]; iqr: G }

describe(`descriptive statistics against numpy ${golden.versions.numpy}`, () => {
  for (const [i, c] of (golden.descriptive as GoldenDesc[]).entries()) {
    it(`case ${i} (n=${c.x.length})`, () => {
      const x = Float64Array.from(nums(c.x));
      expectClose(mean(x), num(c.mean), 1e-14, 1e-300, 'mean');
      // std of values around 1e9 with spread 0.1 is ill-conditioned (|mean|/std ≈ 1e10): numpy itself is off by 2e-12.
      const tol = Math.abs(mean(x)) / std(x, 0) > 1e6 ? 1e-11 : 1e-12;
      expectClose(std(x, 0), num(c.std0), tol, 1e-300, 'std ddof 0');
      expectClose(std(x, 1), num(c.std1), tol, 1e-300, 'std ddof 1');
      expect(median(x) + 0).toBe(num(c.median) + 0);
      // + 0 folds −0 into 0: the sign of a zero quantile is not part of the contract.
      nums(c.q).forEach((q, k) => expect(quantile(x, q) + 0, `q=${q}`).toBe(num(c.quantiles[k]!) + 0));
      expectClose(iqr(x), num(c.iqr), 1e-15, 1e-15, 'iqr');
      const d = describeSample(x);
      expect([d.n, d.median, d.q1, d.q3]).toEqual([x.length, median(x), quantile(x, 0.25), quantile(x, 0.75)]);
      expect(d.min).toBe(Math.min(...x));
      expect(d.max).toBe(Math.max(...x));
    });
  }
  it('returns NaN for empty input and undefined ddof', () => {
    expect(mean([])).toBeNaN();
    expect(median([])).toBeNaN();
    expect(variance([3], 1)).toBeNaN();
    expect(quantile([1, 2], 1.5)).toBeNaN();
    expect(describeSample([]).iqr).toBeNaN();
  });
  it('is accurate where naive summation is not', () => {
    // Exact (rational arithmetic) std of these doubles: 0.08164962889258424; numpy gives …273894.
    expectClose(std([1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3]), 0.08164962889258424, 1e-12, 0, 'ill-conditioned std');
    const x = new Float64Array(10001).fill(0.1);
    x[0] = 1e16;
    expect(mean(x)).toBe((1e16 + 1000) / 10001);
  });
});
