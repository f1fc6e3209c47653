/**
 * The human-readable result of `phantom auction`, and the bidder-list flag's parser.
 */
import { UsageError } from '../errors.js';
import { renderTable } from '../report/table.js';
import type { Interval } from '../sim/summary.js';
import { num } from '../sim/summary-table.js';
import { parseBidderName } from './bidders/registry.js';
import type { BidderCell, DefendedGain, MarketCell } from './summary.js';

/** Bidder names from a comma list, every problem at once. @example parseBidderList('aggressive,defended-linucb') */
export function parseBidderList(text: string): string[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--bidders: give at least one bidder');
  const problems: string[] = [];
  for (const n of names) { try { parseBidderName(n); } catch (err) { problems.push((err as Error).message.replace(/^--bidders: /, '')); } }
  if (new Set(names).size !== names.length) problems.push('a bidder is listed twice');
  if (problems.length > 0) throw new UsageError(`--bidders: ${problems.join('; ')}`);
  return names;
}

function pm(i: Interval, digits = 3): string {
  if (!Number.isFinite(i.mean)) return '–';
  return i.n > 1 ? `${num(i.mean, digits)} ± ${num((i.hi - i.lo) / 2, 2, Math.abs(i.mean))}` : num(i.mean, digits);
}

/** Per-bidder table, market table and defended gains. */
export function renderAuctionTables(bidders: readonly BidderCell[], market: readonly MarketCell[], gains: readonly DefendedGain[], level: number): string {
  const ci = `±${Math.round(level * 100)}% CI`;
  const b = renderTable(['mechanism', 'α', 'bidder', `win share (${ci})`, 'spend', 'revenue', 'ROAS', 'CPA', 'mean price', 'price/bid', 'budget use', 'wasted share'],
    bidders.map((c) => [c.mechanism, c.alpha, c.bidder, pm(c.metrics.winShare), pm(c.metrics.spend, 4), pm(c.metrics.revenue, 4), pm(c.metrics.roas), pm(c.metrics.cpa), pm(c.metrics.meanPrice), pm(c.metrics.priceToBid), pm(c.metrics.budgetUse), pm(c.metrics.wastedShare)]));
  const m = renderTable(['mechanism', 'α', 'auctioneer revenue', 'welfare', 'surplus', 'wasted spend', 'max win share', 'unsold'],
    market.map((c) => [c.mechanism, c.alpha, pm(c.metrics.auctioneerRevenue, 4), pm(c.metrics.welfare, 4), pm(c.metrics.surplus, 4), pm(c.metrics.wastedSpend, 4), pm(c.metrics.maxWinShare), pm(c.metrics.unsold, 4)]));
  const g = gains.length === 0 ? '' : `\n${renderTable(['mechanism', 'α', 'paired difference (same runs)', 'ROAS', 'wasted spend'], gains.map((x) => [x.mechanism, x.alpha, `${x.bidder} − ${x.base}`, pm(x.roasDifference), pm(x.wastedSpendDifference, 4)]))}\n`;
  return `${b}\n\n${m}\n${g}`;
}
