/**
 * Parse once: validate the matrix, the target, the weights and the params of a CART fit, and report
 * every problem in one UsageError, so the growth kernel only loops over checked typed arrays.
 */
import { UsageError } from '../../errors.js';
import { CART_DEFAULTS, type CartParams, type DenseMatrix } from './types.js';

/** Resolve partial params against CART_DEFAULTS; throws UsageError listing every bad value. */
export function resolveCartParams(partial: Partial<CartParams> = {}): CartParams {
  const p: CartParams = { ...CART_DEFAULTS, ...partial };
  const problems: string[] = [];
  if (!(p.maxDepth >= 0) || (Number.isFinite(p.maxDepth) && !Number.isInteger(p.maxDepth))) {
    problems.push(`maxDepth must be a non-negative integer or Infinity (got ${p.maxDepth})`);
  }
  if (!Number.isInteger(p.minSamplesLeaf) || p.minSamplesLeaf < 1) {
    problems.push(`minSamplesLeaf must be an integer >= 1 (got ${p.minSamplesLeaf})`);
  }
  if (!Number.isInteger(p.minSamplesSplit) || p.minSamplesSplit < 2) {
    problems.push(`minSamplesSplit must be an integer >= 2 (got ${p.minSamplesSplit})`);
  }
  if (!(p.minImpurityDecrease >= 0) || !Number.isFinite(p.minImpurityDecrease)) {
    problems.push(`minImpurityDecrease must be a finite number >= 0 (got ${p.minImpurityDecrease})`);
  }
  if (problems.length > 0) throw new UsageError(`invalid CART params: ${problems.join('; ')}`);
  return p;
}

/** Check the matrix shape and that every present value is finite (NaN means missing; ±Infinity is refused). */
export function checkMatrix(X: DenseMatrix): void {
  const { nRows, nCols, values, featureNames } = X;
  const problems: string[] = [];
  if (values.length !== nRows * nCols) {
    problems.push(`values has ${values.length} entries, expected nRows*nCols = ${nRows * nCols}`);
  }
  if (featureNames.length !== nCols) problems.push(`${featureNames.length} feature names for ${nCols} columns`);
  if (problems.length === 0) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === Infinity || v === -Infinity) {
        problems.push(`infinite value in column "${featureNames[i % nCols]}" at row ${Math.floor(i / nCols)}`);
        break;
      }
    }
  }
  if (problems.length > 0) throw new UsageError(`invalid feature matrix: ${problems.join('; ')}`);
}

/** Check the target length/finiteness and the weights; returns the weights (all ones when absent). */
export function checkTargetAndWeights(
  nRows: number,
  target: Float64Array | Int32Array,
  sampleWeight: Float64Array | undefined,
): Float64Array {
  const problems: string[] = [];
  if (nRows < 1) problems.push('the matrix has no rows');
  if (target.length !== nRows) problems.push(`target has ${target.length} entries for ${nRows} rows`);
  for (let i = 0; i < target.length; i++) {
    if (!Number.isFinite(target[i]!)) {
      problems.push(`target is not finite at row ${i}`);
      break;
    }
  }
  let w: Float64Array;
  if (sampleWeight === undefined) {
    w = new Float64Array(nRows).fill(1);
  } else {
    w = sampleWeight;
    if (w.length !== nRows) problems.push(`sampleWeight has ${w.length} entries for ${nRows} rows`);
    let total = 0;
    for (let i = 0; i < w.length; i++) {
      const wi = w[i]!;
      if (!(wi >= 0) || !Number.isFinite(wi)) {
        problems.push(`sampleWeight must be finite and >= 0 (row ${i}: ${wi})`);
        break;
      }
      total += wi;
    }
    if (!(total > 0)) problems.push('sampleWeight sums to 0');
  }
  if (problems.length > 0) throw new UsageError(`invalid CART input: ${problems.join('; ')}`);
  return w;
}
