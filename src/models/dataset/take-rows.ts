/**
 * Row subsets of a dense matrix (folds, splits, rows with a label), copied into a new matrix.
 */
import type { FeatureMatrix } from '../gbdt/matrix.js';

/**
 * The rows `rows` of X, in that order.
 * @example const Xtest = takeRows(X, fold.test);
 */
export function takeRows(X: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const k = X.nCols;
  const values = new Float64Array(rows.length * k);
  for (let i = 0; i < rows.length; i++) values.set(X.values.subarray(rows[i]! * k, rows[i]! * k + k), i * k);
  return { nRows: rows.length, nCols: k, values, featureNames: X.featureNames };
}

/**
 * The entries `rows` of a label array.
 * @example const ytest = takeLabels(y, fold.test);
 */
export function takeLabels(y: ArrayLike<number>, rows: ArrayLike<number>): Uint8Array {
  return Uint8Array.from(rows, (r) => y[r]!);
}
