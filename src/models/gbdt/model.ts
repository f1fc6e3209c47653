/**
 * The booster as plain data, and prediction from it. A model trained here and one read from an
 * xgboost 1.7 JSON file have the same shape; predictions follow xgboost's float32 accumulation.
 */
import { UsageError } from '../../errors.js';
import { baseMargin, sigmoid32 } from './logistic.js';
import { checkMatrix, toFloat32Values, type FeatureMatrix } from './matrix.js';
import { flattenForest } from './predict-flat.js';
import { predictForestShared } from './predict-threads.js';
import { addTreeToMargins, type SplitRule, type Tree } from './tree.js';

/** Objectives whose models phantom can score: probabilities for the logistic ones, margins for logitraw. */
export type BinaryObjective = 'binary:logistic' | 'reg:logistic' | 'binary:logitraw';

export interface BoosterModel {
  objective: BinaryObjective;
  /** Global bias as a probability (margin = logit(baseScore); for logitraw the margin itself). */
  baseScore: number;
  /** The objective's scale_pos_weight as recorded in the file (training detail, not used to predict). */
  scalePosWeight: number;
  numFeature: number;
  featureNames: string[];
  /** xgboost feature types ('float', 'int', 'q', …); may be empty. */
  featureTypes: string[];
  trees: Tree[];
  splitRule: SplitRule;
  /** learner.attributes other than phantom's metadata, e.g. best_iteration (string → string, as in xgboost). */
  attributes: Record<string, string>;
}

/** From this many rows on, predictBooster walks flattened trees (predict-flat.ts). */
const FLAT_MIN_ROWS = 64;

/** Margin every row starts from, in float32. */
export function modelBaseMargin(model: BoosterModel): number {
  return model.objective === 'binary:logitraw' ? Math.fround(model.baseScore) : baseMargin(model.baseScore);
}

/**
 * Score rows: probabilities of class 1 (or raw margins with `outputMargin`), equal to
 * xgboost.Booster.predict to float32 precision. Missing (NaN) values follow each split's default direction.
 * X must have the model's features in the model's order (see selectColumns).
 * @example const p = predictBooster(model, X); // Float64Array of probabilities
 */
export function predictBooster(model: BoosterModel, X: FeatureMatrix, opts: { outputMargin?: boolean } = {}): Float64Array {
  checkMatrix(X, 'prediction matrix');
  if (X.nCols !== model.numFeature) {
    throw new UsageError(`the model expects ${model.numFeature} features, the data has ${X.nCols}`);
  }
  if (model.featureNames.length > 0) {
    const bad = model.featureNames.findIndex((n, i) => X.featureNames[i] !== n);
    if (bad >= 0) {
      throw new UsageError(`feature ${bad} is '${X.featureNames[bad]}' but the model expects '${model.featureNames[bad]}'; reorder with selectColumns(X, model.featureNames)`);
    }
  }
  const x32 = toFloat32Values(X, false);
  const margins = new Float32Array(X.nRows).fill(modelBaseMargin(model));
  // a few rows (serve scores one) are not worth flattening the forest for; both paths give the same bits
  if (X.nRows < FLAT_MIN_ROWS) for (const tree of model.trees) addTreeToMargins(tree, x32, X.nRows, X.nCols, margins);
  else predictForestShared(flattenForest(model.trees), x32, X.nRows, X.nCols, margins); // two threads for large batches
  const out = new Float64Array(X.nRows);
  const raw = opts.outputMargin === true || model.objective === 'binary:logitraw';
  for (let i = 0; i < out.length; i++) out[i] = raw ? margins[i]! : sigmoid32(margins[i]!);
  return out;
}
