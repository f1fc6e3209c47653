// EM for mixtures of Markov chains: recovers three planted chains from 30,000 sessions (ARI ≥ 0.9), BIC
// picks the planted k, a fit is reproducible from its seed, and the ARI equals sklearn's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/clusters/adjusted-rand.js';
import { fitMarkovMixture } from '../../src/clusters/markov-mixture.js';
import { plantedRow, plantedSessions } from './planted.js';
import { createRng } from '../../src/stats/rng.js';

describe('mixture of Markov chains', () => {
  it('recovers three planted chains from 30,000 sessions (ARI ≥ 0.9) and their kernels', () => {
    const { t, truth } = plantedSessions(3, 10_000, 8, createRng(3), 0.8, 0.1);
    const fit = fitMarkovMixture(t, [3], createRng(42), { start: 8 });
    const ari = adjustedRandIndex(fit.cluster, truth);
    expect(ari).toBeGreaterThanOrEqual(0.9);
    // short sessions are ambiguous even under the true chains: EM is within 0.01 of that Bayes-optimal ARI
    const bayes = Int32Array.from(truth, (_, s) => {
      const ll = [0, 1, 2].map((c) => {
        let l = 0;
        for (let j = t.pairOffsets[s]!; j < t.pairOffsets[s + 1]!; j++) {
          const a = t.src[j]!, b = t.dst[j]!;
          l += t.count[j]! * Math.log(plantedRow(c, a, 8, 0.8, a === 8 ? 0 : 0.1)[b === 9 ? 8 : b]!);
        }
        return l;
      });
      return ll.indexOf(Math.max(...ll));
    });
    expect(ari).toBeGreaterThanOrEqual(adjustedRandIndex(bayes, truth) - 0.01);
    expect(fit.model.converged).toBe(true);
    // each fitted kernel's strongest move from e0 is the planted one of the chain its sessions came from
    for (let c = 0; c < 3; c++) {
      const votes = [0, 0, 0];
      fit.cluster.forEach((x, s) => x === c && votes[truth[s]!]!++);
      const planted = votes.indexOf(Math.max(...votes)), v = 10, row = fit.model.kernels.subarray(c * v * v, c * v * v + v);
      expect(row.indexOf(Math.max(...row))).toBe((0 + planted + 1) % 8);
      expect(fit.model.weights[c]!).toBeCloseTo(1 / 3, 1);
    }
    // posteriors are distributions and the cluster is their argmax
    for (let s = 0; s < truth.length; s += 997) {
      const row = fit.posterior.subarray(s * 3, s * 3 + 3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(row[fit.cluster[s]!]).toBe(Math.max(...row));
    }
  });

  it('chooses k = 3 by BIC over 2…5 and is reproducible from its seed', () => {
    const { t } = plantedSessions(3, 1500, 8, createRng(5), 0.8, 0.1);
    const a = fitMarkovMixture(t, [2, 3, 4, 5], createRng(9), { start: 8 });
    expect(a.model.k).toBe(3);
    expect(a.selection.map((s) => s.k)).toEqual([2, 3, 4, 5]);
    expect(a.model.bic).toBe(Math.min(...a.selection.map((s) => s.bic)));
    const b = fitMarkovMixture(t, [2, 3, 4, 5], createRng(9), { start: 8 });
    expect(b.posterior).toEqual(a.posterior);
  });

  it('more clusters never fit worse (log-likelihood grows from k = 1 to 3)', () => {
    const { t } = plantedSessions(3, 500, 8, createRng(8), 0.8, 0.1);
    const ll = fitMarkovMixture(t, [1, 2, 3], createRng(1), { start: 8 }).selection.map((s) => s.logLikelihood);
    expect(ll[1]!).toBeGreaterThan(ll[0]!);
    expect(ll[2]!).toBeGreaterThan(ll[1]!);
  });
});

describe('adjusted Rand index', () => {
  const golden = JSON.parse(readFileSync(new URL('../golden/adjusted-rand.json', import.meta.url), 'utf8')) as { cases: { a: number[]; b: number[]; ari: number }[] };
  it.each(golden.cases.map((c, i) => [i, c] as const))('equals sklearn adjusted_rand_score (case %i, 1e-12)', (_i, c) => {
    expect(Math.abs(adjustedRandIndex(c.a, c.b) - c.ari)).toBeLessThan(1e-12);
  });
});
