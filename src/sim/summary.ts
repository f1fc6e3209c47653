/**
 * Summaries of a grid: mean ± confidence interval per (policy, α) over seeds, and the least-squares
 * regression of a metric on α per policy (slope, its standard error, intercept, R²), and the paired gain
 * of each defended-/robust-/clean- policy over its base.
 * The interval is mean ± z·sd/√n with z the normal quantile (sd with ddof 1); with few seeds a Student-t
 * interval would be wider (×1.42 at 5 seeds) — stated in docs/simulator.md.
 */
import { mean, std } from '../stats/descriptive.js';
import { normalQuantile } from '../stats/normal-quantile.js';
import type { GridRow } from './grid-cell.js';

export const SUMMARY_METRICS = ['revenue', 'revenueHuman', 'revenueAgent', 'humanRevenuePerSession', 'regret', 'conversions', 'meanMultiplier', 'coi', 'proxyError', 'defendedProxyError', 'volatility', 'ux', 'detectionAuc'] as const;
export type SummaryMetric = (typeof SUMMARY_METRICS)[number];

export interface Interval {
  mean: number;
  sd: number;
  lo: number;
  hi: number;
  n: number;
}

export interface SummaryCell {
  policy: string;
  alpha: number;
  metrics: Record<SummaryMetric, Interval>;
}

export interface AlphaRegression {
  policy: string;
  metric: string;
  slope: number;
  se: number;
  intercept: number;
  r2: number;
  n: number;
}

/** Mean and normal-approximation interval of finite values. */
export function interval(values: number[], level: number): Interval {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { mean: NaN, sd: NaN, lo: NaN, hi: NaN, n: 0 };
  const m = mean(v), sd = v.length > 1 ? std(v, 1) : 0;
  const half = normalQuantile(1 - (1 - level) / 2) * (sd / Math.sqrt(v.length));
  return { mean: m, sd, lo: m - half, hi: m + half, n: v.length };
}

/**
 * Mean ± CI per (policy, α), in the order policies and α first appear in the rows.
 * @example summarise(result.rows, 0.95)[0].metrics.revenue.mean
 */
export function summarise(rows: readonly GridRow[], level = 0.95): SummaryCell[] {
  const groups = new Map<string, GridRow[]>();
  for (const r of rows) {
    const key = `${r.policy}\u0000${r.alpha}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(r);
  }
  return [...groups.values()].map((g) => ({
    policy: g[0]!.policy,
    alpha: g[0]!.alpha,
    metrics: Object.fromEntries(SUMMARY_METRICS.map((m) => [m, interval(g.map((r) => r[m]), level)])) as Record<SummaryMetric, Interval>,
  }));
}

/** OLS of y on x: slope, its standard error √(SSR/(n−2)/Sxx), intercept and R². */
export function ols(x: number[], y: number[]): Omit<AlphaRegression, 'policy' | 'metric'> {
  const n = x.length, mx = mean(x), my = mean(y);
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i]! - mx) ** 2; sxy += (x[i]! - mx) * (y[i]! - my); syy += (y[i]! - my) ** 2; }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  const intercept = my - slope * mx;
  const ssr = Math.max(0, syy - slope * sxy);
  return { slope, se: n > 2 && sxx > 0 ? Math.sqrt(ssr / (n - 2) / sxx) : NaN, intercept, r2: syy > 0 ? 1 - ssr / syy : NaN, n };
}

/**
 * The regression of `metric` on α over all runs of each policy.
 * @example regressOnAlpha(result.rows, 'revenue')
 */
export function regressOnAlpha(rows: readonly GridRow[], metric: SummaryMetric): AlphaRegression[] {
  const policies = [...new Set(rows.map((r) => r.policy))];
  return policies.map((policy) => {
    const g = rows.filter((r) => r.policy === policy && Number.isFinite(r[metric]));
    return { policy, metric, ...ols(g.map((r) => r.alpha), g.map((r) => r[metric])) };
  });
}

export interface DefenceGain {
  /** the wrapped policy (defended-…, robust-…) and the policy it wraps */
  policy: string;
  base: string;
  metric: SummaryMetric;
  /** per α, then pooled over every α (alpha = null) */
  byAlpha: { alpha: number | null; difference: Interval }[];
}

/**
 * Paired differences wrapped − base on the same (α, seed) — the same market, so seed-to-seed market
 * noise cancels — for every defended-/robust-/clean- policy whose base policy is in the grid.
 * @example defenceGains(rows, 'revenue')[0].byAlpha.at(-1).difference.mean
 */
export function defenceGains(rows: readonly GridRow[], metric: SummaryMetric, level = 0.95): DefenceGain[] {
  const policies = [...new Set(rows.map((r) => r.policy))];
  const value = new Map(rows.map((r) => [`${r.policy}\u0000${r.alpha}\u0000${r.seed}`, r[metric]]));
  const out: DefenceGain[] = [];
  for (const policy of policies) {
    const base = /^(?:defended|robust|clean)-(.+)$/.exec(policy)?.[1];
    if (base === undefined || !policies.includes(base)) continue;
    const diffs = rows.filter((r) => r.policy === policy).map((r) => ({ alpha: r.alpha, d: r[metric] - (value.get(`${base}\u0000${r.alpha}\u0000${r.seed}`) ?? NaN) }));
    const alphas = [...new Set(diffs.map((x) => x.alpha))];
    out.push({
      policy, base, metric,
      byAlpha: [...alphas.map((a) => ({ alpha: a, difference: interval(diffs.filter((x) => x.alpha === a).map((x) => x.d), level) })), { alpha: null, difference: interval(diffs.map((x) => x.d), level) }],
    });
  }
  return out;
}
