/** `retargeting`: ×1.5 with a ×2.0 retargeting bonus on consideration and churn_risk, ×0.5 elsewhere (docs/auction.md). */
import { ruleBidder } from './rule-bidder.js';
import type { Bidder } from './types.js';

export const RETARGETING_MULTIPLIERS = [0.5, 0.5, 1.5 * 2, 0.5, 0.5, 1.5 * 2] as const;
export function retargetingBidder(): Bidder { return ruleBidder('retargeting', RETARGETING_MULTIPLIERS); }
