/**
 * `defended-<bidder>`: scales the wrapped bidder's bid by (1 − p_agent), the agent scorer's probability
 * that the visitor is an automated agent (docs/auction.md, "Contamination").
 */
import type { Bidder } from './types.js';

/** @example defendedBidder(retargetingBidder()) */
export function defendedBidder(base: Bidder): Bidder {
  return { name: `defended-${base.name}`, bid: (v) => base.bid(v) * (1 - v.pAgent), observe: (f) => base.observe(f) };
}
