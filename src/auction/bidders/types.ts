/**
 * The one interface every bidder implements (docs/auction.md, "Bidders"). The market reuses one view and
 * one feedback object for all auctions, so a bidder must read them during the call and keep nothing.
 */
import type { Rng } from '../../stats/rng.js';

/** What a bidder sees of one ad opportunity (its own value estimate included). */
export interface BidView {
  /** auction index, hour of day, day of week */
  t: number;
  hour: number;
  weekday: number;
  /** lifecycle stage the customer appears to be in (STAGES index) */
  stage: number;
  /** this advertiser's predicted click probability of the impression */
  pCtr: number;
  /** expected conversion value × pCTR: what the impression is worth to this advertiser */
  value: number;
  /** the agent scorer's probability that the visitor is an automated agent */
  pAgent: number;
}

/** What a bidder learns after an auction it took part in. */
export interface BidFeedback {
  bid: number;
  won: boolean;
  /** paid (0 unless won and, in GSP, exposed) */
  price: number;
  exposed: boolean;
  clicked: boolean;
  /** conversion value earned from this impression */
  revenue: number;
  /** the value estimate the bid was based on */
  value: number;
}

export interface Bidder {
  readonly name: string;
  /** the bid for this opportunity (0: no bid) */
  bid(view: BidView): number;
  observe(feedback: BidFeedback): void;
}

/** Parameters of the learning and adaptive bidders, one DEFAULTS object (src/auction/params.ts). */
export interface BidderParams {
  /** LinUCB arms: bid multipliers */
  ucbArms: number[];
  ucbAlpha: number;
  ucbRidge: number;
  /** LinUCB's reward is value − ucbTargetRoas × price: the return each unit of spend must make */
  ucbTargetRoas: number;
  /** LinUCB updates are applied in batches of this many auctions (reporting delay) */
  ucbBatch: number;
  /** Thompson-sampling shading factors */
  shadingArms: number[];
  /** adaptive bidder: rate, bound of the multiplier around 1, window (own auctions), target ROAS */
  adaptiveRate: number;
  adaptiveBound: number;
  adaptiveWindow: number;
  adaptiveTargetRoas: number;
}

export interface BidderEnv {
  rng: Rng;
  params: BidderParams;
}
