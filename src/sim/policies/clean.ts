/**
 * `clean-<base>`: a benchmark, not a deployable defence — the base policy fed the ground-truth human-only
 * proxy, i.e. what a perfect agent detector would give it. The gap between `defended-<base>` and
 * `clean-<base>` is the most any better detector could still recover.
 */
import type { PricingPolicy } from './types.js';

/** @example const upperBound = clean(surgePolicy(env, params)) */
export function clean(base: PricingPolicy): PricingPolicy {
  return {
    name: `clean-${base.name}`,
    decide: (t, truth, out) => base.decide(t, truth, out),
    observe: (view) => base.observe({ ...view, proxy: view.humanProxy }),
  };
}
