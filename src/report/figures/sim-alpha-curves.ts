/**
 * Simulator figure: a metric against the contamination ratio α, one line per policy (means over seeds,
 * with their confidence interval as a band and whiskers),
 * e.g. revenue vs α and COI vs α for `phantom simulate`. Drawn with the shared SVG line chart.
 */
import type { SummaryCell, SummaryMetric } from '../../sim/summary.js';
import { lineChart, type Series } from './charts.js';

/**
 * @example alphaCurveChart(summarise(rows), 'revenue', 'Revenue vs α', 'revenue per run')
 */
export function alphaCurveChart(cells: readonly SummaryCell[], metric: SummaryMetric, title: string, yLabel: string, ciLevel?: number): string {
  const policies = [...new Set(cells.map((c) => c.policy))];
  // large currency values are drawn in thousands so the axis labels stay readable
  const largest = Math.max(0, ...cells.map((c) => Math.abs(c.metrics[metric].mean)).filter(Number.isFinite));
  const scale = largest >= 1e5 ? 1000 : 1;
  const series: Series[] = policies.map((policy) => {
    const own = cells.filter((c) => c.policy === policy).sort((a, b) => a.alpha - b.alpha);
    const m = own.map((c) => c.metrics[metric]);
    // the interval of the mean over seeds: policies whose bands overlap are not told apart by this grid
    return { name: policy, x: own.map((c) => c.alpha), y: m.map((i) => i.mean / scale), lo: m.map((i) => i.lo / scale), hi: m.map((i) => i.hi / scale) };
  });
  const n = cells[0]?.metrics[metric].n ?? 0;
  const band = ciLevel === undefined ? 'shaded: CI of the mean' : `shaded: ${Math.round(ciLevel * 1000) / 10}% CI of the mean`;
  return lineChart(series, { title: `${title} (mean of ${n} seed${n === 1 ? '' : 's'}; ${band})`, xLabel: 'contamination α (agent share of sessions)', yLabel: scale === 1 ? yLabel : `${yLabel} (thousands)`, points: true, width: 560, height: 360 });
}
