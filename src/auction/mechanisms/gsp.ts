/**
 * Generalised second price with k slots (docs/auction.md; AuctionNet's setting): bids at or above the
 * reserve are ranked (ties by a seeded draw); slot j goes to the j-th bid and its price is the next bid
 * down, or the reserve when there is none. Exposure is decided by the market: a slot pays only when seen.
 */
import type { Rng } from '../../stats/rng.js';
import type { AuctionResult, AuctionRules } from './rules.js';

/**
 * `order` and `keys` are scratch buffers of at least n entries (no allocation per auction).
 * @example gspAuction(Float64Array.of(3, 2, 1), 3, { ...RULE_DEFAULTS, slots: 2 }, rng, out, new Int32Array(3), new Float64Array(3)) // prices 2, 1
 */
export function gspAuction(bids: Float64Array, n: number, rules: AuctionRules, rng: Rng, out: AuctionResult, order: Int32Array, keys: Float64Array): void {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const b = bids[i]!;
    if (!(b >= rules.reserve)) continue;
    keys[i] = rng.next();
    // insertion sort by (bid desc, random key): n is a handful of bidders
    let j = m++;
    while (j > 0) {
      const o = order[j - 1]!, ob = bids[o]!;
      if (ob > b || (ob === b && keys[o]! > keys[i]!)) break;
      order[j] = o;
      j--;
    }
    order[j] = i;
  }
  const k = Math.min(rules.slots, m);
  out.filled = k;
  for (let s = 0; s < k; s++) {
    out.winners[s] = order[s]!;
    out.prices[s] = s + 1 < m ? Math.max(bids[order[s + 1]!]!, rules.reserve) : rules.reserve;
  }
}
