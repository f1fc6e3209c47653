/**
 * `linucb`: disjoint LinUCB (Li et al., 2010). Arms are price multipliers; each arm a keeps
 * A_a = λI + Σ x xᵀ (stored as its inverse, updated by Sherman–Morrison) and b_a = Σ r·x. For product i
 * the arm maximising θ_aᵀx + α_ucb·√(xᵀA_a⁻¹x), θ_a = A_a⁻¹b_a, is posted. Context
 * x = [1, log(1 + q̂_i / mean q̂), recent conversion rate, sin and cos of the hour, estimated agent share];
 * reward = revenue of the product in the step / p0 (so arms are comparable across products). Updates
 * credit the arm nearest to the price actually posted, so wrappers that override prices stay correct.
 */
import { quadraticForm, scaledIdentity, shermanMorrisonUpdate } from './sherman-morrison.js';
import { smoothed } from './smoothed-proxy.js';
import { postMultiplier, type PolicyEnv, type PolicyParams, type PricingPolicy } from './types.js';

export const LINUCB_DIMENSION = 6;

/** @example const policy = linucbPolicy(env, POLICY_DEFAULTS) */
export function linucbPolicy(env: PolicyEnv, params: PolicyParams): PricingPolicy {
  const n = env.basePrices.length, d = LINUCB_DIMENSION, arms = params.ucbArms, na = arms.length;
  const ainv = arms.map(() => scaledIdentity(d, 1 / params.ucbRidge));
  const b = arms.map(() => new Float64Array(d));
  const theta = new Float64Array(na * d);
  const contexts = new Float64Array(n * d);
  const scratch = new Float64Array(d);
  const q = smoothed(n, params.smoothing), views = smoothed(n, params.smoothing), buys = smoothed(n, params.smoothing);
  let agentShare = 0;
  const day = env.market.stepsPerDay;
  return {
    name: 'linucb',
    decide(t, _truth, out) {
      let meanQ = 0;
      for (let i = 0; i < n; i++) meanQ += q.values[i]!;
      meanQ /= n;
      const angle = (2 * Math.PI * (t % day)) / day;
      for (let a = 0; a < na; a++) {
        for (let r = 0; r < d; r++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += ainv[a]![r * d + c]! * b[a]![c]!;
          theta[a * d + r] = s;
        }
      }
      for (let i = 0; i < n; i++) {
        const o = i * d;
        contexts[o] = 1;
        contexts[o + 1] = meanQ > 0 ? Math.log1p(q.values[i]! / meanQ) : 0;
        contexts[o + 2] = buys.values[i]! / (views.values[i]! + 1);
        contexts[o + 3] = Math.sin(angle);
        contexts[o + 4] = Math.cos(angle);
        contexts[o + 5] = agentShare;
        let best = 0, bestScore = -Infinity, ties = 0;
        for (let a = 0; a < na; a++) {
          let mean = 0;
          for (let c = 0; c < d; c++) mean += theta[a * d + c]! * contexts[o + c]!;
          const score = mean + params.ucbAlpha * Math.sqrt(Math.max(0, quadraticForm(ainv[a]!, contexts, d, o)));
          // ties (e.g. before any data) are broken uniformly at random, not towards the first arm
          if (score > bestScore + 1e-12) { bestScore = score; best = a; ties = 1; }
          else if (score >= bestScore - 1e-12 && env.rng.next() * ++ties < 1) best = a;
        }
        postMultiplier(env, i, arms[best]!, out);
      }
    },
    observe(view) {
      for (let i = 0; i < n; i++) {
        const m = view.prices[i]! / env.basePrices[i]!;
        let a = 0;
        for (let k = 1; k < na; k++) if (Math.abs(arms[k]! - m) < Math.abs(arms[a]! - m)) a = k;
        const x = contexts.subarray(i * d, i * d + d);
        shermanMorrisonUpdate(ainv[a]!, x, d, scratch);
        const r = view.revenue[i]! / env.basePrices[i]!;
        for (let c = 0; c < d; c++) b[a]![c]! += r * x[c]!;
      }
      q.add(view.proxy);
      views.add(view.views);
      buys.add(view.purchases);
      agentShare = view.agentShareEstimate;
    },
  };
}
