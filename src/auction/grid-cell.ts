/**
 * One cell of the `phantom auction` grid: a market run at one (mechanism, α, seed) with every bidder in
 * it. Pure: the same cell gives the same rows in any thread. The spec is plain data (workers get a copy).
 */
import type { Profile } from '../generate/profile.js';
import type { BoosterModel } from '../models/gbdt/model.js';
import { knownCtrTables, modelCtrTables } from './ctr-model.js';
import type { MechanismName } from './mechanisms/index.js';
import type { MarketParams } from './params.js';
import type { BidderMetrics, MarketMetrics } from './run-metrics.js';
import { runMarket, type CtrTableBuilder } from './run.js';

export interface AuctionGridSpec {
  bidders: string[];
  mechanisms: MechanismName[];
  alphas: number[];
  seeds: number[];
  auctions: number;
  params: MarketParams;
  /** the bidders' CTR predictions: the known function, or a GBDT model */
  ctrModel: BoosterModel | null;
  /** behaviour profiles of the kernel agent scorer (null: the binormal scorer) */
  scorerProfiles: { human: Profile; agent: Profile } | null;
}

export interface CellKey { mechanism: MechanismName; alpha: number; seed: number; auctions: number }
export type BidderRow = CellKey & BidderMetrics;
export type MarketRow = CellKey & Omit<MarketMetrics, 'stageMix'> & { stageMix: number[] };

/** Per-bidder time series of one run (shares and rates per bucket), for the figures. */
export interface BidderTrace {
  mechanism: MechanismName;
  alpha: number;
  seed: number;
  bidder: string;
  winShare: number[];
  spend: number[];
  roas: number[];
}

export interface AuctionCellJob { mechanismIndex: number; alphaIndex: number; seedIndex: number }
export interface AuctionCellResult { job: AuctionCellJob; bidders: BidderRow[]; market: MarketRow; traces: BidderTrace[] }

/** The CTR table builder of a spec. */
export function ctrBuilder(spec: AuctionGridSpec): CtrTableBuilder {
  return spec.ctrModel === null ? knownCtrTables : modelCtrTables(spec.ctrModel);
}

/**
 * Run one cell. Traces are kept for the first seed only.
 * @example runAuctionCell(spec, { mechanismIndex: 0, alphaIndex: 0, seedIndex: 0 })
 */
export function runAuctionCell(spec: AuctionGridSpec, job: AuctionCellJob, ctr = ctrBuilder(spec)): AuctionCellResult {
  const key: CellKey = { mechanism: spec.mechanisms[job.mechanismIndex]!, alpha: spec.alphas[job.alphaIndex]!, seed: spec.seeds[job.seedIndex]!, auctions: spec.auctions };
  const r = runMarket({ bidders: spec.bidders, mechanism: key.mechanism, alpha: key.alpha, seed: key.seed, auctions: spec.auctions, params: spec.params, ctr, scorerProfiles: spec.scorerProfiles });
  const nb = spec.bidders.length, B = r.traces.buckets, per = spec.auctions / B;
  const traces: BidderTrace[] = job.seedIndex !== 0 ? [] : spec.bidders.map((bidder, b) => {
    const pick = (a: Float64Array) => Array.from({ length: B }, (_, i) => a[i * nb + b]!);
    const spend = pick(r.traces.spend), revenue = pick(r.traces.revenue);
    return { ...key, bidder, winShare: pick(r.traces.wins).map((w) => w / per), spend, roas: spend.map((s, i) => (s > 0 ? revenue[i]! / s : NaN)) };
  });
  return { job, bidders: r.bidders.map((m) => ({ ...key, ...m })), market: { ...key, ...r.market }, traces };
}
