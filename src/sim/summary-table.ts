/**
 * The human-readable result of `phantom simulate`: mean ± CI half-width per (policy, α), then the
 * regressions of revenue, human revenue per human session and regret on α per policy, and the paired
 * gains of defended-/robust- policies over their bases.
 */
import { renderTable } from '../report/table.js';
import type { AlphaRegression, DefenceGain, Interval, SummaryCell } from './summary.js';

/** A number to `sig` significant digits with thousands separators; float dust (< 1e-9 of `scale`) is 0. */
export function num(x: number, sig = 4, scale = Math.abs(x)): string {
  if (!Number.isFinite(x)) return '–';
  if (Math.abs(x) <= 1e-9 * Math.max(scale, 1e-300)) return '0';
  return x.toLocaleString('en-US', { maximumSignificantDigits: sig });
}

function pm(i: Interval, digits = 4): string {
  if (!Number.isFinite(i.mean)) return '–';
  const half = (i.hi - i.lo) / 2;
  return i.n > 1 ? `${num(i.mean, digits)} ± ${num(half, 2, Math.abs(i.mean))}` : num(i.mean, digits);
}

/** @example process.stdout.write(renderSummaryTable(summarise(rows), 0.95)) */
export function renderSummaryTable(cells: readonly SummaryCell[], level: number): string {
  const head = ['policy', 'α', `revenue (±${Math.round(level * 100)}% CI)`, 'human revenue / human session', 'regret', 'mean p/p0', 'COI', 'proxy error', 'detection AUC'];
  const rows = cells.map((c) => [c.policy, c.alpha, pm(c.metrics.revenue), pm(c.metrics.humanRevenuePerSession), pm(c.metrics.regret), pm(c.metrics.meanMultiplier, 3), pm(c.metrics.coi), pm(c.metrics.proxyError, 3), pm(c.metrics.detectionAuc, 3)]);
  return `${renderTable(head, rows)}\n`;
}

/** Slope ± SE, intercept and R² per policy and metric. */
export function renderRegressionTable(regressions: readonly AlphaRegression[]): string {
  const rows = regressions.map((r) => [r.metric, r.policy, `${num(r.slope)} ± ${num(r.se, 2)}`, num(r.intercept), num(r.r2, 3), r.n]);
  return `${renderTable(['metric on α', 'policy', 'slope per unit α ± SE', 'intercept', 'R²', 'runs'], rows)}\n`;
}

/** Paired gains of wrapped policies over their bases, one row per α and a pooled row. */
export function renderDefenceTable(gains: readonly DefenceGain[], level: number): string {
  const rows = gains.flatMap((g) => g.byAlpha.map((b) => [g.metric, `${g.policy} − ${g.base}`, b.alpha === null ? 'all' : b.alpha, pm(b.difference), b.difference.n]));
  return `${renderTable(['metric', 'paired difference (same market)', 'α', `mean ± ${Math.round(level * 100)}% CI`, 'pairs'], rows)}\n`;
}
