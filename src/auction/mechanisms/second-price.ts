/**
 * Second-price sealed-bid auction with reserve and increment (docs/auction.md): the highest bid at or above
 * the reserve wins (ties by a seeded draw); it pays min(own bid, max(second bid, reserve) + increment); a
 * lone bidder above the reserve pays the reserve. Bids are assumed already bounded (boundedBid).
 */
import type { Rng } from '../../stats/rng.js';
import type { AuctionResult, AuctionRules } from './rules.js';

/**
 * Run one auction over bids[0..n) into `out` (no allocation).
 * @example secondPriceAuction(Float64Array.of(1, 0.5), 2, RULE_DEFAULTS, rng, out) // out.prices[0] = 0.51
 */
export function secondPriceAuction(bids: Float64Array, n: number, rules: AuctionRules, rng: Rng, out: AuctionResult): void {
  const reserve = rules.reserve;
  let best = -1, top = -Infinity, second = -Infinity, ties = 0;
  for (let i = 0; i < n; i++) {
    const b = bids[i]!;
    if (!(b >= reserve)) continue;
    if (b > top) { second = top; top = b; best = i; ties = 1; }
    else if (b === top) { second = b; if (rng.next() * ++ties < 1) best = i; }
    else if (b > second) second = b;
  }
  if (best < 0) { out.filled = 0; return; }
  out.filled = 1;
  out.winners[0] = best;
  out.prices[0] = second === -Infinity ? reserve : Math.min(top, Math.max(second, reserve) + rules.increment);
}
