/**
 * Metrics of one market run (docs/auction.md, "Metrics"): per bidder from typed accumulators, and market
 * level: auctioneer revenue, welfare and surplus as AuctionGym defines them, AuctionNet's CPA-penalised score.
 */

/** Per-bidder accumulator columns, one Float64Array of n entries each. */
export const ACCUMULATORS = ['auctions', 'bids', 'wins', 'impressions', 'clicks', 'conversions', 'spend', 'revenue', 'priceOverBid', 'secondPriceRatio', 'wastedSpend', 'agentImpressions', 'acquired', 'regret'] as const;
export type Accumulator = (typeof ACCUMULATORS)[number];
export type Accumulators = Record<Accumulator, Float64Array>;

export function newAccumulators(n: number): Accumulators {
  return Object.fromEntries(ACCUMULATORS.map((k) => [k, new Float64Array(n)])) as Accumulators;
}

export interface BidderMetrics {
  bidder: string;
  /** auctions it bid in, and won */
  bids: number;
  wins: number;
  /** wins / bids, and wins / all auctions */
  winRate: number;
  winShare: number;
  impressions: number;
  clicks: number;
  conversions: number;
  spend: number;
  revenue: number;
  /** revenue / spend */
  roas: number;
  /** spend / conversions */
  cpa: number;
  /** spend / customers whose first purchase came from this bidder */
  cac: number;
  /** mean price paid per paid impression */
  meanPrice: number;
  /** mean price / own bid over paid impressions (1 in first price) */
  priceToBid: number;
  budgetUse: number;
  /** spend on impressions shown to automated agents, and its share of spend */
  wastedSpend: number;
  wastedShare: number;
  /** AuctionNet: conversions × min(1, cpaTarget / CPA)² */
  score: number;
  /**
   * hindsight regret in expected value (single-slot mechanisms; NaN for GSP): Σ over auctions of the best
   * utility any bid could have had against the others' bids, max(0, value − price it would have paid), minus
   * the utility had (value − price when won)
   */
  regret: number;
}

export interface MarketMetrics {
  auctions: number;
  agentAuctions: number;
  /** auctions with no bid at or above the reserve */
  unsold: number;
  /** Σ prices paid */
  auctioneerRevenue: number;
  /** Σ true expected value (true CTR × conversion probability × value) of exposed impressions (0 for agents) */
  welfare: number;
  /** welfare − auctioneer revenue: what the advertisers keep */
  surplus: number;
  /** wasted spend on agents, all bidders */
  wastedSpend: number;
  /** largest win share of one bidder */
  maxWinShare: number;
  /** stage mix of the human opportunities (STAGES order) */
  stageMix: number[];
}

/** Per-bidder metrics from the accumulators. */
export function bidderMetrics(names: readonly string[], acc: Accumulators, budgets: Float64Array, auctions: number, cpaTarget: number, regretDefined: boolean): BidderMetrics[] {
  return names.map((bidder, b) => {
    const g = (k: Accumulator) => acc[k][b]!;
    const spend = g('spend'), conv = g('conversions'), paid = g('impressions');
    const cpa = conv > 0 ? spend / conv : NaN;
    return {
      bidder, bids: g('bids'), wins: g('wins'), winRate: g('bids') > 0 ? g('wins') / g('bids') : NaN, winShare: g('wins') / auctions,
      impressions: paid, clicks: g('clicks'), conversions: conv, spend, revenue: g('revenue'),
      roas: spend > 0 ? g('revenue') / spend : NaN, cpa, cac: g('acquired') > 0 ? spend / g('acquired') : NaN,
      meanPrice: paid > 0 ? spend / paid : NaN, priceToBid: paid > 0 ? g('priceOverBid') / paid : NaN,
      budgetUse: budgets[b]! > 0 ? spend / budgets[b]! : NaN,
      wastedSpend: g('wastedSpend'), wastedShare: spend > 0 ? g('wastedSpend') / spend : NaN,
      score: conv > 0 ? conv * Math.min(1, cpaTarget / cpa) ** 2 : 0,
      regret: regretDefined ? g('regret') : NaN,
    };
  });
}
