/**
 * Public API of the retargeting ad-auction market (docs/auction.md), usable without the CLI. Exported from
 * the package as the `auction` namespace (its names overlap `simulate`'s: MARKET_DEFAULTS, …).
 *
 * @example
 *   import { auction } from 'phantom';
 *   const r = auction.runMarket({ bidders: ['aggressive', 'retargeting', 'defended-linucb'], mechanism: 'gsp', alpha: 0.2, seed: 1, auctions: 100_000, params: auction.resolveMarketParams(), ctr: auction.knownCtrTables });
 *   r.bidders[2].roas;
 */
export { RULE_DEFAULTS, MECHANISMS, mechanism, auctionResult, boundedBid, secondPriceAuction, firstPriceAuction, gspAuction, type AuctionRules, type AuctionResult, type MechanismName, type Mechanism } from './mechanisms/index.js';
export { PACINGS, PACING_DEFAULTS, createPacer, type PacingName, type PacingParams, type Pacer } from './pacing.js';
export { STAGES, STAGE_CTR, STAGE_CONVERSION, STAGE_VALUE, stageOf, type StageName } from './stages.js';
export { createPopulation, drawCustomer, visit, fatigue, expose, betaInt, type Population, type CustomerParams } from './customers.js';
export { CTR_FEATURES, CTR_FUNCTION_SEED, categoryCode, drawPlacements, knownCtr, knownCtrOfRow, featureRow, type Placements } from './ctr-function.js';
export { fitCtrModel, readCtrModel, knownCtrTables, modelCtrTables, stratifiedSplit, CTR_MODEL_PARAMS, type CtrFit } from './ctr-model.js';
export { writeImpressions, readImpressions, IMPRESSION_COLUMNS, type CtrData } from './impressions.js';
export { kernelPoolScorer, KERNEL_POOL } from './kernel-scorer.js';
export { binormalScorer, SCORER_DEFAULTS, type AgentScorer, type ScorerParams } from './agent-scorer.js';
export { BASE_BIDDERS, createBidder, parseBidderName, type BaseBidder } from './bidders/registry.js';
export type { Bidder, BidView, BidFeedback, BidderParams, BidderEnv } from './bidders/types.js';
export { MARKET_DEFAULTS, BIDDER_DEFAULTS, resolveMarketParams, parseAuctionConfig, type MarketParams, type MarketOverrides, type AuctionConfig } from './params.js';
export { runMarket, type RunSpec, type RunResult, type RunTraces, type CtrTables, type CtrTableBuilder } from './run.js';
export type { BidderMetrics, MarketMetrics } from './run-metrics.js';
export { runAuctionGrid, auctionJobs, type AuctionGridResult } from './grid.js';
export { runAuctionCell, type AuctionGridSpec, type BidderRow, type MarketRow, type BidderTrace } from './grid-cell.js';
export { bidderCsv, marketCsv, BIDDER_COLUMNS, MARKET_COLUMNS } from './runs-csv.js';
export { summariseBidders, summariseMarket, defendedGains, wasteOnAlpha, type BidderCell, type MarketCell, type DefendedGain } from './summary.js';
