/**
 * `defended-<base>`: the base policy fed the defended proxy q̃_i = Σ (1 − f(τ))·w(a) instead of q̂,
 * where f(τ) is each session's agent probability (docs/simulator.md). Everything else passes through.
 */
import type { PricingPolicy } from './types.js';

/** @example const policy = defended(surgePolicy(env, params)) */
export function defended(base: PricingPolicy): PricingPolicy {
  return {
    name: `defended-${base.name}`,
    decide: (t, truth, out) => base.decide(t, truth, out),
    observe: (view) => base.observe({ ...view, proxy: view.defendedProxy }),
  };
}
