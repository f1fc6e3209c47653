/**
 * Summaries of an auction grid: mean ± normal-approximation CI over seeds per (mechanism, α, bidder) and
 * per (mechanism, α) for the market; the regression of wasted spend on α; and the paired ROAS gain of each
 * `defended-` bidder over its undefended twin in the same runs (docs/auction.md, "Outputs").
 */
import { interval, ols, type Interval } from '../sim/summary.js';
import type { BidderRow, MarketRow } from './grid-cell.js';
import type { MechanismName } from './mechanisms/index.js';

export const BIDDER_SUMMARY = ['winShare', 'winRate', 'impressions', 'clicks', 'conversions', 'spend', 'revenue', 'roas', 'cpa', 'cac', 'meanPrice', 'priceToBid', 'budgetUse', 'wastedSpend', 'wastedShare', 'score', 'regret'] as const;
export const MARKET_SUMMARY = ['auctioneerRevenue', 'welfare', 'surplus', 'wastedSpend', 'maxWinShare', 'unsold'] as const;

export interface BidderCell { mechanism: MechanismName; alpha: number; bidder: string; metrics: Record<(typeof BIDDER_SUMMARY)[number], Interval> }
export interface MarketCell { mechanism: MechanismName; alpha: number; metrics: Record<(typeof MARKET_SUMMARY)[number], Interval> }
export interface DefendedGain { mechanism: MechanismName; alpha: number; bidder: string; base: string; roasDifference: Interval; wastedSpendDifference: Interval }
export interface WasteRegression { mechanism: MechanismName; slope: number; se: number; intercept: number; r2: number; n: number }

function groups<T>(rows: readonly T[], key: (r: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const r of rows) { const k = key(r); (m.get(k) ?? m.set(k, []).get(k)!).push(r); }
  return [...m.values()];
}

/** @example summariseBidders(result.bidders, 0.95) */
export function summariseBidders(rows: readonly BidderRow[], level = 0.95): BidderCell[] {
  return groups(rows, (r) => `${r.mechanism}\u0000${r.alpha}\u0000${r.bidder}`).map((g) => ({
    mechanism: g[0]!.mechanism, alpha: g[0]!.alpha, bidder: g[0]!.bidder,
    metrics: Object.fromEntries(BIDDER_SUMMARY.map((m) => [m, interval(g.map((r) => r[m]), level)])) as BidderCell['metrics'],
  }));
}

/** @example summariseMarket(result.market, 0.95) */
export function summariseMarket(rows: readonly MarketRow[], level = 0.95): MarketCell[] {
  return groups(rows, (r) => `${r.mechanism}\u0000${r.alpha}`).map((g) => ({
    mechanism: g[0]!.mechanism, alpha: g[0]!.alpha,
    metrics: Object.fromEntries(MARKET_SUMMARY.map((m) => [m, interval(g.map((r) => r[m]), level)])) as MarketCell['metrics'],
  }));
}

/** Paired (same run) differences defended-X − X of ROAS and wasted spend, per mechanism and α. */
export function defendedGains(rows: readonly BidderRow[], level = 0.95): DefendedGain[] {
  const at = new Map(rows.map((r) => [`${r.mechanism}\u0000${r.alpha}\u0000${r.seed}\u0000${r.bidder}`, r]));
  const out: DefendedGain[] = [];
  for (const g of groups(rows.filter((r) => r.bidder.startsWith('defended-')), (r) => `${r.mechanism}\u0000${r.alpha}\u0000${r.bidder}`)) {
    const base = g[0]!.bidder.slice('defended-'.length);
    const pairs = g.map((r) => [r, at.get(`${r.mechanism}\u0000${r.alpha}\u0000${r.seed}\u0000${base}`)] as const).filter((p) => p[1] !== undefined);
    if (pairs.length === 0) continue;
    out.push({
      mechanism: g[0]!.mechanism, alpha: g[0]!.alpha, bidder: g[0]!.bidder, base,
      roasDifference: interval(pairs.map(([d, b]) => d.roas - b!.roas), level),
      wastedSpendDifference: interval(pairs.map(([d, b]) => d.wastedSpend - b!.wastedSpend), level),
    });
  }
  return out;
}

/** OLS of the market's wasted spend on α, per mechanism (slope per unit α ± SE). */
export function wasteOnAlpha(rows: readonly MarketRow[]): WasteRegression[] {
  return groups(rows, (r) => r.mechanism).map((g) => ({ mechanism: g[0]!.mechanism, ...ols(g.map((r) => r.alpha), g.map((r) => r.wastedSpend)) }));
}
