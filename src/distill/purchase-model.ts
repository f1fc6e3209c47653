/**
 * p_purchase for the teacher when no --purchase-model is given: a second booster fitted on `purchased`
 * (seeded, xgboost defaults of docs/classifier.md but scale_pos_weight 1, so its outputs stay probabilities). The
 * columns that define the label (`purchases`; `conversion_rate` = purchases / item_views) are left out:
 * with them the booster would return the label itself.
 */
import { UsageError } from '../errors.js';
import { dataFingerprint, type DataFingerprint } from '../models/dataset/fingerprint.js';
import { takeLabels, takeRows } from '../models/dataset/take-rows.js';
import { trainBooster } from '../models/gbdt/booster.js';
import { selectColumns, type FeatureMatrix } from '../models/gbdt/matrix.js';
import { predictBooster, type BoosterModel } from '../models/gbdt/model.js';
import type { Rng } from '../stats/rng.js';

import { PURCHASE_OUTCOME_COLUMNS } from './purchase-outcome.js';

export { PURCHASE_OUTCOME_COLUMNS };
/** Parameters of the purchase booster that differ from the gbdt DEFAULTS. */
export const PURCHASE_BOOSTER_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({ scale_pos_weight: 1 });

export interface PurchaseFit {
  model: BoosterModel;
  params: Record<string, unknown>;
  features: string[];
  excluded: string[];
  trainingRows: number;
  positives: number;
  fingerprint: DataFingerprint;
  /** p_purchase for every row of X */
  pPurchase: Float64Array;
}

/**
 * Fit the purchase booster on the labelled rows of X and score every row.
 * @param purchased −1 (unknown) / 0 / 1 per row
 * @example const fit = fitPurchaseModel(X, binaryLabel(table, 'purchased'), rng); fit.pPurchase
 */
export function fitPurchaseModel(X: FeatureMatrix, purchased: Int8Array, rng: Rng): PurchaseFit {
  const excluded = X.featureNames.filter((n) => PURCHASE_OUTCOME_COLUMNS.includes(n));
  const features = X.featureNames.filter((n) => !PURCHASE_OUTCOME_COLUMNS.includes(n));
  if (features.length === 0) throw new UsageError('no features left for the purchase model after removing the purchase outcome columns');
  const Xp = excluded.length > 0 ? selectColumns(X, features) : X;
  const labelled = Int32Array.from({ length: X.nRows }, (_, i) => i).filter((i) => purchased[i]! >= 0);
  const Xfit = labelled.length === X.nRows ? Xp : takeRows(Xp, labelled);
  const y = takeLabels(purchased, labelled);
  const fit = trainBooster(Xfit, y, PURCHASE_BOOSTER_PARAMS, { rng });
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i]!;
  return {
    model: fit.model, params: { ...fit.params }, features, excluded, trainingRows: y.length, positives,
    fingerprint: dataFingerprint(Xfit, y), pPurchase: predictBooster(fit.model, Xp),
  };
}
