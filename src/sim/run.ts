/**
 * One simulation run: a market for a seed, a policy, `steps` pricing epochs in a closed loop.
 */
import { createRng } from '../stats/rng.js';
import type { ContaminationModel } from './contamination-model.js';
import { createMarket, type MarketSetup } from './market.js';
import { createPolicy, type PolicyName } from './policies/registry.js';
import type { PolicyParams } from './policies/types.js';
import { runAccumulator, type RunMetrics } from './run-metrics.js';
import { mixSeed, nameSeed, STREAM } from './streams.js';

export interface RunSpec {
  policy: PolicyName;
  seed: number;
  steps: number;
  params: PolicyParams;
  /** needed by robust- policies */
  model: ContaminationModel | null;
}

export interface RunResult {
  policy: string;
  alpha: number;
  seed: number;
  metrics: RunMetrics;
  /** per step: total revenue and the mean price multiplier across products */
  revenueTrace: Float64Array;
  multiplierTrace: Float64Array;
}

/**
 * Run one policy on one seeded market.
 * @example const r = runSimulation(setup, { policy: parsePolicyName('surge'), seed: 1, steps: 200, params: POLICY_DEFAULTS, model: null })
 */
export function runSimulation(setup: MarketSetup, spec: RunSpec): RunResult {
  const market = createMarket(setup, spec.seed);
  const env = {
    basePrices: market.basePrices, floor: setup.catalog.floor, cap: setup.catalog.cap, market: setup.params,
    rng: createRng(mixSeed(spec.seed, STREAM.policy, nameSeed(spec.policy.name))),
  };
  const policy = createPolicy(spec.policy, env, spec.params, spec.model);
  const acc = runAccumulator(market.basePrices, setup.catalog.floor);
  const prices = new Float64Array(market.n);
  const revenueTrace = new Float64Array(spec.steps), multiplierTrace = new Float64Array(spec.steps);
  for (let t = 0; t < spec.steps; t++) {
    policy.decide(t, market.truth(t), prices);
    const out = market.step(t, prices);
    acc.add(prices, out);
    revenueTrace[t] = out.revenueHuman + out.revenueAgent;
    let mm = 0;
    for (let i = 0; i < market.n; i++) mm += prices[i]! / market.basePrices[i]!;
    multiplierTrace[t] = mm / market.n;
    policy.observe({
      t, prices, proxy: out.proxy, defendedProxy: out.defendedProxy, humanProxy: out.humanProxy, views: out.views, purchases: out.purchases,
      revenue: out.revenue, sessions: out.sessions, agentShareEstimate: out.agentShareEstimate,
    });
  }
  return { policy: spec.policy.name, alpha: setup.params.alpha, seed: spec.seed, metrics: acc.finish(), revenueTrace, multiplierTrace };
}
