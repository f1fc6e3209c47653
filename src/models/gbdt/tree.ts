/**
 * A regression tree as parallel typed arrays indexed by node id (xgboost's RegTree layout): no node
 * objects, prediction is a tight loop. Children are allocated as consecutive pairs (right = left + 1),
 * which xgboost 1.7's CPU predictor assumes.
 */

/** The split rule, explicit in the type: go left when float32(x) < threshold; NaN follows defaultLeft. */
export type SplitRule = 'float32 x < threshold';
export const SPLIT_RULE: SplitRule = 'float32 x < threshold';

export interface Tree {
  /** Left child id, −1 for a leaf. */
  left: Int32Array;
  /** Right child id (= left + 1 in trees phantom grows), −1 for a leaf. */
  right: Int32Array;
  /** Parent id; the root's is 2147483647 as in xgboost's files. */
  parent: Int32Array;
  /** Split feature (0 for leaves). */
  feature: Int32Array;
  /** Split threshold (0 for leaves). */
  threshold: Float32Array;
  /** Leaf output, already multiplied by eta (0 for internal nodes). */
  value: Float32Array;
  /** 1 when missing values go left. */
  defaultLeft: Uint8Array;
  /** xgboost's base_weights: the node's weight (eta-scaled for leaves made by a split, as xgboost stores it). */
  baseWeight: Float32Array;
  /** Loss reduction of the split (0 for leaves). */
  lossChange: Float32Array;
  /** Sum of hessians of the training rows reaching the node (the "cover"). */
  sumHessian: Float32Array;
}

export const ROOT_PARENT = 2147483647;

/** A tree of `n` nodes, all zero (callers fill every array). */
export function allocTree(n: number): Tree {
  return {
    left: new Int32Array(n), right: new Int32Array(n), parent: new Int32Array(n), feature: new Int32Array(n),
    threshold: new Float32Array(n), value: new Float32Array(n), defaultLeft: new Uint8Array(n),
    baseWeight: new Float32Array(n), lossChange: new Float32Array(n), sumHessian: new Float32Array(n),
  };
}

/** The first `n` nodes of a tree as a new, compact tree. */
export function truncateTree(t: Tree, n: number): Tree {
  return {
    left: t.left.slice(0, n), right: t.right.slice(0, n), parent: t.parent.slice(0, n), feature: t.feature.slice(0, n),
    threshold: t.threshold.slice(0, n), value: t.value.slice(0, n), defaultLeft: t.defaultLeft.slice(0, n),
    baseWeight: t.baseWeight.slice(0, n), lossChange: t.lossChange.slice(0, n), sumHessian: t.sumHessian.slice(0, n),
  };
}

/**
 * Add one tree's output to float32 margins (xgboost accumulates predictions in float32).
 * `values` are row-major float32 features.
 * @example addTreeToMargins(tree, x32, nRows, nCols, margins)
 */
export function addTreeToMargins(t: Tree, values: Float32Array, nRows: number, nCols: number, margins: Float32Array): void {
  const { left, right, feature, threshold, value, defaultLeft } = t;
  for (let r = 0, base = 0; r < nRows; r++, base += nCols) {
    let node = 0;
    while (left[node] !== -1) {
      const x = values[base + feature[node]!]!;
      node = x !== x ? (defaultLeft[node] === 1 ? left[node]! : right[node]!) : x < threshold[node]! ? left[node]! : right[node]!;
    }
    margins[r]! += value[node]!;
  }
}

/** xgboost marks nodes freed by its prune updater with split index 2³¹−1 and default-left set. */
export const DELETED_SPLIT_INDEX = 2147483647;

/** True for a node xgboost deleted (unreachable; kept only so ids stay stable). */
export function isDeletedNode(t: Tree, i: number): boolean {
  return t.left[i] === -1 && t.feature[i] === DELETED_SPLIT_INDEX && t.defaultLeft[i] === 1;
}

/** Number of live leaves of a tree. */
export function countLeaves(t: Tree): number {
  let n = 0;
  for (let i = 0; i < t.left.length; i++) if (t.left[i] === -1 && !isDeletedNode(t, i)) n++;
  return n;
}
