/**
 * The customer population (docs/auction.md, "Customers"): identities 0..n−1 with a Zipf visit weight,
 * a conversion propensity ~ Beta(2, 8), a preferred category, and lifecycle state (days since the last
 * visit, visits decayed with a 7-day time constant, cart value, purchases) in typed arrays; ad fatigue per
 * (customer, advertiser) as the click bits of its last 10 exposures.
 */
import type { Rng } from '../stats/rng.js';
import { stageOf } from './stages.js';

export interface CustomerParams {
  /** customers in the population */
  customers: number;
  /** Zipf exponent of visit weights (customer k visits ∝ 1/(k+1)^s) */
  zipf: number;
  /** ad opportunities per simulated day (sets the clock: day = auction / opportunitiesPerDay) */
  opportunitiesPerDay: number;
  /** preferred categories (advertiser k sells category k mod categories) */
  categories: number;
}

export interface Population {
  n: number;
  /** Walker alias table of the visit weights: O(1) draws */
  aliasProb: Float64Array;
  alias: Int32Array;
  propensity: Float64Array;
  category: Uint8Array;
  lastVisit: Float64Array;
  recentVisits: Float64Array;
  cart: Float64Array;
  purchases: Int32Array;
  /** per (customer, advertiser): click bits of the last exposures (bit 0 newest) and their count (≤ 10) */
  history: Uint16Array;
  exposures: Uint8Array;
  advertisers: number;
}

/** Gamma(k) for an integer shape k: −Σ log U. */
function gammaInt(k: number, rng: Rng): number {
  let s = 0;
  for (let i = 0; i < k; i++) s -= Math.log(1 - rng.next());
  return s;
}

/** Beta(a, b) for integer a, b. @example betaInt(2, 8, rng) */
export function betaInt(a: number, b: number, rng: Rng): number {
  const x = gammaInt(a, rng);
  return x / (x + gammaInt(b, rng));
}

/**
 * A population whose state at day 0 is drawn as if it had been running (recent visits and the time since
 * the last visit from each customer's visit rate; some past purchases and carts), so the stage mix does
 * not start all-awareness.
 * @example const pop = createPopulation(CUSTOMER_DEFAULTS, 6, createRng(1))
 */
export function createPopulation(p: CustomerParams, advertisers: number, rng: Rng): Population {
  const n = p.customers, weight = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) total += weight[k] = 1 / (k + 1) ** p.zipf;
  for (let k = 0; k < n; k++) weight[k]! /= total;
  const [aliasProb, alias] = aliasTable(weight);
  const pop: Population = {
    n, aliasProb, alias, propensity: new Float64Array(n), category: new Uint8Array(n), lastVisit: new Float64Array(n), recentVisits: new Float64Array(n),
    cart: new Float64Array(n), purchases: new Int32Array(n), history: new Uint16Array(n * advertisers), exposures: new Uint8Array(n * advertisers), advertisers,
  };
  for (let k = 0; k < n; k++) {
    const rate = p.opportunitiesPerDay * weight[k]!; // visits per day
    pop.propensity[k] = betaInt(2, 8, rng);
    pop.category[k] = rng.int(p.categories);
    pop.lastVisit[k] = Math.log(1 - rng.next()) / rate;
    pop.recentVisits[k] = rate * 7 * (0.5 + rng.next());
    const u = rng.next();
    pop.purchases[k] = u < 0.03 ? 3 : u < 0.13 ? 1 : 0;
    if (rng.next() < 0.15) pop.cart[k] = 10 + 140 * rng.next();
  }
  return pop;
}

/** Walker's alias table of probabilities summing to 1 (Vose's construction). */
export function aliasTable(p: Float64Array): [Float64Array, Int32Array] {
  const n = p.length, prob = new Float64Array(n), alias = new Int32Array(n), scaled = Float64Array.from(p, (x) => x * n);
  const small: number[] = [], large: number[] = [];
  for (let i = n - 1; i >= 0; i--) (scaled[i]! < 1 ? small : large).push(i);
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!, l = large.pop()!;
    prob[s] = scaled[s]!; alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of large) { prob[i] = 1; alias[i] = i; }
  for (const i of small) { prob[i] = 1; alias[i] = i; }
  return [prob, alias];
}

/** A customer drawn by visit weight: one uniform, alias method. */
export function drawCustomer(pop: Population, rng: Rng): number {
  const u = rng.next() * pop.n, i = Math.floor(u);
  return u - i < pop.aliasProb[i]! ? i : pop.alias[i]!;
}

/** Record a visit at `day` and return the customer's stage as of just before it. */
export function visit(pop: Population, c: number, day: number): number {
  const gap = day - pop.lastVisit[c]!, recent = pop.recentVisits[c]! * Math.exp(-gap / 7);
  const stage = stageOf(gap, pop.purchases[c]!, pop.cart[c]!, recent);
  if (gap > 30) pop.cart[c] = 0; // a churn-risk customer's old cart is abandoned
  pop.recentVisits[c] = recent + 1;
  pop.lastVisit[c] = day;
  return stage;
}

/** Fatigue factor of advertiser a on customer c: ×0.7 when more than 3 of the last 10 exposures drew < 10 % response. */
export function fatigue(pop: Population, c: number, a: number): number {
  const i = c * pop.advertisers + a, n = pop.exposures[i]!;
  if (n <= 3) return 1;
  return POPCOUNT[pop.history[i]!]! < 0.1 * n ? 0.7 : 1;
}

const POPCOUNT = Uint8Array.from({ length: 1024 }, (_, h) => { let c = 0; for (let x = h; x !== 0; x >>>= 1) c += x & 1; return c; });

/** Record an exposure of advertiser a to customer c. */
export function expose(pop: Population, c: number, a: number, clicked: boolean): void {
  const i = c * pop.advertisers + a;
  pop.history[i] = ((pop.history[i]! << 1) | (clicked ? 1 : 0)) & 0x3ff;
  if (pop.exposures[i]! < 10) pop.exposures[i]!++;
}
