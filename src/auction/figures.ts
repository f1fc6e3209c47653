/**
 * Figures of `phantom auction` (hand-written SVG, src/report/figures/charts.ts): win share, spend and ROAS
 * per bidder over time (first seed of one mechanism and α), and auctioneer revenue and welfare against α.
 */
import { lineChart, type Series } from '../report/figures/charts.js';
import type { BidderTrace } from './grid-cell.js';
import type { MarketCell } from './summary.js';

/** One line per bidder of a trace metric over the run (x = share of the run elapsed). */
export function bidderTraceChart(traces: readonly BidderTrace[], metric: 'winShare' | 'spend' | 'roas', title: string, yLabel: string): string {
  const series: Series[] = traces.map((t) => ({ name: t.bidder, x: t[metric].map((_, i) => (i + 1) / t[metric].length), y: t[metric].map((v) => (Number.isFinite(v) ? v : 0)) }));
  const t0 = traces[0];
  return lineChart(series, { title: `${title} (${t0?.mechanism}, α = ${t0?.alpha}, seed ${t0?.seed})`, xLabel: 'share of the run elapsed', yLabel, width: 620, height: 360 });
}

/** Auctioneer revenue and welfare (means over seeds) against α, one pair of lines per mechanism. */
export function marketAlphaChart(cells: readonly MarketCell[]): string {
  const mechanisms = [...new Set(cells.map((c) => c.mechanism))];
  const series: Series[] = mechanisms.flatMap((m) => {
    const own = cells.filter((c) => c.mechanism === m).sort((a, b) => a.alpha - b.alpha);
    return [
      { name: `${m} revenue`, x: own.map((c) => c.alpha), y: own.map((c) => c.metrics.auctioneerRevenue.mean) },
      { name: `${m} welfare`, x: own.map((c) => c.alpha), y: own.map((c) => c.metrics.welfare.mean) },
    ];
  });
  const n = cells[0]?.metrics.welfare.n ?? 0;
  return lineChart(series, { title: `Auctioneer revenue and welfare vs contamination (mean of ${n} seed${n === 1 ? '' : 's'})`, xLabel: 'contamination α (agent share of opportunities)', yLabel: 'per run', points: true, width: 620, height: 360 });
}
