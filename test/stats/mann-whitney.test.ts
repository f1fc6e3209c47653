import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/errors.js';
import { mannWhitneyU } from '../../src/stats/mann-whitney.js';
import type { Alternative, MannWhitneyMethod } from '../../src/stats/mann-whitney-types.js';
import { createRng } from '../../src/stats/rng.js';
import { expectClose, golden, num, nums, type G } from './golden.js';

interface GoldenResult {
  method: MannWhitneyMethod; alternative: Alternative; continuity: boolean; resolved: string; statistic: G; pvalue: G;
}
interface GoldenCase { name: string; x: G[]; y: G[]; hodgesLehmann: G; auc: G; results: GoldenResult[] }
const cases = golden.mannWhitney as GoldenCase[];

describe(`mannWhitneyU against scipy.stats.mannwhitneyu ${golden.versions.scipy}`, () => {
  it('covers exact, asymptotic, ties, all alternatives and tiny p-values', () => {
    const all = cases.flatMap((c) => c.results);
    expect(all.filter((r) => r.resolved === 'exact').length).toBeGreaterThan(50);
    expect(all.filter((r) => r.resolved === 'asymptotic' && !r.continuity).length).toBeGreaterThan(20);
    expect(all.some((r) => num(r.pvalue) > 0 && num(r.pvalue) < 1e-100)).toBe(true);
    expect(all.some((r) => r.resolved === 'exact' && num(r.pvalue) < 1e-16)).toBe(true);
  });
  for (const c of cases) {
    it(c.name, () => {
      const x = nums(c.x), y = nums(c.y);
      for (const r of c.results) {
        const label = `${c.name} ${r.method}/${r.alternative}/cc=${r.continuity}`;
        const res = mannWhitneyU(x, y, { method: r.method, alternative: r.alternative, continuity: r.continuity });
        expect(res.method, label).toBe(r.resolved);
        expect(res.statistic, label).toBe(num(r.statistic));
        expectClose(res.pvalue, num(r.pvalue), 1e-9, 1e-15, label);
        expect(res.statisticOther).toBe(x.length * y.length - res.statistic);
        expect(res.continuity).toBe(r.resolved === 'asymptotic' && r.continuity);
      }
      const res = mannWhitneyU(x, y);
      expectClose(res.effect.hodgesLehmann, num(c.hodgesLehmann), 1e-15, 1e-15, `${c.name} HL`);
      expectClose(res.effect.auc, num(c.auc), 1e-15, 1e-15, `${c.name} AUC`);
    });
  }
});

function sample(rng: ReturnType<typeof createRng>, n: number, shift: number, round = 0): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = round ? Math.round((rng.normal() + shift) * round) / round : rng.normal() + shift;
  return v;
}

describe('mannWhitneyU properties', () => {
  it('U + U′ = n1·n2, rankBiserial = 2·AUC − 1, swapping samples swaps U and mirrors one-sided p', () => {
    const rng = createRng(11);
    for (let t = 0; t < 40; t++) {
      const n1 = 1 + rng.int(30), n2 = 1 + rng.int(30);
      const x = sample(rng, n1, 0.3, t % 2 ? 4 : 0), y = sample(rng, n2, 0, t % 2 ? 4 : 0);
      const a = mannWhitneyU(x, y, { alternative: 'greater' });
      const b = mannWhitneyU(y, x, { alternative: 'less' });
      expect(a.statistic + a.statisticOther).toBe(n1 * n2);
      expect(b.statistic).toBe(a.statisticOther);
      expect(a.effect.rankBiserial).toBeCloseTo(2 * a.effect.auc - 1, 14);
      expect(a.effect.hodgesLehmann).toBeCloseTo(-b.effect.hodgesLehmann, 12);
      expectClose(b.pvalue, a.pvalue, 1e-12, 1e-300, `swap t=${t}`);
      const two = mannWhitneyU(x, y, { method: a.method });
      const less = mannWhitneyU(x, y, { method: a.method, alternative: 'less' });
      expectClose(two.pvalue, Math.min(1, 2 * Math.min(a.pvalue, less.pvalue)), 1e-12, 1e-300, `two-sided t=${t}`);
    }
  });

  it('is invariant to monotone transforms and handles infinities as extreme values', () => {
    const x = [-Infinity, 1, 2.5, 7], y = [0.5, 3, Infinity, 4, 8];
    const a = mannWhitneyU(x, y, { method: 'asymptotic' });
    const b = mannWhitneyU([-1e6, 1, 2.5, 7], [0.5, 3, 1e6, 4, 8], { method: 'asymptotic' });
    expect(a.statistic).toBe(b.statistic);
    expect(a.pvalue).toBe(b.pvalue);
    const e = mannWhitneyU(x.map(Math.exp), y.map(Math.exp), { method: 'exact' });
    expect(e.statistic).toBe(a.statistic);
  });

  it('exact method works for a few hundred per group and agrees with the asymptotic one there', () => {
    const rng = createRng(5);
    const x = sample(rng, 300, 0.15), y = sample(rng, 280, 0);
    const ex = mannWhitneyU(x, y, { method: 'exact' });
    const as = mannWhitneyU(x, y, { method: 'asymptotic' });
    expect(ex.pvalue).toBeGreaterThan(0);
    expect(Math.abs(ex.pvalue - as.pvalue)).toBeLessThan(2e-3);
  });

  it('exact p of complete separation is 2/C(n1+n2, n1) far below 1e-16', () => {
    const x = Array.from({ length: 40 }, (_, i) => i + 100), y = Array.from({ length: 40 }, (_, i) => i);
    let c = 1;
    for (let i = 1; i <= 40; i++) c = (c * (40 + i)) / i;
    expectClose(mannWhitneyU(x, y, { method: 'exact' }).pvalue, 2 / c, 1e-12, 0, 'separation');
  });

  it('permutation p is close to the exact p for moderate n, deterministic per seed', () => {
    const rng = createRng(3);
    const x = sample(rng, 14, 0.8), y = sample(rng, 16, 0);
    const exact = mannWhitneyU(x, y, { method: 'exact' });
    const opts = { method: 'permutation' as const, permutations: 20000 };
    const p1 = mannWhitneyU(x, y, { ...opts, rng: createRng(42) });
    const p2 = mannWhitneyU(x, y, { ...opts, rng: createRng(42) });
    const p3 = mannWhitneyU(x, y, { ...opts, rng: createRng(43) });
    expect(p1.pvalue).toBe(p2.pvalue);
    expect(p1.permutations).toBe(20000);
    expect(p1.enumerated).toBe(false);
    // Monte Carlo standard error √(p(1−p)/B) ≈ 0.0014 at p ≈ 0.04: allow 4 SE.
    const se = Math.sqrt((exact.pvalue * (1 - exact.pvalue)) / 20000);
    expect(Math.abs(p1.pvalue - exact.pvalue)).toBeLessThan(4 * se + 1 / 20001);
    expect(Math.abs(p3.pvalue - exact.pvalue)).toBeLessThan(4 * se + 1 / 20001);
    for (const alternative of ['less', 'greater'] as const) {
      const e = mannWhitneyU(x, y, { method: 'exact', alternative });
      const p = mannWhitneyU(x, y, { ...opts, alternative, rng: createRng(7) });
      expect(Math.abs(p.pvalue - e.pvalue)).toBeLessThan(4 * Math.sqrt((e.pvalue * (1 - e.pvalue)) / 20000) + 1e-4);
    }
  });

  it('permutation enumerates all splits when there are few, giving the exact p without ties', () => {
    const x = [1.1, 3.4, 5.2, 7.7], y = [0.3, 2.2, 2.9, 4.4, 6.1];
    for (const alternative of ['two-sided', 'less', 'greater'] as const) {
      const p = mannWhitneyU(x, y, { method: 'permutation', alternative });
      expect(p.enumerated).toBe(true);
      expect(p.permutations).toBe(126);
      expectClose(p.pvalue, mannWhitneyU(x, y, { method: 'exact', alternative }).pvalue, 1e-12, 1e-15, alternative);
    }
  });

  it('rejects bad input with the right error class', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(DataError);
    expect(() => mannWhitneyU([1, NaN], [1])).toThrow(DataError);
    expect(() => mannWhitneyU([1], [2], { method: 'bogus' as MannWhitneyMethod })).toThrow(UsageError);
    expect(() => mannWhitneyU([1], [2], { alternative: 'up' as Alternative })).toThrow(UsageError);
    const big = Array.from({ length: 40 }, (_, i) => i);
    expect(() => mannWhitneyU(big, big.map((v) => v + 0.5), { method: 'permutation' })).toThrow(UsageError);
    expect(() => mannWhitneyU([1], [2], { permutations: 0 })).toThrow(UsageError);
  });
});
