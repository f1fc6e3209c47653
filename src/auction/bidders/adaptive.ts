/**
 * `adaptive`: ×m at every stage, m starting at 1.0; after each window of its own auctions,
 * m ← clamp(m·(1 + rate·clamp(ROAS/target − 1, −1, 1)), 1 − bound, 1 + bound) — it bids up while its
 * recent ROAS beats the target and down while it falls short (docs/auction.md).
 */
import type { Bidder, BidderParams } from './types.js';

/** @example adaptiveBidder(BIDDER_DEFAULTS) */
export function adaptiveBidder(p: BidderParams): Bidder {
  let m = 1, seen = 0, spend = 0, revenue = 0;
  return {
    name: 'adaptive',
    get multiplier() { return m; },
    bid: (v) => v.value * m,
    observe(f) {
      spend += f.price;
      revenue += f.revenue;
      if (++seen < p.adaptiveWindow) return;
      if (spend > 0) {
        const signal = Math.max(-1, Math.min(1, revenue / spend / p.adaptiveTargetRoas - 1));
        m = Math.max(1 - p.adaptiveBound, Math.min(1 + p.adaptiveBound, m * (1 + p.adaptiveRate * signal)));
      }
      seen = 0; spend = 0; revenue = 0;
    },
  } as Bidder;
}
