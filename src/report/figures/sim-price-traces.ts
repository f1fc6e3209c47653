/**
 * Simulator figure: the mean posted price multiplier (price / p0, averaged over products) per step, one
 * line per policy, for one α and seed of `phantom simulate`.
 */
import type { RunTrace } from '../../sim/grid-cell.js';
import { lineChart, type Series } from './charts.js';

/**
 * @example priceTraceChart(result.traces)
 */
export function priceTraceChart(traces: readonly RunTrace[]): string {
  const series: Series[] = traces.map((t) => ({ name: t.policy, x: t.multiplier.map((_, k) => k), y: t.multiplier }));
  const first = traces[0];
  const where = first === undefined ? '' : ` at α = ${first.alpha}, seed ${first.seed}`;
  return lineChart(series, { title: `Mean price / p0 per step${where}`, xLabel: 'step', yLabel: 'mean price multiplier', width: 560, height: 360 });
}
