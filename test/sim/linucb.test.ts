// LinUCB (issue 9, item 2): Sherman–Morrison updates equal a direct inverse; on a stationary market
// with one best price level the bandit's regret grows sublinearly and it beats `static`.
import { describe, expect, it } from 'vitest';
import { quadraticForm, scaledIdentity, shermanMorrisonUpdate } from '../../src/sim/policies/sherman-morrison.js';
import { createRng } from '../../src/stats/rng.js';
import { marketSetup, run } from './setup-fixture.js';

/** Gauss–Jordan inverse with partial pivoting (the reference). */
function inverse(a: Float64Array, d: number): Float64Array {
  const m = Array.from({ length: d }, (_, r) => [...a.subarray(r * d, r * d + d), ...Array.from({ length: d }, (_, c) => (c === r ? 1 : 0))]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    for (let k = 0; k < 2 * d; k++) m[c]![k]! /= pivot;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let k = 0; k < 2 * d; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return Float64Array.from(m.flatMap((row) => row.slice(d)));
}

describe('Sherman–Morrison', () => {
  it('matches the direct inverse of λI + Σ x xᵀ after every update', () => {
    const rng = createRng(7);
    for (const d of [1, 3, 6]) {
      const lambda = 0.5 + rng.next();
      const a = scaledIdentity(d, lambda), ainv = scaledIdentity(d, 1 / lambda), scratch = new Float64Array(d);
      for (let step = 0; step < 200; step++) {
        const x = Float64Array.from({ length: d }, () => rng.normal() * (step % 7 === 0 ? 10 : 1));
        for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) a[r * d + c]! += x[r]! * x[c]!;
        shermanMorrisonUpdate(ainv, x, d, scratch);
        if (step % 20 === 19) {
          const direct = inverse(a, d);
          const scale = Math.max(...direct.map(Math.abs));
          for (let k = 0; k < d * d; k++) expect(Math.abs(ainv[k]! - direct[k]!)).toBeLessThan(1e-9 * scale);
        }
      }
      // and the inverse it keeps is the inverse: A·A⁻¹ = I
      for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += a[r * d + k]! * ainv[k * d + c]!;
        expect(s).toBeCloseTo(r === c ? 1 : 0, 8);
      }
    }
  });

  it('quadratic form xᵀMx', () => {
    const m = Float64Array.from([2, 1, 1, 3]);
    expect(quadraticForm(m, [1, 2], 2)).toBe(2 + 2 + 2 + 12);
    expect(quadraticForm(m, [9, 1, 2], 2, 1)).toBe(18);
  });
});

describe('LinUCB on a stationary market where one price level is best', () => {
  // no appeal differences, no daily cycle, humans only: the oracle's price is 0.89·p0 for every product
  const setup = marketSetup({ alpha: 0, hourAmplitude: 0, human: { wtpMedian: 1.15, appealSigma: 0 } });
  const steps = 200, quarter = steps / 4;
  const seeds = [1, 2, 3, 4];
  const results = seeds.map((seed) => ({ oracle: run(setup, 'oracle', seed, steps), linucb: run(setup, 'linucb', seed, steps), static: run(setup, 'static', seed, steps) }));
  const meanRegret = (r: (typeof results)[number], from: number, to: number) => {
    let s = 0;
    for (let t = from; t < to; t++) s += r.oracle.revenueTrace[t]! - r.linucb.revenueTrace[t]!;
    return s / (to - from);
  };

  it('has lower average regret in the last quarter than in the first, on every seed', () => {
    for (const r of results) expect(meanRegret(r, 3 * quarter, steps)).toBeLessThan(meanRegret(r, 0, quarter));
    const first = results.reduce((a, r) => a + meanRegret(r, 0, quarter), 0), last = results.reduce((a, r) => a + meanRegret(r, 3 * quarter, steps), 0);
    expect(last).toBeLessThan(0.5 * first);
  });

  it('moves prices towards the best level and beats static', () => {
    for (const r of results) {
      expect(r.linucb.metrics.revenue).toBeGreaterThan(r.static.metrics.revenue);
      const late = r.linucb.multiplierTrace.slice(3 * quarter).reduce((a, b) => a + b, 0) / quarter;
      expect(Math.abs(late - 0.89)).toBeLessThan(Math.abs(1 - 0.89));
    }
  });
});
