/**
 * `shading`: Thompson-sampling bid shading. Arms are shading factors s (bid = s × value); each keeps the
 * running mean and sum of squared deviations of its surplus (value − price when won, else 0); the arm with
 * the largest draw from N(mean, (M2 + s0²)/(n·(n+1))) is played (Gaussian Thompson sampling, s0 the running
 * largest |surplus|, so arms with identical rewards keep exploring and ties do not favour the first arm).
 * In second price truthful bidding is dominant, so it should settle near s = 1; in first price it shades.
 */
import type { Bidder, BidderEnv } from './types.js';

/** @example shadingBidder({ rng, params: BIDDER_DEFAULTS }) */
export function shadingBidder(env: BidderEnv): Bidder & { readonly lastFactor: number; readonly meanFactor: number } {
  const arms = env.params.shadingArms, k = arms.length;
  const n = new Float64Array(k), mean = new Float64Array(k), m2 = new Float64Array(k);
  let arm = 0, scale = 1, ema = 1;
  return {
    name: 'shading',
    get lastFactor() { return arms[arm]!; },
    /** exponential moving average (weight 0.001) of the factors played: where the learner has settled */
    get meanFactor() { return ema; },
    bid(v) {
      let best = -Infinity;
      for (let a = 0; a < k; a++) {
        const c = n[a]!, sd = Math.sqrt((m2[a]! + scale * scale) / Math.max(1, c) / (c + 1));
        const draw = mean[a]! + sd * env.rng.normal();
        if (draw > best) { best = draw; arm = a; }
      }
      ema += 0.001 * (arms[arm]! - ema);
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
