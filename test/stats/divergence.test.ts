import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { entropy, jsDivergence, klDivergence } from '../../src/stats/divergence.js';
import { createRng } from '../../src/stats/rng.js';
import { expectClose, golden, num, nums, type G } from './golden.js';

interface GoldenDiv { p: G[]; q: G[]; kl: G; klReverse: G; entropyP: G; js: G }

describe(`divergences against scipy.stats.entropy / jensenshannon ${golden.versions.scipy}`, () => {
  for (const [i, c] of (golden.divergence as GoldenDiv[]).entries()) {
    it(`case ${i}: p=${JSON.stringify(c.p).slice(0, 40)}`, () => {
      const p = nums(c.p), q = nums(c.q);
      expectClose(klDivergence(p, q), num(c.kl), 1e-12, 1e-15, 'KL(p‖q)');
      expectClose(klDivergence(q, p), num(c.klReverse), 1e-12, 1e-15, 'KL(q‖p)');
      expectClose(entropy(p), num(c.entropyP), 1e-12, 1e-15, 'H(p)');
      expectClose(jsDivergence(p, q), num(c.js), 1e-12, 1e-15, 'JS');
    });
  }
  it('covers zeros on both sides and an infinite KL', () => {
    const kls = (golden.divergence as GoldenDiv[]).map((c) => num(c.kl));
    expect(kls).toContain(Infinity);
  });
});

describe('divergence properties', () => {
  it('KL ≥ 0 with equality iff p = q, JS symmetric and ≤ ln 2, scale invariant', () => {
    const rng = createRng(4);
    for (let t = 0; t < 50; t++) {
      const n = 2 + rng.int(20);
      const p = Float64Array.from({ length: n }, () => (rng.next() < 0.2 ? 0 : rng.next()));
      const q = Float64Array.from({ length: n }, () => 0.01 + rng.next());
      p[0] = 0.5;
      expect(klDivergence(p, q)).toBeGreaterThanOrEqual(0);
      expect(klDivergence(p, p)).toBe(0);
      expectClose(klDivergence(p.map((v) => v * 7), q), klDivergence(p, q), 1e-12, 1e-15, 'scale');
      expect(jsDivergence(p, q)).toBe(jsDivergence(q, p));
      expect(jsDivergence(p, q)).toBeLessThanOrEqual(Math.LN2 + 1e-15);
      expect(entropy(q)).toBeLessThanOrEqual(Math.log(n) + 1e-12);
    }
    expectClose(jsDivergence([1, 0], [0, 1]), Math.LN2, 1e-15, 0, 'disjoint JS');
  });
  it('rejects negative, non-finite, all-zero and mismatched inputs', () => {
    expect(() => klDivergence([1, -1], [1, 1])).toThrow(DataError);
    expect(() => klDivergence([1, NaN], [1, 1])).toThrow(DataError);
    expect(() => klDivergence([0, 0], [1, 1])).toThrow(DataError);
    expect(() => klDivergence([1], [1, 1])).toThrow(DataError);
    expect(() => entropy([])).toThrow(DataError);
    expect(() => jsDivergence([1, Infinity], [1, 1])).toThrow(DataError);
  });
});
