/** `aggressive`: ×1.3 at every stage (docs/auction.md). */
import { ruleBidder } from './rule-bidder.js';
import type { Bidder } from './types.js';

export const AGGRESSIVE_MULTIPLIERS = [1.3, 1.3, 1.3, 1.3, 1.3, 1.3] as const;
export function aggressiveBidder(): Bidder { return ruleBidder('aggressive', AGGRESSIVE_MULTIPLIERS); }
