/**
 * `runs.csv` (one row per mechanism, α, seed and bidder) and `market.csv` (one row per run), in grid
 * order, numbers with at most 10 significant digits: byte-identical for the same grid on any thread count.
 */
import { csvField } from '../io/text-out.js';
import { numberCell } from '../sim/runs-csv.js';
import type { BidderRow, MarketRow } from './grid-cell.js';
import { STAGES } from './stages.js';

export const BIDDER_COLUMNS = [
  'mechanism', 'alpha', 'seed', 'auctions', 'bidder', 'bids', 'wins', 'winRate', 'winShare', 'impressions', 'clicks', 'conversions',
  'spend', 'revenue', 'roas', 'cpa', 'cac', 'meanPrice', 'priceToBid', 'budgetUse', 'wastedSpend', 'wastedShare', 'score', 'regret',
] as const satisfies readonly (keyof BidderRow)[];

export const MARKET_COLUMNS = ['mechanism', 'alpha', 'seed', 'auctions', 'agentAuctions', 'unsold', 'auctioneerRevenue', 'welfare', 'surplus', 'wastedSpend', 'maxWinShare'] as const satisfies readonly (keyof MarketRow)[];

function cell(v: unknown): string {
  return typeof v === 'number' ? numberCell(v) : csvField(v as string);
}

/** @example await atomicWriteFile('runs.csv', bidderCsv(result.bidders)) */
export function bidderCsv(rows: readonly BidderRow[]): string {
  return `${[BIDDER_COLUMNS.join(','), ...rows.map((r) => BIDDER_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n')}\n`;
}

/** Market rows with the stage mix as stage_<name> columns. */
export function marketCsv(rows: readonly MarketRow[]): string {
  const head = [...MARKET_COLUMNS, ...STAGES.map((s) => `stage_${s}`)];
  return `${[head.join(','), ...rows.map((r) => [...MARKET_COLUMNS.map((c) => cell(r[c])), ...r.stageMix.map(numberCell)].join(','))].join('\n')}\n`;
}
