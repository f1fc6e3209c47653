/**
 * Isotonic calibration as scikit-learn's IsotonicRegression(increasing=True, out_of_bounds='clip'):
 * rows sorted by score, equal scores merged (weighted mean label), pool-adjacent-violators, interior points
 * of flat runs trimmed; prediction interpolates linearly between the knots and clips outside them.
 */
import { UsageError } from '../../errors.js';

export interface IsotonicParams {
  /** knots: increasing scores */
  x: number[];
  /** non-decreasing calibrated probabilities at the knots */
  y: number[];
}

/**
 * Fit the isotonic map from scores x to labels y (0/1).
 * @example fitIsotonic([0.1, 0.2, 0.3], [0, 1, 0]).y; // [0, 0.5]
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>): IsotonicParams {
  const n = x.length;
  if (y.length !== n) throw new UsageError(`fitIsotonic: ${n} scores but ${y.length} labels`);
  if (n === 0) throw new UsageError('fitIsotonic: no rows');
  // numpy.lexsort((y, X)): by x, then y
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i]! - x[j]! || y[i]! - y[j]!);
  // merge equal x: weighted mean of y, summed weight (sklearn _make_unique)
  const ux: number[] = [], uy: number[] = [], uw: number[] = [];
  for (const i of order) {
    const xi = x[i]!;
    if (ux.length > 0 && ux[ux.length - 1] === xi) {
      const k = ux.length - 1;
      uy[k] = (uy[k]! * uw[k]! + y[i]!) / (uw[k]! + 1);
      uw[k]! += 1;
    } else { ux.push(xi); uy.push(y[i]!); uw.push(1); }
  }
  // pool adjacent violators over blocks (value, weight, length)
  const value: number[] = [], weight: number[] = [], size: number[] = [];
  for (let k = 0; k < ux.length; k++) {
    value.push(uy[k]!); weight.push(uw[k]!); size.push(1);
    while (value.length > 1 && value[value.length - 2]! >= value[value.length - 1]!) {
      const v1 = value.pop()!, w1 = weight.pop()!, s1 = size.pop()!;
      const t = value.length - 1;
      if (value[t]! === v1) { weight[t]! += w1; size[t]! += s1; continue; }
      value[t] = (value[t]! * weight[t]! + v1 * w1) / (weight[t]! + w1);
      weight[t]! += w1; size[t]! += s1;
    }
  }
  const fitted: number[] = [];
  value.forEach((v, b) => { for (let s = 0; s < size[b]!; s++) fitted.push(Math.min(1, Math.max(0, v))); });
  // keep the first and last knots and every knot whose value differs from a neighbour's
  const kx: number[] = [], ky: number[] = [];
  for (let k = 0; k < ux.length; k++) {
    const inner = k > 0 && k < ux.length - 1;
    if (!inner || fitted[k] !== fitted[k - 1] || fitted[k] !== fitted[k + 1]) { kx.push(ux[k]!); ky.push(fitted[k]!); }
  }
  return { x: kx, y: ky };
}

/** The calibrated probability of score v (numpy.interp, clipped at the end knots). @example isotonicProbability({ x: [0, 1], y: [0, 1] }, 0.25); // 0.25 */
export function isotonicProbability(m: IsotonicParams, v: number): number {
  const { x, y } = m;
  const last = x.length - 1;
  if (Number.isNaN(v)) return NaN;
  if (v <= x[0]!) return y[0]!;
  if (v >= x[last]!) return y[last]!;
  let lo = 0, hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= v) lo = mid; else hi = mid;
  }
  const t = (v - x[lo]!) / (x[hi]! - x[lo]!);
  return y[lo]! + t * (y[hi]! - y[lo]!);
}
