/**
 * The one interface every pricing policy implements (docs/simulator.md). A policy posts prices for step t
 * (`decide`), then sees what the platform observed at t (`observe`). Only the oracle reads `truth`, and
 * only the `clean-` benchmark reads `humanProxy`.
 */
import type { Rng } from '../../stats/rng.js';
import type { MarketTruth } from '../market.js';
import type { MarketParams } from '../params.js';

/** What a policy knows about the shop when it is created. */
export interface PolicyEnv {
  basePrices: Float64Array;
  /** price bounds as multipliers of p0 */
  floor: number;
  cap: number;
  /** the market's parameters: the "simulator's own model" that oracle and robust policies may use */
  market: MarketParams;
  /** the policy's own random stream */
  rng: Rng;
}

/** The platform's observations of one step, as a policy sees them. */
export interface StepView {
  t: number;
  /** the prices that were posted */
  prices: Float64Array;
  /** the demand proxy this policy prices on (q̂; the defended wrapper substitutes q̃) */
  proxy: Float64Array;
  /** q̃, the proxy with each session's events weighted by 1 − f(τ) */
  defendedProxy: Float64Array;
  /** ground truth (the proxy of human sessions only): read only by the `clean-` benchmark wrapper */
  humanProxy: Float64Array;
  views: Float64Array;
  purchases: Float64Array;
  revenue: Float64Array;
  sessions: number;
  /** mean f(τ): the platform's estimate of the agent share */
  agentShareEstimate: number;
}

export interface PricingPolicy {
  readonly name: string;
  /** Write the prices for step t into `out` (within [floor·p0, cap·p0]). */
  decide(t: number, truth: MarketTruth, out: Float64Array): void;
  /** Learn from step t's observations. The arrays are only valid during the call. */
  observe(view: StepView): void;
}

/** Tunables of the built-in policies, with one defaults object (policy-params.ts). */
export interface PolicyParams {
  /** `static`: the multiplier of p0 it posts */
  staticMultiplier: number;
  /** `surge`: multipliers for hot and cold products */
  surgeUp: number;
  surgeDown: number;
  /** `surge` thresholds: a quantile of q̂ across products (`q0.8`) or an absolute proxy value */
  surgeHigh: Threshold;
  surgeLow: Threshold;
  /** exponential smoothing of the proxy for surge/elasticity/linucb contexts (weight of the newest step) */
  smoothing: number;
  /** `elasticity`: regression window (steps), log step size per decision, dither amplitude */
  elasticityWindow: number;
  elasticityStep: number;
  elasticityDither: number;
  /** `linucb`: price-multiplier arms, exploration α_ucb, ridge λ */
  ucbArms: number[];
  ucbAlpha: number;
  ucbRidge: number;
  /** `robust-`: contamination radius r and number of levels K in [α̂ − r, α̂ + r] */
  robustRadius: number;
  robustPoints: number;
}

export type Threshold = { kind: 'quantile'; value: number } | { kind: 'absolute'; value: number };

/** Clamp a multiplier into the bounds and write the price. */
export function postMultiplier(env: PolicyEnv, i: number, m: number, out: Float64Array): void {
  out[i] = env.basePrices[i]! * Math.min(env.cap, Math.max(env.floor, m));
}
