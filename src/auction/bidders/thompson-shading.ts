/**
 * `shading`: Thompson-sampling bid shading. Arms are shading factors s (bid = s × value); each keeps the
 * running mean and variance of its surplus (value − price when won, else 0) and the arm with the largest
 * draw from N(mean, var/(n+1)) is played (Gaussian Thompson sampling; unseen arms draw from a wide prior).
 * In second price truthful bidding is dominant, so it should settle near s = 1; in first price it shades.
 */
import type { Bidder, BidderEnv } from './types.js';

/** @example shadingBidder({ rng, params: BIDDER_DEFAULTS }) */
export function shadingBidder(env: BidderEnv): Bidder & { readonly lastFactor: number } {
  const arms = env.params.shadingArms, k = arms.length;
  const n = new Float64Array(k), mean = new Float64Array(k), m2 = new Float64Array(k);
  let arm = 0, scale = 1;
  return {
    name: 'shading',
    get lastFactor() { return arms[arm]!; },
    bid(v) {
      let best = -Infinity;
      for (let a = 0; a < k; a++) {
        const sd = n[a]! > 1 ? Math.sqrt(m2[a]! / (n[a]! - 1)) : scale;
        const draw = mean[a]! + (sd / Math.sqrt(n[a]! + 1)) * env.rng.normal();
        if (draw > best) { best = draw; arm = a; }
      }
      return arms[arm]! * v.value;
    },
    observe(f) {
      const r = f.won ? f.value - f.price : 0;
      scale = Math.max(scale * 0.999, Math.abs(r));
      const c = ++n[arm]!, delta = r - mean[arm]!;
      mean[arm]! += delta / c;
      m2[arm]! += delta * (r - mean[arm]!);
    },
  };
}
