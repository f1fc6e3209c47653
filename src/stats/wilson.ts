/**
 * The Wilson score interval for a binomial proportion (Wilson 1927; scipy's
 * `binomtest(k, n).proportion_ci(method='wilson')`): the set of p whose score test at level `level` does not
 * reject k successes in n trials. Unlike p̂ ± z·se it stays inside [0, 1] and is not empty at k = 0 or k = n,
 * which matters for the thin bins of a reliability plot.
 */
import { UsageError } from '../errors.js';
import { normalIsf } from './normal-quantile.js';

export interface ProportionInterval {
  lower: number;
  upper: number;
  level: number;
  method: 'Wilson';
}

/**
 * @param k successes (an integer, 0 ≤ k ≤ n); @param n trials (≥ 1); @param level confidence level in (0, 1)
 * @example wilsonInterval(3, 12); // { lower: 0.0889…, upper: 0.5323…, level: 0.95, method: 'Wilson' }
 */
export function wilsonInterval(k: number, n: number, level = 0.95): ProportionInterval {
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(k) && k >= 0 && k <= n)) throw new UsageError(`wilsonInterval needs integers 0 <= k <= n, n >= 1; got k = ${k}, n = ${n}`);
  if (!(level > 0 && level < 1)) throw new UsageError(`wilsonInterval: level must be in (0, 1), got ${level}`);
  const z = normalIsf((1 - level) / 2), z2 = z * z;
  const p = k / n, denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // scipy sets the ends exactly at k = 0 and k = n (the formula reaches them only up to rounding)
  return { lower: k === 0 ? 0 : Math.max(0, center - half), upper: k === n ? 1 : Math.min(1, center + half), level, method: 'Wilson' };
}
