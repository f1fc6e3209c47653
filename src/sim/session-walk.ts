/**
 * One simulated session (docs/simulator.md): a consideration set of K products, a willingness to pay per product
 * v = p0·exp(log median + γ·appeal + daily shift + σ·z), product choice in proportion to
 * exp(appeal + β·(v − p)/p0) against an outside option K·exp(−u0) (choosing it ends the session, so
 * higher prices shorten sessions and the proxy itself responds to price), an event trajectory walked on
 * the class kernel, and purchases decided by the economics at `checkout_start`: a human buys the cart's
 * product with probability σ(κ·(v − p)/p0); an agent buys at most one product, only when p <= v.
 */
import type { Rng } from '../stats/rng.js';
import { ROLE, type Behaviour } from './behaviour.js';
import { sigmoid, type MarketParams } from './params.js';
import type { SessionScorer } from './session-scorer.js';

/** The market's state and accumulators a session writes into (allocated once per market). */
export interface SessionContext {
  params: MarketParams;
  behaviour: Behaviour;
  scorer: SessionScorer;
  basePrices: Float64Array;
  prices: Float64Array;
  /** remaining units per product, or null when unlimited */
  stock: Float64Array | null;
  appealHuman: Float64Array;
  appealAgent: Float64Array;
  humanShift: number;
  // scratch
  perm: Int32Array;
  candidate: Int32Array;
  wtp: Float64Array;
  multiplier: Float64Array;
  choiceWeight: Float64Array;
  trajectory: Int32Array;
  eventProduct: Int32Array;
  eventWeight: Float64Array;
  // accumulators for the step
  proxy: Float64Array;
  defendedProxy: Float64Array;
  humanProxy: Float64Array;
  views: Float64Array;
  purchases: Float64Array;
  revenue: Float64Array;
  totals: { revenueHuman: number; revenueAgent: number; purchasesHuman: number; purchasesAgent: number };
}

/**
 * Simulate one session into the context's accumulators; returns its agent probability f(τ).
 * @example const f = walkSession(ctx, createRng(mixSeed(seed, STREAM.session, t, s)), false)
 */
export function walkSession(c: SessionContext, rng: Rng, agent: boolean): number {
  const p = c.params, b = c.behaviour, n = c.basePrices.length;
  const cls = agent ? p.agent : p.human;
  const walk = agent ? b.agent : b.human;
  const appeal = agent ? c.appealAgent : c.appealHuman;
  const loading = agent ? 0 : p.appealLoading;
  const shift = Math.log(cls.wtpMedian) + (agent ? 0 : c.humanShift);
  const k = Math.min(cls.consider, n);
  let total = 0;
  for (let q = 0; q < k; q++) {
    const r = q + rng.int(n - q);
    const i = c.perm[r]!;
    c.perm[r] = c.perm[q]!;
    c.perm[q] = i;
    c.candidate[q] = i;
    const w = Math.exp(shift + loading * appeal[i]! + cls.wtpSigma * rng.normal());
    const m = c.prices[i]! / c.basePrices[i]!;
    c.wtp[q] = w;
    c.multiplier[q] = m;
    const cw = c.stock !== null && c.stock[i]! <= 0 ? 0 : Math.exp(appeal[i]! + cls.choiceBeta * (w - m));
    c.choiceWeight[q] = cw;
    total += cw;
  }
  const leave = k * Math.exp(-cls.leaveUtility);
  const choose = (): number => {
    let u = rng.next() * (total + leave);
    for (let q = 0; q < k; q++) if ((u -= c.choiceWeight[q]!) < 0) return q;
    return -1;
  };
  const traj = c.trajectory;
  let len = 0, events = 0, state = b.start, current = -1, lastSeen = -1, cart = -1, bought = false;
  traj[len++] = b.start;
  for (let e = 0; e < walk.maxEvents; e++) {
    let next = -1;
    if (b.role[state] === ROLE.checkout && cart >= 0 && (c.stock === null || c.stock[c.candidate[cart]!]! > 0)) {
      const buys = agent ? !bought && c.wtp[cart]! >= c.multiplier[cart]! : rng.next() < sigmoid(p.purchaseKappa * (c.wtp[cart]! - c.multiplier[cart]!));
      if (buys) next = b.purchase;
    }
    if (next < 0) {
      const cum = walk.cumulative[state]!;
      const u = rng.next();
      let j = 0;
      while (j < cum.length - 1 && u >= cum[j]!) j++;
      next = walk.next[state]![j]!;
    }
    if (next === b.end) break;
    const role = b.role[next]!;
    let product = -1;
    if (role === ROLE.item || (role === ROLE.cartAdd && current < 0)) {
      product = lastSeen >= 0 && rng.next() < walk.revisit ? lastSeen : choose();
      if (product < 0) break; // took the outside option: the session leaves
      current = lastSeen = product;
      if (role === ROLE.item) c.views[c.candidate[product]!]! += 1;
      if (role === ROLE.cartAdd) cart = product;
    } else if (role === ROLE.cartAdd) {
      product = cart = current;
    } else if (role === ROLE.hover) {
      product = current;
    } else if (role === ROLE.checkout || role === ROLE.cartRemove) {
      product = cart;
      if (role === ROLE.cartRemove) cart = -1;
    } else if (role === ROLE.purchase) {
      product = cart;
      const i = c.candidate[cart]!, price = c.prices[i]!;
      c.purchases[i]! += 1;
      c.revenue[i]! += price;
      if (c.stock !== null) c.stock[i]! -= 1;
      if (agent) { c.totals.revenueAgent += price; c.totals.purchasesAgent += 1; bought = true; }
      else { c.totals.revenueHuman += price; c.totals.purchasesHuman += 1; }
      cart = -1;
    } else {
      current = -1; // back on a listing, search or filter page
    }
    state = next;
    traj[len++] = next;
    if (product >= 0 && b.weight[next]! > 0) {
      c.eventProduct[events] = c.candidate[product]!;
      c.eventWeight[events++] = b.weight[next]!;
    }
  }
  traj[len++] = b.end;
  const f = c.scorer.score(traj, len);
  for (let e = 0; e < events; e++) {
    const i = c.eventProduct[e]!, w = c.eventWeight[e]!;
    c.proxy[i]! += w;
    c.defendedProxy[i]! += (1 - f) * w;
    if (!agent) c.humanProxy[i]! += w;
  }
  return f;
}
