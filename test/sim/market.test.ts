// Sanity of the market (issue 9, item 1): demand responds to price, policies differ, contamination
// pollutes the proxy; plus the bookkeeping every metric relies on.
import { describe, expect, it } from 'vitest';
import { CATEGORY_WEIGHTS, categoryOf } from '../../src/events/vocabulary.js';
import { compileBehaviour } from '../../src/sim/behaviour.js';
import { createMarket, type MarketSetup } from '../../src/sim/market.js';
import { oraclePolicy } from '../../src/sim/policies/oracle.js';
import { createRng } from '../../src/stats/rng.js';
import { marketSetup, profiles, run } from './setup-fixture.js';

const SEEDS = [1, 2, 3];

/** Total revenue of the oracle's prices scaled by `factor` (clamped to the cap), α = 0. */
function scaledOracleRevenue(setup: MarketSetup, seed: number, factor: number, steps: number): number {
  const market = createMarket(setup, seed);
  const { floor, cap } = setup.catalog;
  const oracle = oraclePolicy({ basePrices: market.basePrices, floor, cap, market: setup.params, rng: createRng(seed) });
  const prices = new Float64Array(market.n);
  let revenue = 0;
  for (let t = 0; t < steps; t++) {
    oracle.decide(t, market.truth(t), prices);
    for (let i = 0; i < market.n; i++) prices[i] = Math.min(cap * market.basePrices[i]!, prices[i]! * factor);
    const out = market.step(t, prices);
    revenue += out.revenueHuman + out.revenueAgent;
  }
  return revenue;
}

describe('market sanity at α = 0', () => {
  const setup = marketSetup({ alpha: 0 });

  it('raising every price above the oracle’s lowers revenue (demand responds to price)', () => {
    for (const seed of SEEDS) {
      const base = scaledOracleRevenue(setup, seed, 1, 100);
      const up15 = scaledOracleRevenue(setup, seed, 1.15, 100);
      const up30 = scaledOracleRevenue(setup, seed, 1.3, 100);
      expect(up15).toBeLessThan(base);
      expect(up30).toBeLessThan(up15);
    }
  });

  it('lower prices sell more and draw more browsing (no normalised shares)', () => {
    const cheap = run(setup, 'static', 4, 40, { staticMultiplier: 0.8 }).metrics;
    const dear = run(setup, 'static', 4, 40, { staticMultiplier: 1.4 }).metrics;
    expect(cheap.conversions).toBeGreaterThan(1.5 * dear.conversions);
    const proxyMass = (m: number) => {
      const market = createMarket(setup, 4);
      const prices = market.basePrices.map((p) => p * m);
      let mass = 0;
      for (let t = 0; t < 20; t++) mass += market.step(t, prices).proxy.reduce((a, b) => a + b, 0);
      return mass;
    };
    expect(proxyMass(0.8)).toBeGreaterThan(proxyMass(1.4));
  });

  it('surge and static differ', () => {
    for (const seed of SEEDS) {
      const a = run(setup, 'static', seed, 60).metrics, b = run(setup, 'surge', seed, 60).metrics;
      expect(b.revenue).not.toBe(a.revenue);
      expect(b.ux).toBeGreaterThan(0);
      expect(a.ux).toBe(0);
    }
  });

  it('has no proxy error and no agents; the same seed gives the same run', () => {
    const a = run(setup, 'surge', 9, 30), b = run(setup, 'surge', 9, 30);
    expect(a.metrics.proxyError).toBe(0);
    expect(a.metrics.agentSessions).toBe(0);
    expect(a.metrics.revenueAgent).toBe(0);
    expect(Number.isNaN(a.metrics.detectionAuc)).toBe(true);
    expect(b).toEqual(a);
    expect(run(setup, 'surge', 10, 30).metrics.revenue).not.toBe(a.metrics.revenue);
  });
});

describe('contamination', () => {
  it('the demand-proxy error grows with α', () => {
    for (const seed of SEEDS) {
      const err = [0, 0.2, 0.5].map((alpha) => run(marketSetup({ alpha }), 'static', seed, 40).metrics.proxyError);
      expect(err[0]).toBe(0);
      expect(err[1]).toBeGreaterThan(0);
      expect(err[2]).toBeGreaterThan(err[1]!);
    }
  });

  it('couples agents across α and keeps arrivals common to all policies', () => {
    const lo = createMarket(marketSetup({ alpha: 0.2 }), 5), hi = createMarket(marketSetup({ alpha: 0.4 }), 5);
    const prices = lo.basePrices.slice();
    for (let t = 0; t < 5; t++) {
      const a = lo.step(t, prices), b = hi.step(t, prices);
      expect(b.sessions).toBe(a.sessions);
      for (let s = 0; s < a.sessions; s++) if (a.isAgent[s]) expect(b.isAgent[s]).toBe(1);
    }
  });

  it('agents buy at most once per session and only at or under their reservation', () => {
    const never = run(marketSetup({ alpha: 1, agent: { wtpMedian: 0.3, wtpSigma: 0.01 } }), 'static', 1, 30).metrics;
    expect(never.conversionsAgent).toBe(0);
    const always = run(marketSetup({ alpha: 1, agent: { wtpMedian: 5, wtpSigma: 0.01 } }), 'static', 1, 30).metrics;
    expect(always.conversionsAgent).toBeGreaterThan(0);
    expect(always.conversionsAgent).toBeLessThanOrEqual(always.agentSessions);
  });

  it('the detector separates the classes (f(τ) AUC well above chance)', () => {
    const m = run(marketSetup({ alpha: 0.4 }), 'static', 2, 30).metrics;
    expect(m.detectionAuc).toBeGreaterThan(0.8);
  });
});

describe('bookkeeping', () => {
  it('weights each state by its category (docs/contract.md §2)', () => {
    const b = compileBehaviour(profiles);
    b.states.forEach((s, i) => {
      if (!s.startsWith('<')) expect(b.weight[i]).toBe(CATEGORY_WEIGHTS[categoryOf(s)]);
    });
    // purchases are decided by the economics, never sampled from the kernel
    for (const walk of [b.human, b.agent]) for (const row of walk.next) expect([...row]).not.toContain(b.purchase);
  });

  it('revenue is the sum of purchases at posted prices and inventory caps sales', () => {
    const base = marketSetup({ alpha: 0.3 });
    const setup = { ...base, catalog: { ...base.catalog, inventory: base.catalog.basePrices.map(() => 2) } };
    const market = createMarket(setup, 3);
    const prices = market.basePrices.map((p) => p * 0.8);
    const sold = new Float64Array(market.n);
    for (let t = 0; t < 30; t++) {
      const out = market.step(t, prices);
      let revenue = 0;
      for (let i = 0; i < market.n; i++) { revenue += out.revenue[i]!; sold[i]! += out.purchases[i]!; expect(out.revenue[i]).toBeCloseTo(out.purchases[i]! * prices[i]!, 6); }
      expect(revenue).toBeCloseTo(out.revenueHuman + out.revenueAgent, 6);
      expect(out.purchasesHuman + out.purchasesAgent).toBe(out.purchases.reduce((a, b) => a + b, 0));
    }
    for (const n of sold) expect(n).toBeLessThanOrEqual(2);
    expect(sold.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
