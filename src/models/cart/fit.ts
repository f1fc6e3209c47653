/**
 * Public fitting functions: regression trees (squared error) and classification trees (Gini), the
 * scikit-learn estimator contract restated as data in → data out.
 */
import { UsageError } from '../../errors.js';
import { giniCriterion } from './criterion-gini.js';
import { squaredErrorCriterion } from './criterion-squared-error.js';
import { growTree } from './grow.js';
import { checkMatrix, checkTargetAndWeights, resolveCartParams } from './resolve-inputs.js';
import { CART_COMPARISON, type CartContext, type CartParams, type CartTree, type DenseMatrix } from './types.js';

/**
 * Fit a CART regression tree minimising squared error (scikit-learn's DecisionTreeRegressor).
 * @param X dense row-major features, NaN = missing
 * @param y target per row
 * @param params growth limits; unset ones come from CART_DEFAULTS
 * @param ctx seeded RNG for the feature scan order (tie-breaking) and optional sample weights
 * @example const tree = fitRegressionTree(X, y, { maxDepth: 5, minSamplesLeaf: 50 }, { rng: createRng(42) });
 */
export function fitRegressionTree(X: DenseMatrix, y: Float64Array, params: Partial<CartParams> = {},
  ctx: CartContext = {}): CartTree {
  const resolved = resolveCartParams(params);
  checkMatrix(X);
  const w = checkTargetAndWeights(X.nRows, y, ctx.sampleWeight);
  const nodes = growTree(X, squaredErrorCriterion(y, w), resolved, 0, ctx.rng);
  return {
    kind: 'regression', comparison: CART_COMPARISON, criterion: 'squared_error', params: resolved,
    featureNames: [...X.featureNames], nClasses: 0, ...nodes,
  };
}

/**
 * Fit a CART classification tree with the Gini criterion (scikit-learn's DecisionTreeClassifier).
 * `value` of a node is its predicted class (first argmax of weighted counts); `classProba` the shares.
 * @param yClass class index per row, 0..nClasses−1
 * @param nClasses defaults to max(yClass) + 1
 * @example const tree = fitClassificationTree(X, tiers, { maxDepth: 4 }, { rng: createRng(1) });
 */
export function fitClassificationTree(X: DenseMatrix, yClass: Int32Array, params: Partial<CartParams> = {},
  ctx: CartContext = {}, nClasses?: number): CartTree {
  const resolved = resolveCartParams(params);
  checkMatrix(X);
  const w = checkTargetAndWeights(X.nRows, yClass, ctx.sampleWeight);
  let maxClass = 0;
  for (let i = 0; i < yClass.length; i++) {
    if (yClass[i]! < 0) throw new UsageError(`class labels must be >= 0 (row ${i}: ${yClass[i]})`);
    if (yClass[i]! > maxClass) maxClass = yClass[i]!;
  }
  const K = nClasses ?? maxClass + 1;
  if (!Number.isInteger(K) || K <= maxClass) {
    throw new UsageError(`nClasses ${K} does not cover the largest class label ${maxClass}`);
  }
  const nodes = growTree(X, giniCriterion(yClass, w, K), resolved, K, ctx.rng);
  return {
    kind: 'classification', comparison: CART_COMPARISON, criterion: 'gini', params: resolved,
    featureNames: [...X.featureNames], nClasses: K, ...nodes,
  };
}
