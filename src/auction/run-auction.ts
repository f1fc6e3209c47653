/**
 * `auction` as one library call (what the command runs): typed options in (an `auction.json` config
 * beneath them), the grid mechanism × α × seed run and summarised, the result out. Prints nothing; the
 * caller writes runs.csv, market.csv, summary.json and the figures (write-outputs.ts).
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { readFailure } from '../io/read-failure.js';
import { loadProfile } from '../generate/profile.js';
import type { BoosterModel } from '../models/gbdt/index.js';
import { CTR_MODEL_PARAMS, fitCtrModel, readCtrModelFile } from './ctr-model.js';
import type { AuctionGridSpec } from './grid-cell.js';
import { runAuctionGrid, type AuctionGridResult } from './grid.js';
import { readImpressions } from './impressions.js';
import { MECHANISMS, type MechanismName } from './mechanisms/index.js';
import type { PACINGS } from './pacing.js';
import { parseBidderList } from './render.js';
import { parseAuctionConfig, resolveMarketParams, type AuctionConfig, type MarketParams } from './params.js';
import { defendedGains, summariseBidders, summariseMarket, wasteOnAlpha, type BidderCell, type DefendedGain, type MarketCell, type WasteRegression } from './summary.js';

export const AGENT_SCORERS = ['binormal', 'kernel'] as const;
export type AgentScorerKind = (typeof AGENT_SCORERS)[number];

export interface AuctionOptions {
  /** bidder names (prefix defended-); null = --config's, else AUCTION_DEFAULTS */
  bidders: string[] | null;
  mechanisms: MechanismName[] | null;
  /** agent shares of opportunities; null = --config's, else AUCTION_DEFAULTS */
  alphas: number[] | null;
  /** seeds per cell (seed, seed+1, …); null = --config's, else AUCTION_DEFAULTS */
  seeds: number | null;
  seed: number | null;
  /** auctions per run; null = --config's, else AUCTION_DEFAULTS */
  auctions: number | null;
  /** market overrides above --config's market (null = not overridden; docs/auction.md has the market defaults) */
  reserve: number | null;
  slots: number | null;
  pacing: (typeof PACINGS)[number] | null;
  budget: number | null;
  agentAuc: number | null;
  agentScorer: AgentScorerKind;
  /** kernel scorer's behaviour profiles */
  profileHuman: string;
  profileAgent: string;
  /** train the bidders' CTR model on this impressions table; or read it from ctrModel; neither = the known CTR function */
  ctrData: string | null;
  ctrModel: string | null;
  /** auction.json (flags win) */
  config: string | null;
  /** worker threads; null = all cores, 0 = main thread */
  workers: number | null;
  /** confidence level of the summary intervals */
  ci: number;
  onInfo?: (message: string) => void;
  onStage?: (stage: string) => void;
}

/** Defaults of every option (the command's flag defaults come from here); the grid's apply below --config's. */
export const AUCTION_DEFAULTS = {
  bidders: ['aggressive', 'conservative', 'retargeting', 'adaptive', 'brand', 'truthful'], mechanisms: ['second-price'] as MechanismName[], alphas: [0], seeds: 3, seed: 42, auctions: 200_000,
  reserve: null, slots: null, pacing: null, budget: null, agentAuc: null, agentScorer: 'binormal' as AgentScorerKind, profileHuman: 'human', profileAgent: 'agent',
  ctrData: null, ctrModel: null, config: null, workers: null, ci: 0.95,
} satisfies AuctionOptions;

/** Rows of `--write-impressions` by default, and the output folder. */
export const AUCTION_IMPRESSIONS_DEFAULT = 200_000;
export const AUCTION_OUT_DEFAULT = 'auction-out';

export interface AuctionRun {
  spec: AuctionGridSpec;
  result: AuctionGridResult;
  bidderCells: BidderCell[];
  marketCells: MarketCell[];
  gains: DefendedGain[];
  waste: WasteRegression[];
  /** summary.json and --json: the grid, the market, the CTR source, the summaries */
  summary: { grid: Record<string, unknown>; market: MarketParams; ctr: Record<string, unknown>; bidders: BidderCell[]; marketSummary: MarketCell[]; defendedGains: DefendedGain[]; wasteOnAlpha: WasteRegression[] };
}

async function readConfig(path: string): Promise<AuctionConfig> {
  let value: unknown;
  try { value = JSON.parse(await readFile(path, 'utf8')); } catch (err) {
    throw new UsageError(`--config ${path}: ${readFailure(err)}`);
  }
  return parseAuctionConfig(value, path);
}

/** Refuse mechanisms outside MECHANISMS, naming them. */
export function checkMechanisms(mechanisms: readonly string[]): MechanismName[] {
  const bad = mechanisms.filter((m) => !(MECHANISMS as readonly string[]).includes(m));
  if (bad.length > 0) throw new UsageError(`--mechanism: unknown ${bad.join(', ')} (choose from ${MECHANISMS.join(', ')})`);
  return mechanisms as MechanismName[];
}

/**
 * Run the auction grid and summarise it.
 * @example const run = await runAuction({ ...AUCTION_DEFAULTS, alphas: [0, 0.3], auctions: 10_000 })
 */
export async function runAuction(o: AuctionOptions): Promise<AuctionRun> {
  if (o.ctrData !== null && o.ctrModel !== null) throw new UsageError('--ctr-data and --ctr-model are alternatives: give one');
  const config = o.config !== null ? await readConfig(o.config) : {};
  const D = AUCTION_DEFAULTS;
  const bidders = o.bidders ?? parseBidderList((config.bidders ?? D.bidders).join(','));
  const mechanisms = checkMechanisms(o.mechanisms ?? config.mechanism ?? D.mechanisms);
  const alphas = o.alphas ?? config.alpha ?? D.alphas;
  const seeds = o.seeds ?? config.seeds ?? D.seeds, seed = o.seed ?? config.seed ?? D.seed, auctions = o.auctions ?? config.auctions ?? D.auctions;
  const m = config.market ?? {};
  const params = resolveMarketParams({
    ...m,
    rules: { ...m.rules, ...(o.reserve !== null ? { reserve: o.reserve } : {}), ...(o.slots !== null ? { slots: o.slots } : {}) },
    ...(o.pacing !== null ? { pacing: o.pacing } : {}),
    ...(o.budget !== null ? { budgetPerAuction: o.budget } : {}),
    scorer: { ...m.scorer, ...(o.agentAuc !== null ? { auc: o.agentAuc } : {}) },
  });
  let ctr: Record<string, unknown> = { source: 'known CTR function (docs/auction.md)' };
  let ctrModel: BoosterModel | null = null;
  if (o.ctrData !== null) {
    const impressions = await readImpressions(o.ctrData); // a file it refuses is one line, without the progress line
    o.onInfo?.(`training the CTR model on ${o.ctrData}…`);
    const fit = fitCtrModel(impressions, seed);
    ctrModel = fit.model;
    ctr = { source: o.ctrData, method: 'phantom GBDT; 80/20 stratified split, early stopping on 10 % of the training rows', params: CTR_MODEL_PARAMS, rows: fit.rows, testAuc: fit.testAuc, knownFunctionAuc: fit.knownAuc, calibrationError: fit.calibrationError, meanPredicted: fit.meanPredicted, clickRate: fit.clickRate, trees: fit.bestIteration + 1, seed };
  } else if (o.ctrModel !== null) {
    ctrModel = await readCtrModelFile(o.ctrModel);
    ctr = { source: o.ctrModel, trees: ctrModel.trees.length };
  }
  const scorerProfiles = o.agentScorer === 'kernel' ? { human: await loadProfile(o.profileHuman), agent: await loadProfile(o.profileAgent) } : null;
  const spec: AuctionGridSpec = { bidders, mechanisms, alphas, seeds: Array.from({ length: seeds }, (_, k) => seed + k), auctions, params, ctrModel, scorerProfiles };
  const result = await runAuctionGrid(spec, { ...(o.workers !== null ? { workers: o.workers } : {}), onCell: (d, n) => o.onStage?.(`auctions: ${d}/${n} runs`) });
  const bidderCells = summariseBidders(result.bidders, o.ci), marketCells = summariseMarket(result.market, o.ci);
  const gains = defendedGains(result.bidders, o.ci), waste = alphas.length > 1 ? wasteOnAlpha(result.market) : [];
  const grid = { bidders, mechanisms, alphas, seeds: spec.seeds, auctions, ci: o.ci, agentScorer: scorerProfiles ? { kind: 'kernel', human: o.profileHuman, agent: o.profileAgent } : { kind: 'binormal', ...params.scorer } };
  const summary = { grid, market: params, ctr, bidders: bidderCells, marketSummary: marketCells, defendedGains: gains, wasteOnAlpha: waste };
  return { spec, result, bidderCells, marketCells, gains, waste, summary };
}
