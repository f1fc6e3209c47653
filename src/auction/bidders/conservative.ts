/** `conservative`: ×0.7 on interest and consideration only (docs/auction.md). */
import { ruleBidder } from './rule-bidder.js';
import type { Bidder } from './types.js';

export const CONSERVATIVE_MULTIPLIERS = [0, 0.7, 0.7, 0, 0, 0] as const;
export function conservativeBidder(): Bidder { return ruleBidder('conservative', CONSERVATIVE_MULTIPLIERS); }
