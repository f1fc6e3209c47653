/**
 * CART decision trees (docs/distill.md): regression (squared error) and classification (Gini), grown by a
 * sorted sweep per feature per node, matching scikit-learn's DecisionTree* on tie-free data.
 *
 * Rules, stated once:
 * - Routing: `x <= threshold` goes left (as scikit-learn); thresholds are midpoints a/2 + b/2 of
 *   consecutive distinct values of the node's rows. Values are compared exactly (scikit-learn treats
 *   values within 1e-7 as equal and casts X to float32; phantom keeps float64).
 * - Missing values (NaN in X): at each candidate threshold the node's missing rows are tried on the
 *   left and on the right and the better side is learned (`defaultLeft`); on equal gain they go right.
 *   If the node had no missing values for the chosen feature, NaN follows the child with more training
 *   rows (equal: left). A "missing vs present" split on its own is not considered.
 * - Ties: features are scanned in a permutation drawn per node from `ctx.rng` (in index order without
 *   one), and a split replaces the best only if its gain is larger by more than 1e-12 × the node's
 *   scale (weighted sum of squares; weight for Gini); so exact ties go to the earlier feature in that
 *   order, then to the lower
 *   threshold — deterministic for a seed. scikit-learn breaks such ties by its own RNG stream, which
 *   phantom does not reproduce; goldens use data free of gain ties.
 */
export { fitClassificationTree, fitRegressionTree } from './fit.js';
export { applyTree, leafValues, predictProba, predictTree } from './predict.js';
export { exportRules, leafAuxMeans, type AuxColumn, type CartRule, type RuleCondition } from './export-rules.js';
export { exportText, formatNumber, type ExportTextOptions } from './export-text.js';
export { parseRulesText, type ParsedCondition, type ParsedRule } from './parse-rules-text.js';
export { CART_JSON_FORMAT, treeFromJson, treeToJson, type CartTreeJson } from './serialize.js';
export { resolveCartParams } from './resolve-inputs.js';
export {
  CART_COMPARISON, CART_DEFAULTS, type CartContext, type CartParams, type CartTree, type DenseMatrix,
} from './types.js';
