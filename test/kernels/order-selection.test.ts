// --order auto on data from known chains: a second-order chain is recognised as order 2 (BIC) in at least
// 9 of 10 seeds; a first-order chain as order 1; the χ² tail matches known quantiles.
import { describe, expect, it } from 'vitest';
import { prepareSessions } from '../../src/kernels/prepare.js';
import { selectOrders } from '../../src/kernels/order-selection.js';
import { chiSquareSf } from '../../src/stats/chi-square.js';
import { createRng } from '../../src/stats/rng.js';
import { tableFromSessions } from './support.js';
import { randomChain, sampleSessions } from './chains.js';

function selected(seed: number, order: number): { human: number; agent: number; criteria: unknown } {
  const rng = createRng(seed);
  const sessions = [
    ...sampleSessions(randomChain(seed * 2, order), 600, rng, { label: 'human', prefix: 'h', order }),
    ...sampleSessions(randomChain(seed * 2 + 1, order), 600, rng, { label: 'agent', prefix: 'a', order }),
  ];
  const table = tableFromSessions(sessions, { shuffle: false });
  const r = selectOrders(prepareSessions(table, table.isAgent, { state: 'event', boundary: true }), { smoothing: 0.5, rng: createRng(seed) });
  return { human: r.human!.selectedOrder, agent: r.agent!.selectedOrder, criteria: [r.human!.byCriterion, r.agent!.byCriterion] };
}

describe('order selection', () => {
  it('picks order 2 for a known second-order chain in at least 9 of 10 seeds (each class)', () => {
    const picks = Array.from({ length: 10 }, (_, s) => selected(100 + s, 2));
    expect(picks.filter((p) => p.human === 2).length).toBeGreaterThanOrEqual(9);
    expect(picks.filter((p) => p.agent === 2).length).toBeGreaterThanOrEqual(9);
  });

  it('picks order 1 for a first-order chain', () => {
    const picks = Array.from({ length: 3 }, (_, s) => selected(200 + s, 1));
    for (const p of picks) expect([p.human, p.agent]).toEqual([1, 1]);
  });

  it('reports LL, df, AIC, BIC and LRT consistently', () => {
    const rng = createRng(7);
    const table = tableFromSessions(sampleSessions(randomChain(7, 2), 300, rng, { label: 'human', prefix: 'h', order: 2 }), { shuffle: false });
    const r = selectOrders(prepareSessions(table, table.isAgent, { state: 'event', boundary: true }), { smoothing: 0.5, rng: createRng(1) }).human!;
    expect(r.fits.map((f) => f.order)).toEqual([1, 2, 3]);
    for (const [k, f] of r.fits.entries()) {
      expect(f.aic).toBeCloseTo(2 * f.df - 2 * f.logLikelihood, 9);
      expect(f.bic).toBeCloseTo(f.df * Math.log(f.transitions) - 2 * f.logLikelihood, 9);
      expect(f.transitions).toBe(r.fits[0]!.transitions); // padding: every order predicts the same events
      if (k > 0) {
        expect(f.logLikelihood).toBeGreaterThanOrEqual(r.fits[k - 1]!.logLikelihood - 1e-9); // nested models
        expect(f.lrt.df).toBe(f.df - r.fits[k - 1]!.df);
      }
    }
  });

  it('χ² survival function matches scipy.stats.chi2.sf quantiles', () => {
    // scipy: chi2.isf(0.05, 1) = 3.841458820694124, chi2.isf(0.01, 10) = 23.209251158954356, chi2.sf(300, 250) = 0.016518273157868715
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSf(23.209251158954356, 10)).toBeCloseTo(0.01, 12);
    expect(chiSquareSf(300, 250)).toBeCloseTo(0.016518273157868715, 12);
    expect(chiSquareSf(0, 3)).toBe(1);
  });
});
