/** `brand`: brand awareness, ×1.2 on awareness and interest (docs/auction.md). */
import { ruleBidder } from './rule-bidder.js';
import type { Bidder } from './types.js';

export const BRAND_MULTIPLIERS = [1.2, 1.2, 0, 0, 0, 0] as const;
export function brandBidder(): Bidder { return ruleBidder('brand', BRAND_MULTIPLIERS); }
