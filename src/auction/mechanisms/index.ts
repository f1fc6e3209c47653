/**
 * The mechanisms by name, each a function over typed arrays (docs/auction.md, "Mechanisms").
 */
import type { Rng } from '../../stats/rng.js';
import { firstPriceAuction } from './first-price.js';
import { gspAuction } from './gsp.js';
import type { AuctionResult, AuctionRules } from './rules.js';
import { secondPriceAuction } from './second-price.js';

export const MECHANISMS = ['second-price', 'first-price', 'gsp'] as const;
export type MechanismName = (typeof MECHANISMS)[number];

/** A mechanism bound to scratch space for n bidders: run(bids, rng, out). */
export type Mechanism = (bids: Float64Array, n: number, rules: AuctionRules, rng: Rng, out: AuctionResult) => void;

/** @example const run = mechanism('gsp', 6); run(bids, 6, rules, rng, out) */
export function mechanism(name: MechanismName, bidders: number): Mechanism {
  if (name === 'second-price') return secondPriceAuction;
  if (name === 'first-price') return firstPriceAuction;
  const order = new Int32Array(bidders), keys = new Float64Array(bidders);
  return (bids, n, rules, rng, out) => gspAuction(bids, n, rules, rng, out, order, keys);
}

export { secondPriceAuction, firstPriceAuction, gspAuction };
export { RULE_DEFAULTS, auctionResult, boundedBid, type AuctionRules, type AuctionResult } from './rules.js';
