import { DataError, UsageError } from '../errors.js';
import { hodgesLehmann } from './hodges-lehmann.js';
import { mannWhitneyExactCdf } from './mann-whitney-exact.js';
import { permutationPValue } from './mann-whitney-permutation.js';
import {
  ALTERNATIVES, DEFAULT_PERMUTATIONS, MANN_WHITNEY_METHODS,
  type MannWhitneyOptions, type MannWhitneyResult,
} from './mann-whitney-types.js';
import { normalSf } from './normal.js';
import { rankWithTies } from './rankdata.js';

function pooled(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const n1 = x.length, n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new DataError(`Mann–Whitney needs two non-empty samples (got sizes ${n1} and ${n2})`);
  const xy = new Float64Array(n1 + n2);
  for (let i = 0; i < n1; i++) xy[i] = x[i]!;
  for (let j = 0; j < n2; j++) xy[n1 + j] = y[j]!;
  for (let i = 0; i < xy.length; i++) {
    if (Number.isNaN(xy[i])) throw new DataError(`Mann–Whitney samples must not contain NaN (value ${i < n1 ? `x[${i}]` : `y[${i - n1}]`})`);
  }
  return xy;
}

function checkOptions(opts: MannWhitneyOptions): void {
  if (opts.alternative !== undefined && !ALTERNATIVES.includes(opts.alternative)) {
    throw new UsageError(`alternative must be one of ${ALTERNATIVES.join(', ')} (got '${String(opts.alternative)}')`);
  }
  if (opts.method !== undefined && !MANN_WHITNEY_METHODS.includes(opts.method)) {
    throw new UsageError(`method must be one of ${MANN_WHITNEY_METHODS.join(', ')} (got '${String(opts.method)}')`);
  }
  const b = opts.permutations;
  if (b !== undefined && !(Number.isInteger(b) && b >= 1)) throw new UsageError(`permutations must be a positive integer (got ${b})`);
}

/**
 * Mann–Whitney U test of x against y, with the semantics of scipy.stats.mannwhitneyu in scipy 1.10.1:
 * statistic = U1 = R1 − n1(n1+1)/2 from average ranks; 'auto' picks 'asymptotic' when both samples have more
 * than 8 values or there are ties, else 'exact'; 'exact' uses the null distribution of U without tie correction
 * (a non-integer U is truncated, as scipy does); 'asymptotic' uses the tie-corrected variance and, by default,
 * a continuity correction of ½. 'permutation' (not in scipy 1.10) is a seeded permutation test on U1.
 * Effect sizes: AUC = U1/(n1·n2), rank-biserial 2·AUC − 1, Hodges–Lehmann shift.
 *
 * @example mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12], { method: 'exact' }); // statistic 17, pvalue 0.1111…
 */
export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>, opts: MannWhitneyOptions = {}): MannWhitneyResult {
  checkOptions(opts);
  const alternative = opts.alternative ?? 'two-sided';
  const continuityWanted = opts.continuity ?? true;
  const xy = pooled(x, y);
  const n1 = x.length, n2 = y.length, n = n1 + n2;
  const { ranks, tieTerm, hasTies } = rankWithTies(xy);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  let method = opts.method ?? 'auto';
  if (method === 'auto') method = (n1 > 8 && n2 > 8) || hasTies ? 'asymptotic' : 'exact';

  // Every p-value is an upper tail: 'greater' uses U1, 'less' uses U2 (symmetry), two-sided doubles max(U1, U2).
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const factor = alternative === 'two-sided' ? 2 : 1;
  const result: MannWhitneyResult = {
    statistic: u1, statisticOther: u2, pvalue: NaN, method, alternative,
    continuity: method === 'asymptotic' && continuityWanted, n1, n2,
    effect: { auc: u1 / (n1 * n2), rankBiserial: (2 * u1) / (n1 * n2) - 1, hodgesLehmann: hodgesLehmann(x, y) },
  };
  let p: number;
  if (method === 'exact') {
    // P(U ≥ u) = P(U ≤ n1·n2 − u) by symmetry; scipy truncates u to an integer first.
    p = mannWhitneyExactCdf(n1 * n2 - Math.trunc(u), n1, n2) * factor;
  } else if (method === 'asymptotic') {
    const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z = (u - (n1 * n2) / 2 - (continuityWanted ? 0.5 : 0)) / sigma;
    result.z = z;
    p = normalSf(z) * factor;
  } else {
    const out = permutationPValue(ranks, n1, u1, alternative, opts.permutations ?? DEFAULT_PERMUTATIONS, opts.rng);
    result.permutations = out.permutations;
    result.enumerated = out.enumerated;
    p = out.pvalue;
  }
  result.pvalue = Number.isNaN(p) ? p : Math.min(1, Math.max(0, p));
  return result;
}
