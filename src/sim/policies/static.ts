/**
 * `static`: posts a fixed multiple of the base price (p0 by default) and learns nothing.
 */
import { postMultiplier, type PolicyEnv, type PolicyParams, type PricingPolicy } from './types.js';

/** @example const policy = staticPolicy(env, { ...POLICY_DEFAULTS, staticMultiplier: 0.9 }) */
export function staticPolicy(env: PolicyEnv, params: PolicyParams): PricingPolicy {
  return {
    name: 'static',
    decide(_t, _truth, out) {
      for (let i = 0; i < out.length; i++) postMultiplier(env, i, params.staticMultiplier, out);
    },
    observe() {},
  };
}
