// Each policy module on hand-made observations: what it posts, and the wrappers' plumbing.
import { describe, expect, it } from 'vitest';
import type { MarketTruth } from '../../src/sim/market.js';
import { resolveMarketParams } from '../../src/sim/params.js';
import { clean } from '../../src/sim/policies/clean.js';
import { defended } from '../../src/sim/policies/defended.js';
import { elasticityPolicy, olsSlope } from '../../src/sim/policies/elasticity.js';
import { oraclePolicy } from '../../src/sim/policies/oracle.js';
import { parseThreshold, resolvePolicyParams } from '../../src/sim/policies/policy-params.js';
import { parsePolicyName, createPolicy } from '../../src/sim/policies/registry.js';
import { contaminationLevels, robust } from '../../src/sim/policies/robust.js';
import { staticPolicy } from '../../src/sim/policies/static.js';
import { surgePolicy } from '../../src/sim/policies/surge.js';
import type { PolicyEnv, PricingPolicy, StepView } from '../../src/sim/policies/types.js';
import { bestHumanMultiplier } from '../../src/sim/response-curves.js';
import { createRng } from '../../src/stats/rng.js';

const n = 5;
const env = (): PolicyEnv => ({ basePrices: Float64Array.from([100, 200, 50, 80, 10]), floor: 0.7, cap: 1.5, market: resolveMarketParams(), rng: createRng(1) });
const truth: MarketTruth = { t: 0, humanAppeal: new Float64Array(n), humanShift: 0 };
const view = (proxy: number[], prices: Float64Array, extra: Partial<StepView> = {}): StepView => ({
  t: 0, prices, proxy: Float64Array.from(proxy), defendedProxy: Float64Array.from(proxy, (q) => q / 2), humanProxy: Float64Array.from(proxy, (q) => q / 4), views: new Float64Array(n),
  purchases: new Float64Array(n), revenue: new Float64Array(n), sessions: 100, agentShareEstimate: 0.2, ...extra,
});
const multipliers = (e: PolicyEnv, p: PricingPolicy, t = 0) => {
  const out = new Float64Array(n);
  p.decide(t, truth, out);
  return Array.from(out, (x, i) => Math.round((x / e.basePrices[i]!) * 1e9) / 1e9);
};

describe('static and surge', () => {
  it('static posts its multiplier, clamped to the bounds', () => {
    const e = env();
    expect(multipliers(e, staticPolicy(e, resolvePolicyParams()))).toEqual([1, 1, 1, 1, 1]);
    expect(multipliers(e, staticPolicy(e, resolvePolicyParams({ staticMultiplier: 3 })))).toEqual([1.5, 1.5, 1.5, 1.5, 1.5]);
  });

  it('surge raises the hot, discounts the cold, by quantile or absolute thresholds', () => {
    const e = env();
    const p = surgePolicy(e, resolvePolicyParams({ smoothing: 1 }));
    expect(multipliers(e, p)).toEqual([1, 1, 1, 1, 1]); // nothing observed yet
    p.observe(view([10, 50, 30, 20, 40], e.basePrices));
    // 0.8 quantile of [10..50] = 42, 0.2 quantile = 18
    expect(multipliers(e, p)).toEqual([0.9, 1.2, 1, 1, 1]);
    const abs = surgePolicy(e, resolvePolicyParams({ smoothing: 1, surgeHigh: parseThreshold('35', 'x'), surgeLow: parseThreshold('20', 'x') }));
    abs.observe(view([10, 50, 30, 20, 40], e.basePrices));
    expect(multipliers(e, abs)).toEqual([0.9, 1.2, 1, 0.9, 1.2]);
  });

  it('parses thresholds and rejects nonsense', () => {
    expect(parseThreshold('q0.75', 'f')).toEqual({ kind: 'quantile', value: 0.75 });
    expect(parseThreshold('12.5', 'f')).toEqual({ kind: 'absolute', value: 12.5 });
    for (const bad of ['q', 'q1.5', '-1', 'x']) expect(() => parseThreshold(bad, '--surge-high')).toThrow(/--surge-high/);
  });
});

describe('elasticity', () => {
  it('fits the slope by OLS', () => {
    expect(olsSlope(Float64Array.from([0, 1, 2, 3]), Float64Array.from([1, 3, 5, 7]), 0, 4)).toBeCloseTo(2, 12);
    expect(Number.isNaN(olsSlope(Float64Array.from([1, 1]), Float64Array.from([1, 2]), 0, 2))).toBe(true);
  });

  it('raises prices where demand is inelastic and cuts them where it is elastic', () => {
    const e = env();
    const p = elasticityPolicy(e, resolvePolicyParams());
    const out = new Float64Array(n);
    for (let t = 0; t < 40; t++) {
      p.decide(t, truth, out);
      // product 0: q ∝ p^−0.3 (inelastic); product 1: q ∝ p^−3 (elastic); others flat
      const q = Array.from(out, (x, i) => 100 * (x / e.basePrices[i]!) ** (i === 0 ? -0.3 : i === 1 ? -3 : 0));
      p.observe(view(q, out));
    }
    const m = multipliers(e, p);
    expect(m[0]).toBeGreaterThan(1.3);
    expect(m[1]).toBeLessThan(0.8);
  });
});

describe('oracle, defended and robust', () => {
  it('the oracle posts the revenue-maximising multiplier of true human demand', () => {
    const e = env();
    const m = multipliers(e, oraclePolicy(e));
    const best = bestHumanMultiplier(e.market, 0, 0.7, 1.5);
    for (const x of m) expect(x).toBeCloseTo(best, 3);
    const out = new Float64Array(n);
    oraclePolicy(e).decide(0, { t: 0, humanAppeal: Float64Array.from([1, 0, 0, 0, -1]), humanShift: 0 }, out);
    expect(out[0]! / 100).toBeGreaterThan(best);
    expect(out[4]! / 10).toBeLessThan(best);
  });

  it('defended feeds the base policy q̃ instead of q̂', () => {
    const e = env();
    const seen: Float64Array[] = [];
    const spy: PricingPolicy = { name: 'spy', decide: () => {}, observe: (v) => seen.push(v.proxy.slice()) };
    const d = defended(spy);
    expect(d.name).toBe('defended-spy');
    d.observe(view([10, 20, 30, 40, 50], e.basePrices));
    expect(Array.from(seen[0]!)).toEqual([5, 10, 15, 20, 25]);
    const c = clean(spy);
    expect(c.name).toBe('clean-spy');
    c.observe(view([10, 20, 30, 40, 50], e.basePrices));
    expect(Array.from(seen[1]!)).toEqual([2.5, 5, 7.5, 10, 12.5]);
  });

  it('robust spreads K levels around the estimate and picks one base candidate', () => {
    expect(contaminationLevels(0.3, 0.1, 3).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([0.2, 0.3, 0.4]);
    expect(contaminationLevels(0.05, 0.1, 3)).toEqual([0, 0.05, 0.15000000000000002]);
    expect(contaminationLevels(0.5, 0.2, 1)).toEqual([0.5]);
    const e = env(), params = resolvePolicyParams({ smoothing: 1 });
    const model = { humanMass: 9, agentMass: 7, humanOpportunity: 0.05, agentOpportunity: 0.05 };
    const r = robust(e, params, model, (copy) => surgePolicy(copy, params));
    expect(r.name).toBe('robust-surge');
    r.observe(view([10, 50, 30, 20, 40], e.basePrices));
    const m = multipliers(e, r);
    for (const x of m) expect([0.9, 1, 1.2]).toContain(x);
  });

  it('names compose and the oracle cannot be wrapped', () => {
    expect(parsePolicyName('robust-defended-linucb')).toEqual({ name: 'robust-defended-linucb', base: 'linucb', wrappers: ['robust', 'defended'] });
    expect(parsePolicyName('clean-surge').wrappers).toEqual(['clean']);
    expect(() => parsePolicyName('defended-oracle')).toThrow(/cannot be wrapped/);
    expect(() => parsePolicyName('greedy')).toThrow(/unknown policy "greedy"/);
    const e = env();
    const model = { humanMass: 9, agentMass: 7, humanOpportunity: 0.05, agentOpportunity: 0.05 };
    expect(createPolicy(parsePolicyName('robust-defended-surge'), e, resolvePolicyParams(), model).name).toBe('robust-defended-surge');
  });
});
