/**
 * Files of `phantom auction`: runs.csv (per bidder), market.csv (per run), summary.json and the figures,
 * written atomically into one folder.
 */
import { join } from 'node:path';
import { atomicWriteFile } from '../io/atomic.js';
import { ensureDir } from '../io/ensure-dir.js';
import { writeFigure } from '../report/figures/write-figure.js';
import { bidderTraceChart, marketAlphaChart } from './figures.js';
import type { AuctionGridResult } from './grid.js';
import { bidderCsv, marketCsv } from './runs-csv.js';
import type { MarketCell } from './summary.js';

export interface AuctionFiles { runs: string; market: string; summary: string; figures: string[] }

/** @example await writeAuctionOutputs('out', result, summaryObject, marketCells, true) */
export async function writeAuctionOutputs(dir: string, result: AuctionGridResult, summary: Record<string, unknown>, marketCells: MarketCell[], plot: boolean): Promise<AuctionFiles> {
  await ensureDir(dir); // bounded: a recursive mkdir loops forever under /proc (docs/contract.md §6)
  const runs = join(dir, 'runs.csv'), market = join(dir, 'market.csv'), summaryPath = join(dir, 'summary.json');
  await atomicWriteFile(runs, bidderCsv(result.bidders));
  await atomicWriteFile(market, marketCsv(result.market));
  await atomicWriteFile(summaryPath, `${JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  const figures: string[] = [];
  if (plot) {
    const add = async (name: string, svg: string) => { const f = await writeFigure(dir, name, svg); figures.push(f.svg, ...(f.png ? [f.png] : [])); };
    const first = result.traces.filter((t) => t.mechanism === result.traces[0]?.mechanism && t.alpha === result.traces[0]?.alpha);
    await add('win-share', bidderTraceChart(first, 'winShare', 'Win share per bidder over time', 'share of auctions won'));
    await add('spend', bidderTraceChart(first, 'spend', 'Spend per bidder over time', 'spend per time bucket'));
    await add('roas', bidderTraceChart(first, 'roas', 'ROAS per bidder over time', 'revenue / spend'));
    await add('revenue-welfare-vs-alpha', marketAlphaChart(marketCells));
  }
  return { runs, market, summary: summaryPath, figures };
}
