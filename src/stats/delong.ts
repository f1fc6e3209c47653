import { UsageError } from '../errors.js';
import { binaryInput } from './binary-labels.js';
import { normalQuantile } from './normal-quantile.js';
import { rankdata } from './rankdata.js';

export interface AucInterval {
  auc: number;
  /** DeLong variance of the AUC estimate: S₁₀/n₊ + S₀₁/n₋. */
  variance: number;
  se: number;
  lower: number;
  upper: number;
  level: number;
}

function sampleVariance(v: Float64Array): number {
  const n = v.length;
  if (n < 2) return NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += v[i]!;
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (v[i]! - m) * (v[i]! - m);
  return s / (n - 1);
}

/**
 * ROC AUC with a DeLong confidence interval (DeLong, DeLong & Clarke-Pearson 1988), computed in O(n log n)
 * with the midrank formulation of Sun & Xu (2014): for positive i, V₁₀ᵢ = (rank of i among all − rank among
 * positives)/n₋; for negative j, V₀₁ⱼ = 1 − (rank among all − rank among negatives)/n₊. The interval is
 * AUC ± z·√variance (normal approximation), clipped to [0, 1]; variance and bounds are NaN when a class has
 * fewer than two members.
 *
 * @example delongAucCi([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9]).lower;
 */
export function delongAucCi(y: ArrayLike<number | boolean>, score: ArrayLike<number>, level = 0.95): AucInterval {
  if (!(level > 0 && level < 1)) throw new UsageError(`confidence level must lie in (0, 1), got ${level}`);
  const { labels, scores, positives: m, negatives: n } = binaryInput(y, score, 'delongAucCi', true);
  const pos = new Float64Array(m), neg = new Float64Array(n);
  for (let i = 0, a = 0, b = 0; i < scores.length; i++) {
    if (labels[i]) pos[a++] = scores[i]!;
    else neg[b++] = scores[i]!;
  }
  const all = new Float64Array(m + n);
  all.set(pos, 0);
  all.set(neg, m);
  const tz = rankdata(all), tx = rankdata(pos), ty = rankdata(neg);
  const v10 = new Float64Array(m), v01 = new Float64Array(n);
  let sumPosRanks = 0;
  for (let i = 0; i < m; i++) {
    v10[i] = (tz[i]! - tx[i]!) / n;
    sumPosRanks += tz[i]!;
  }
  for (let j = 0; j < n; j++) v01[j] = 1 - (tz[m + j]! - ty[j]!) / m;
  const auc = (sumPosRanks - (m * (m + 1)) / 2) / (m * n);
  const variance = sampleVariance(v10) / m + sampleVariance(v01) / n;
  const se = Math.sqrt(variance);
  const z = normalQuantile(0.5 + level / 2);
  return { auc, variance, se, lower: Math.max(0, auc - z * se), upper: Math.min(1, auc + z * se), level };
}
