/**
 * First-price sealed-bid auction (docs/auction.md): the highest bid at or above the reserve wins (ties by a
 * seeded draw) and pays its own bid.
 */
import type { Rng } from '../../stats/rng.js';
import type { AuctionResult, AuctionRules } from './rules.js';

/** @example firstPriceAuction(Float64Array.of(1, 0.5), 2, RULE_DEFAULTS, rng, out) // out.prices[0] = 1 */
export function firstPriceAuction(bids: Float64Array, n: number, rules: AuctionRules, rng: Rng, out: AuctionResult): void {
  let best = -1, top = -Infinity, ties = 0;
  for (let i = 0; i < n; i++) {
    const b = bids[i]!;
    if (!(b >= rules.reserve)) continue;
    if (b > top) { top = b; best = i; ties = 1; }
    else if (b === top && rng.next() * ++ties < 1) best = i;
  }
  if (best < 0) { out.filled = 0; return; }
  out.filled = 1;
  out.winners[0] = best;
  out.prices[0] = top;
}
