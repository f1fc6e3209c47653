/**
 * `linucb`: a contextual bandit over bid multipliers, on phantom's LinUCB (src/serve/linucb-state.ts, the
 * disjoint LinUCB of Li et al. 2010 that `serve` uses). Arm = multiplier m, bid = m × value. Context
 * x = [1, value / (1 + value), retargeting stage (consideration or churn_risk), purchase or retention,
 * sin and cos of the hour]. Reward = (clicked ? value per click : 0) − ucbTargetRoas × price (0 when lost):
 * the profit of an advertiser who needs each unit of spend to return ucbTargetRoas. Clicks are what an
 * advertiser observes at once, so automated agents' clicks fool it as they would a click-attributed campaign.
 * Updates are applied in batches of `ucbBatch` auctions, as an advertiser's reports arrive.
 */
import { LinUcbState } from '../../serve/linucb-state.js';
import { CHURN_RISK, CONSIDERATION, PURCHASE, RETENTION } from '../stages.js';
import type { Bidder, BidderEnv } from './types.js';

export const LINUCB_BIDDER_DIMENSION = 6;

/** @example linucbBidder({ rng, params: BIDDER_DEFAULTS }) */
export function linucbBidder(env: BidderEnv): Bidder & { readonly lastMultiplier: number } {
  const d = LINUCB_BIDDER_DIMENSION, p = env.params, batch = Math.max(1, p.ucbBatch);
  const state = new LinUcbState({ arms: p.ucbArms, dimension: d, alpha: p.ucbAlpha, ridge: p.ucbRidge });
  const x = new Float64Array(d);
  const queueX = new Float64Array(batch * d), queueArm = new Int32Array(batch), queueReward = new Float64Array(batch);
  let queued = 0, arm = 0, valuePerClick = 0;
  return {
    name: 'linucb',
    get lastMultiplier() { return p.ucbArms[arm]!; },
    bid(v) {
      x[0] = 1; x[1] = v.value / (1 + v.value);
      x[2] = v.stage === CONSIDERATION || v.stage === CHURN_RISK ? 1 : 0;
      x[3] = v.stage === PURCHASE || v.stage === RETENTION ? 1 : 0;
      x[4] = Math.sin((2 * Math.PI * v.hour) / 24); x[5] = Math.cos((2 * Math.PI * v.hour) / 24);
      valuePerClick = v.pCtr > 0 ? v.value / v.pCtr : 0;
      arm = state.choose(x, env.rng);
      return p.ucbArms[arm]! * v.value;
    },
    observe(f) {
      queueX.set(x, queued * d);
      queueArm[queued] = arm;
      queueReward[queued] = (f.clicked ? valuePerClick : 0) - p.ucbTargetRoas * f.price;
      if (++queued < batch) return;
      for (let k = 0; k < queued; k++) state.update(queueArm[k]!, queueX.subarray(k * d, k * d + d), queueReward[k]!);
      queued = 0;
    },
  };
}
