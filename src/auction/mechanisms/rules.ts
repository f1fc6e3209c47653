/**
 * The auction rules every mechanism shares (docs/auction.md, "Mechanisms"): bid bounds, reserve, price
 * increment, slots and their exposure probabilities, and the reused output buffers of one auction.
 */

export interface AuctionRules {
  /** a bid below this (and above 0) is raised to it; 0 means "not bidding" */
  minBid: number;
  /** bids above are cut to it */
  maxBid: number;
  /** bids below the reserve (after the bounds) do not take part */
  reserve: number;
  /** second price: the winner pays max(second bid, reserve) + increment, never more than its own bid */
  increment: number;
  /** slots sold by GSP (first and second price sell one) */
  slots: number;
  /** probability that slot j is seen; a slot is paid for only when seen (GSP) */
  exposure: number[];
}

export const RULE_DEFAULTS: Readonly<AuctionRules> = Object.freeze({
  minBid: 0.01, maxBid: 20, reserve: 0.05, increment: 0.01, slots: 3, exposure: Object.freeze([1, 0.8, 0.6]) as number[],
});

/** One auction's result, in buffers reused across auctions: `filled` slots, winner index and price each. */
export interface AuctionResult {
  filled: number;
  winners: Int32Array;
  prices: Float64Array;
}

/** Buffers for results of up to `slots` slots. @example const out = auctionResult(3) */
export function auctionResult(slots: number): AuctionResult {
  return { filled: 0, winners: new Int32Array(slots), prices: new Float64Array(slots) };
}

/** A bid inside the bounds (0 stays 0: no bid). @example boundedBid(25, RULE_DEFAULTS) // 20 */
export function boundedBid(bid: number, rules: AuctionRules): number {
  if (!(bid > 0)) return 0;
  return bid < rules.minBid ? rules.minBid : bid > rules.maxBid ? rules.maxBid : bid;
}
