/**
 * Simulator figure: a metric against the contamination ratio α, one line per policy (means over seeds),
 * e.g. revenue vs α and COI vs α for `phantom simulate`. Drawn with the shared SVG line chart.
 */
import type { SummaryCell, SummaryMetric } from '../../sim/summary.js';
import { lineChart, type Series } from './charts.js';

/**
 * @example alphaCurveChart(summarise(rows), 'revenue', 'Revenue vs α', 'revenue per run')
 */
export function alphaCurveChart(cells: readonly SummaryCell[], metric: SummaryMetric, title: string, yLabel: string): string {
  const policies = [...new Set(cells.map((c) => c.policy))];
  // large currency values are drawn in thousands so the axis labels stay readable
  const largest = Math.max(0, ...cells.map((c) => Math.abs(c.metrics[metric].mean)).filter(Number.isFinite));
  const scale = largest >= 1e5 ? 1000 : 1;
  const series: Series[] = policies.map((policy) => {
    const own = cells.filter((c) => c.policy === policy).sort((a, b) => a.alpha - b.alpha);
    return { name: policy, x: own.map((c) => c.alpha), y: own.map((c) => c.metrics[metric].mean / scale) };
  });
  const n = cells[0]?.metrics[metric].n ?? 0;
  return lineChart(series, { title: `${title} (mean of ${n} seed${n === 1 ? '' : 's'})`, xLabel: 'contamination α (agent share of sessions)', yLabel: scale === 1 ? yLabel : `${yLabel} (thousands)`, points: true, width: 560, height: 360 });
}
