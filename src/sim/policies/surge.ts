/**
 * `surge`: p = p0·λ_up when the (smoothed) proxy q̂_i is at or above θ_high, p0·λ_down when at or below
 * θ_low, else p0 (docs/simulator.md; defaults 1.2 and 0.9, thresholds the 0.8 / 0.2 quantiles of q̂ across
 * products, or absolute proxy values).
 */
import { quantile } from '../../stats/descriptive.js';
import { smoothed } from './smoothed-proxy.js';
import { postMultiplier, type PolicyEnv, type PolicyParams, type PricingPolicy, type Threshold } from './types.js';

function thresholdValue(th: Threshold, q: Float64Array): number {
  return th.kind === 'absolute' ? th.value : quantile(q, th.value);
}

/** @example const policy = surgePolicy(env, POLICY_DEFAULTS) */
export function surgePolicy(env: PolicyEnv, params: PolicyParams): PricingPolicy {
  const n = env.basePrices.length;
  const q = smoothed(n, params.smoothing);
  return {
    name: 'surge',
    decide(_t, _truth, out) {
      if (!q.ready) {
        for (let i = 0; i < n; i++) postMultiplier(env, i, 1, out);
        return;
      }
      const high = thresholdValue(params.surgeHigh, q.values), low = thresholdValue(params.surgeLow, q.values);
      for (let i = 0; i < n; i++) {
        const v = q.values[i]!;
        postMultiplier(env, i, v >= high ? params.surgeUp : v <= low ? params.surgeDown : 1, out);
      }
    },
    observe(view) {
      q.add(view.proxy);
    },
  };
}
