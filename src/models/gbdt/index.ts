/**
 * Gradient-boosted trees with xgboost `hist` semantics for binary:logistic, and the XGBoost 1.7 JSON
 * model format. The functional estimator contract: trainBooster(X, y, params, ctx) → model data,
 * predictBooster(model, X) → scores, toXgboostJson / fromXgboostJson for the file.
 *
 * @example
 *   const { model } = trainBooster(X, y, { max_depth: 4 }, { rng: createRng(42) });
 *   const p = predictBooster(model, X);
 *   const text = toXgboostJson(model, { featureSet: 'original' });
 */
export { DEFAULTS, resolveParams, type BoosterParams } from './params.js';
export { checkMatrix, selectColumns, type FeatureMatrix } from './matrix.js';
export { trainBooster, type TrainContext, type TrainResult, type RoundInfo } from './booster.js';
export { predictBooster, type BoosterModel, type BinaryObjective } from './model.js';
export { featureImportance, IMPORTANCE_TYPES, type ImportanceType } from './importance.js';
export { toXgboostJson, XGBOOST_FORMAT_VERSION } from './xgboost-json-write.js';
export { fromXgboostJson, type ReadModel } from './xgboost-json-read.js';
export { countLeaves, SPLIT_RULE, type SplitRule, type Tree } from './tree.js';
