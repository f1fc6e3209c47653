/** `truthful`: bids its value (value × pCTR-based estimate), every stage (docs/auction.md). */
import { ruleBidder } from './rule-bidder.js';
import type { Bidder } from './types.js';

export function truthfulBidder(): Bidder { return ruleBidder('truthful', [1, 1, 1, 1, 1, 1]); }
