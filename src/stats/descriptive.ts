/**
 * Descriptive statistics over numeric arrays with numpy's definitions: mean, std with ddof, median (mean of
 * the two middle values), quantiles by numpy's default 'linear' method (including its two-sided lerp), IQR.
 * Sums are compensated (Neumaier), so results match numpy to a few ulps. Empty input gives NaN.
 */

/** Neumaier-compensated sum of f(v[i]). */
function compensatedSum(v: ArrayLike<number>, shift: number, square: boolean): number {
  let s = 0, c = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v[i]! - shift;
    const x = square ? d * d : d;
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

/**
 * Arithmetic mean.
 * @example mean([1, 2, 3, 4]); // 2.5
 */
export function mean(values: ArrayLike<number>): number {
  return values.length === 0 ? NaN : compensatedSum(values, 0, false) / values.length;
}

/**
 * Variance Σ(x − mean)²/(n − ddof); ddof 0 = population (numpy's default), 1 = sample. NaN if n ≤ ddof.
 * @example variance([1, 2, 3, 4], 1); // 1.6666666666666667
 */
export function variance(values: ArrayLike<number>, ddof: 0 | 1 = 0): number {
  const n = values.length;
  if (n - ddof <= 0) return NaN;
  return compensatedSum(values, mean(values), true) / (n - ddof);
}

/**
 * Standard deviation, numpy.std(values, ddof=ddof).
 * @example std([1, 2, 3, 4], 0); // 1.118033988749895
 */
export function std(values: ArrayLike<number>, ddof: 0 | 1 = 0): number {
  return Math.sqrt(variance(values, ddof));
}

/** Ascending copy (NaN sorts last, as in numpy). */
export function sortedValues(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** numpy's _lerp: a + (b − a)·t, computed from b's side when t ≥ ½ so that t = 1 returns b exactly. */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/**
 * Quantile of already-sorted values by numpy's 'linear' method: virtual index (n − 1)·q, interpolated.
 * @example quantileSorted(Float64Array.of(1, 2, 3, 4), 0.25); // 1.75
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || !(q >= 0 && q <= 1)) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return lerp(sorted[lo]!, sorted[hi]!, h - lo);
}

/**
 * numpy.quantile(values, q) with the default 'linear' method.
 * @example quantile([1, 2, 3, 4], 0.75); // 3.25
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(sortedValues(values), q);
}

/**
 * numpy.median: the middle value, or the mean of the two middle values.
 * @example median([3, 1, 4, 2]); // 2.5
 */
export function median(values: ArrayLike<number>): number {
  return medianSorted(sortedValues(values));
}

function medianSorted(s: ArrayLike<number>): number {
  const n = s.length, m = n >> 1;
  if (n === 0) return NaN;
  return n % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Interquartile range Q3 − Q1 (numpy 'linear' quantiles).
 * @example iqr([1, 2, 3, 4]); // 1.5
 */
export function iqr(values: ArrayLike<number>): number {
  const s = sortedValues(values);
  return quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
}

/** One group's summary: what `phantom separability` prints per class. */
export interface Description {
  n: number; mean: number; std0: number; std1: number;
  min: number; q1: number; median: number; q3: number; max: number; iqr: number;
}

/**
 * All descriptive numbers of one sample from one sort.
 * @example describe([1, 2, 3, 4]).iqr; // 1.5
 */
export function describe(values: ArrayLike<number>): Description {
  const s = sortedValues(values);
  const n = s.length;
  const q1 = quantileSorted(s, 0.25), q3 = quantileSorted(s, 0.75);
  return {
    n, mean: mean(s), std0: std(s, 0), std1: std(s, 1),
    min: s[0] ?? NaN, q1, median: medianSorted(s), q3, max: s.at(-1) ?? NaN, iqr: q3 - q1,
  };
}
