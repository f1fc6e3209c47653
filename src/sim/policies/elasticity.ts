/**
 * `elasticity`: per product, a log-log regression of the recent proxy on the posted price,
 * log(q̂ + ½) = a + b·log p over the last W steps, and a step towards the revenue-maximising price:
 * revenue p·q̂ rises with p while the local elasticity b > −1 and falls when b < −1, so the price moves
 * up or down by a fixed log step and settles where the fitted elasticity crosses −1 (a constant-
 * elasticity fit has no interior optimum of its own: jumping to its corner solution would be bang-bang).
 * Posted prices are dithered by ±δ so the regression always has price variation to learn from.
 */
import { postMultiplier, type PolicyEnv, type PolicyParams, type PricingPolicy } from './types.js';

/** OLS slope of y on x over the first `count` entries of ring buffers (NaN without variation). */
export function olsSlope(x: Float64Array, y: Float64Array, offset: number, count: number): number {
  let mx = 0, my = 0;
  for (let k = 0; k < count; k++) { mx += x[offset + k]!; my += y[offset + k]!; }
  mx /= count; my /= count;
  let sxy = 0, sxx = 0;
  for (let k = 0; k < count; k++) {
    const dx = x[offset + k]! - mx;
    sxy += dx * (y[offset + k]! - my);
    sxx += dx * dx;
  }
  return sxx > 1e-12 ? sxy / sxx : NaN;
}

/** @example const policy = elasticityPolicy(env, POLICY_DEFAULTS) */
export function elasticityPolicy(env: PolicyEnv, params: PolicyParams): PricingPolicy {
  const n = env.basePrices.length, w = params.elasticityWindow;
  const logP = new Float64Array(n * w), logQ = new Float64Array(n * w);
  const centre = new Float64Array(n).fill(1);
  let count = 0, head = 0;
  return {
    name: 'elasticity',
    decide(_t, _truth, out) {
      for (let i = 0; i < n; i++) {
        if (count >= 4) {
          const b = olsSlope(logP, logQ, i * w, count);
          if (Number.isFinite(b)) centre[i] = Math.min(env.cap, Math.max(env.floor, centre[i]! * Math.exp(b > -1 ? params.elasticityStep : -params.elasticityStep)));
        }
        const dither = env.rng.next() < 0.5 ? -params.elasticityDither : params.elasticityDither;
        postMultiplier(env, i, centre[i]! * Math.exp(dither), out);
      }
    },
    observe(view) {
      for (let i = 0; i < n; i++) {
        logP[i * w + head] = Math.log(view.prices[i]! / env.basePrices[i]!);
        logQ[i * w + head] = Math.log(view.proxy[i]! + 0.5);
      }
      head = (head + 1) % w;
      count = Math.min(w, count + 1);
    },
  };
}
