/**
 * Data shapes of the CART learner: the dense input matrix, the parameters with their one DEFAULTS
 * object, and the fitted tree as parallel typed arrays (scikit-learn's `tree_` layout, preorder ids).
 */

import type { FeatureMatrix } from '../gbdt/matrix.js';

/**
 * The learners' one feature matrix (src/models/gbdt/matrix.ts: row-major `values[row * nCols + col]`, NaN
 * marks a missing value), under the name the CART API has always used.
 */
export type DenseMatrix = FeatureMatrix;

/** Growth limits, named and defaulted as scikit-learn's DecisionTree* (max_depth=None → Infinity). */
export interface CartParams {
  maxDepth: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  /** A split must reduce the weighted impurity by this much, as a fraction of the root weight. */
  minImpurityDecrease: number;
}

export const CART_DEFAULTS: Readonly<CartParams> = {
  maxDepth: Infinity,
  minSamplesLeaf: 1,
  minSamplesSplit: 2,
  minImpurityDecrease: 0,
};

/** The routing rule, stated in the model itself: `x <= threshold` goes left; NaN follows `defaultLeft`. */
export const CART_COMPARISON = 'x <= threshold goes left; missing (NaN) goes left iff defaultLeft' as const;

/** Optional fitting context: the seeded RNG that orders features (tie-breaking) and sample weights. */
export interface CartContext {
  rng?: { int(n: number): number };
  sampleWeight?: Float64Array;
}

/**
 * A fitted tree. Node 0 is the root; ids are in depth-first preorder (left subtree before right),
 * as scikit-learn's DepthFirstTreeBuilder numbers them. A leaf has `left[i] === -1`, `feature[i] === -1`
 * and `threshold[i]` NaN.
 */
export interface CartTree {
  kind: 'regression' | 'classification';
  comparison: typeof CART_COMPARISON;
  criterion: 'squared_error' | 'gini';
  params: CartParams;
  featureNames: string[];
  /** 0 for regression. */
  nClasses: number;
  nodeCount: number;
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** 1 when missing values go left at this split. */
  defaultLeft: Uint8Array;
  /** Regression: weighted mean of y. Classification: the predicted class (first argmax of the counts). */
  value: Float64Array;
  /** Classification only: `classProba[node * nClasses + k]`, weighted class shares; empty for regression. */
  classProba: Float64Array;
  nSamples: Int32Array;
  weightedSamples: Float64Array;
  /** Squared error (weighted variance) or Gini impurity of the node. */
  impurity: Float64Array;
}
