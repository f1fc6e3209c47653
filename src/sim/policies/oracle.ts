/**
 * `oracle`: prices on true human demand (the benchmark for regret). It reads the market's latent state —
 * each product's human appeal and the daily cycle — and posts, per product, the multiplier that maximises
 * expected human revenue m·P(buy | m) under the market's own willingness-to-pay model. It ignores agents
 * and the small effect of a price on which product a session picks, so other policies can occasionally
 * beat it on a run; regret is therefore reported with its sign.
 */
import { bestMultiplierTable, type MultiplierTable } from '../response-curves.js';
import { postMultiplier, type PolicyEnv, type PricingPolicy } from './types.js';

const tables = new Map<string, MultiplierTable>();

/** @example const policy = oraclePolicy(env) */
export function oraclePolicy(env: PolicyEnv): PricingPolicy {
  const p = env.market;
  const key = JSON.stringify([p.human, p.purchaseKappa, env.floor, env.cap]);
  let table = tables.get(key);
  if (table === undefined) {
    table = bestMultiplierTable(p, env.floor, env.cap);
    tables.set(key, table);
  }
  const lookup = table;
  return {
    name: 'oracle',
    decide(_t, truth, out) {
      for (let i = 0; i < out.length; i++) postMultiplier(env, i, lookup.lookup(p.appealLoading * truth.humanAppeal[i]! + truth.humanShift), out);
    },
    observe() {},
  };
}
