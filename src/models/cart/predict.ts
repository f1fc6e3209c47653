/**
 * Prediction as a tight loop over the parallel arrays: at node i go left when
 * x <= threshold[i], or when x is missing (NaN) and defaultLeft[i] is 1.
 */
import { UsageError } from '../../errors.js';
import type { CartTree, DenseMatrix } from './types.js';

function checkWidth(tree: CartTree, X: DenseMatrix): void {
  if (X.nCols !== tree.featureNames.length) {
    throw new UsageError(`the tree expects ${tree.featureNames.length} features, the matrix has ${X.nCols}`);
  }
  if (X.values.length !== X.nRows * X.nCols) {
    throw new UsageError(`values has ${X.values.length} entries, expected nRows*nCols = ${X.nRows * X.nCols}`);
  }
}

/**
 * Leaf id reached by every row.
 * @example const leaves = applyTree(tree, X); // Int32Array of node ids
 */
export function applyTree(tree: CartTree, X: DenseMatrix): Int32Array {
  checkWidth(tree, X);
  const { left, right, feature, threshold, defaultLeft } = tree;
  const { nRows, nCols, values } = X;
  const out = new Int32Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const base = r * nCols;
    let node = 0;
    while (left[node]! !== -1) {
      const x = values[base + feature[node]!]!;
      node = x <= threshold[node]! || (x !== x && defaultLeft[node] === 1) ? left[node]! : right[node]!;
    }
    out[r] = node;
  }
  return out;
}

/**
 * Predicted value per row: the leaf mean (regression) or the predicted class index (classification).
 * @example const yHat = predictTree(tree, X);
 */
export function predictTree(tree: CartTree, X: DenseMatrix): Float64Array {
  return leafValues(tree, applyTree(tree, X));
}

/**
 * predictTree from the leaves applyTree already found (the same values, without walking the tree again).
 * @example const leaves = applyTree(tree, X); const yHat = leafValues(tree, leaves);
 */
export function leafValues(tree: CartTree, leaves: Int32Array): Float64Array {
  const out = new Float64Array(leaves.length);
  for (let r = 0; r < leaves.length; r++) out[r] = tree.value[leaves[r]!]!;
  return out;
}

/**
 * Class shares of the reached leaf, row-major `[row * nClasses + k]` (classification trees only).
 * @example const proba = predictProba(tree, X); proba[r * tree.nClasses + 1];
 */
export function predictProba(tree: CartTree, X: DenseMatrix): Float64Array {
  if (tree.kind !== 'classification') throw new UsageError('predictProba needs a classification tree');
  const K = tree.nClasses;
  const leaves = applyTree(tree, X);
  const out = new Float64Array(leaves.length * K);
  for (let r = 0; r < leaves.length; r++) {
    out.set(tree.classProba.subarray(leaves[r]! * K, leaves[r]! * K + K), r * K);
  }
  return out;
}
