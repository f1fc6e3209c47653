/**
 * Market parameters of `phantom auction` and their defaults, defined once (docs/auction.md lists each),
 * and the `--config auction.json` schema: every problem reported at once with its path.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { SCORER_DEFAULTS, type ScorerParams } from './agent-scorer.js';
import type { BidderParams } from './bidders/types.js';
import type { CustomerParams } from './customers.js';
import { MECHANISMS, type MechanismName } from './mechanisms/index.js';
import { RULE_DEFAULTS, type AuctionRules } from './mechanisms/rules.js';
import { PACINGS, PACING_DEFAULTS, type PacingName, type PacingParams } from './pacing.js';

export interface MarketParams {
  rules: AuctionRules;
  customers: CustomerParams;
  /** distinct placements (site, app, device, banner, C14–C21 combinations) opportunities are drawn from */
  placements: number;
  /** conversion value before the stage multiplier */
  conversionValue: number;
  /** share of clicks that do not convert which add U(cartMin, cartMax) to the cart */
  cartShare: number;
  cartMin: number;
  cartMax: number;
  /** per visit with a cart: organic purchase probability = organicRate × propensity */
  organicRate: number;
  /** CTR multiplier when the customer's preferred category is the advertiser's */
  categoryMatch: number;
  /** click probability of an automated agent shown an ad (it never converts) */
  agentClickRate: number;
  /** share of agents that look like consideration-stage visitors (the rest look like interest) */
  agentConsiderationShare: number;
  /** each advertiser's budget for the run = budgetPerAuction × auctions */
  budgetPerAuction: number;
  pacing: PacingName;
  pacingParams: PacingParams;
  scorer: ScorerParams;
  bidders: BidderParams;
  /** AuctionNet score: conversions × min(1, cpaTarget / CPA)² */
  cpaTarget: number;
  /** time buckets of the per-bidder traces */
  traceBuckets: number;
}

export const BIDDER_DEFAULTS: Readonly<BidderParams> = Object.freeze({
  ucbArms: [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.5], ucbAlpha: 1, ucbRidge: 1, ucbTargetRoas: 1.5, ucbBatch: 64,
  shadingArms: [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3],
  adaptiveRate: 0.1, adaptiveBound: 0.2, adaptiveWindow: 1000, adaptiveTargetRoas: 1.5,
});

export const MARKET_DEFAULTS: Readonly<MarketParams> = Object.freeze({
  rules: { ...RULE_DEFAULTS, exposure: [...RULE_DEFAULTS.exposure] },
  customers: { customers: 50_000, zipf: 0.8, opportunitiesPerDay: 10_000, categories: 5 },
  placements: 64, conversionValue: 50, cartShare: 0.25, cartMin: 10, cartMax: 150, organicRate: 0.05,
  categoryMatch: 1.5, agentClickRate: 0.15, agentConsiderationShare: 0.5,
  budgetPerAuction: 0.1, pacing: 'pid', pacingParams: { ...PACING_DEFAULTS }, scorer: { ...SCORER_DEFAULTS },
  bidders: { ...BIDDER_DEFAULTS }, cpaTarget: 20, traceBuckets: 20,
} satisfies MarketParams);

const pos = z.number().positive(), nonneg = z.number().nonnegative(), share = z.number().min(0).max(1);
const arms = z.array(pos).min(1);
const overrides = z.object({
  rules: z.object({ minBid: pos, maxBid: pos, reserve: nonneg, increment: nonneg, slots: z.number().int().min(1).max(20), exposure: z.array(share).min(1) }).partial().strict(),
  customers: z.object({ customers: z.number().int().min(1).max(10_000_000), zipf: nonneg, opportunitiesPerDay: pos, categories: z.number().int().min(1).max(255) }).partial().strict(),
  placements: z.number().int().min(1).max(100_000), conversionValue: pos, cartShare: share, cartMin: nonneg, cartMax: nonneg, organicRate: share,
  categoryMatch: pos, agentClickRate: share, agentConsiderationShare: share, budgetPerAuction: pos, pacing: z.enum(PACINGS),
  pacingParams: z.object({ window: z.number().int().min(1), kp: nonneg, ki: nonneg, kd: nonneg }).partial().strict(),
  scorer: z.object({ auc: z.number().min(0.5).max(1), prior: z.number().gt(0).lt(1) }).partial().strict(),
  bidders: z.object({
    ucbArms: arms, ucbAlpha: nonneg, ucbRidge: pos, ucbTargetRoas: pos, ucbBatch: z.number().int().min(1), shadingArms: arms,
    adaptiveRate: nonneg, adaptiveBound: share, adaptiveWindow: z.number().int().min(1), adaptiveTargetRoas: pos,
  }).partial().strict(),
  cpaTarget: pos, traceBuckets: z.number().int().min(1).max(1000),
}).partial().strict();

/** The whole config file: market overrides plus the grid (every key optional; flags win over the file). */
const configSchema = z.object({
  market: overrides,
  bidders: z.array(z.string()).min(1), mechanism: z.array(z.enum(MECHANISMS)).min(1),
  alpha: z.array(share).min(1), seeds: z.number().int().min(1).max(10_000), seed: z.number().int(), auctions: z.number().int().min(1),
}).partial().strict();

export type MarketOverrides = z.infer<typeof overrides>;
export type AuctionConfig = z.infer<typeof configSchema> & { mechanism?: MechanismName[] };

/**
 * Validate a parsed `--config` file; a UsageError lists every problem with its path.
 * @example parseAuctionConfig({ market: { rules: { reserve: 0.1 } } }, 'auction.json')
 */
export function parseAuctionConfig(value: unknown, source: string): AuctionConfig {
  const r = configSchema.safeParse(value);
  const problems = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const rules = r.success ? r.data.market?.rules : undefined;
  if (rules?.minBid !== undefined && rules.maxBid !== undefined && rules.minBid > rules.maxBid) problems.push('market.rules: minBid is above maxBid');
  const c = r.success ? r.data.market : undefined;
  if (c?.cartMin !== undefined && c.cartMax !== undefined && c.cartMin > c.cartMax) problems.push('market: cartMin is above cartMax');
  if (problems.length > 0 || !r.success) throw new UsageError(`--config ${source}: ${problems.join('; ')}`);
  return r.data;
}

/** Defaults overridden block by block. @example resolveMarketParams({ pacing: 'none' }) */
export function resolveMarketParams(o: MarketOverrides = {}): MarketParams {
  const d = MARKET_DEFAULTS;
  return {
    ...d, ...o,
    rules: { ...d.rules, exposure: [...d.rules.exposure], ...o.rules },
    customers: { ...d.customers, ...o.customers },
    pacingParams: { ...d.pacingParams, ...o.pacingParams },
    scorer: { ...d.scorer, ...o.scorer },
    bidders: { ...d.bidders, ...o.bidders },
  };
}
