/**
 * A CART regression tree fitted under a leaf cap (criterion-capped-squared-error.ts): rows flagged `capped`
 * may only reach leaves that predict at most `cap`. Same growth rules, routing and tree layout as
 * fitRegressionTree, so the result prints, serialises and predicts like any regression tree.
 */
import { UsageError } from '../../errors.js';
import { cappedSquaredErrorCriterion } from './criterion-capped-squared-error.js';
import { growTree } from './grow.js';
import { checkMatrix, checkTargetAndWeights, resolveCartParams } from './resolve-inputs.js';
import { CART_COMPARISON, type CartContext, type CartParams, type CartTree, type DenseMatrix } from './types.js';

/**
 * @param capped 1 for a row whose leaf may predict at most `cap`, else 0
 * @example const tree = fitCappedRegressionTree(X, markup, clearHuman, 1.02, { maxDepth: 5, minSamplesLeaf: 50 }, { rng });
 */
export function fitCappedRegressionTree(X: DenseMatrix, y: Float64Array, capped: Uint8Array, cap: number,
  params: Partial<CartParams> = {}, ctx: CartContext = {}): CartTree {
  const resolved = resolveCartParams(params);
  checkMatrix(X);
  const w = checkTargetAndWeights(X.nRows, y, ctx.sampleWeight);
  if (capped.length !== X.nRows) throw new UsageError(`capped has ${capped.length} entries for ${X.nRows} rows`);
  if (!Number.isFinite(cap)) throw new UsageError(`the leaf cap must be a finite number, got ${cap}`);
  const nodes = growTree(X, cappedSquaredErrorCriterion(y, w, capped, cap), resolved, 0, ctx.rng);
  return {
    kind: 'regression', comparison: CART_COMPARISON, criterion: 'squared_error', params: resolved,
    featureNames: [...X.featureNames], nClasses: 0, ...nodes,
  };
}
