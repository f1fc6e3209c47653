/**
 * The leakage audit: how well each feature alone separates the classes. Single-feature AUC with
 * missing values ranked lowest (so "missing exactly for agents" counts too), separation =
 * max(AUC, 1 − AUC). A feature at or above 0.98 on its own is almost surely a leak (in the original data
 * `is_headless` alone identified the agents) and is flagged.
 */
import { rocAuc } from '../../stats/roc.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';

/** Separation at or above which a single feature is flagged. */
export const LEAKAGE_THRESHOLD = 0.98;

export interface FeatureSeparation {
  feature: string;
  /** single-feature ROC AUC (higher values → positive class) */
  auc: number;
  /** max(auc, 1 − auc) */
  separation: number;
  /** share of rows where the feature is missing */
  missing: number;
  flagged: boolean;
}

export interface LeakageAudit {
  threshold: number;
  /** every feature, most separating first */
  features: FeatureSeparation[];
  flagged: string[];
}

/**
 * Audit every column of X against labels y.
 * @example leakageAudit(X, y).flagged; // ['is_headless']
 */
export function leakageAudit(X: FeatureMatrix, y: Uint8Array, threshold = LEAKAGE_THRESHOLD): LeakageAudit {
  const { nRows, nCols } = X;
  const col = new Float64Array(nRows);
  const features: FeatureSeparation[] = [];
  for (let j = 0; j < nCols; j++) {
    let min = Infinity, missing = 0;
    for (let r = 0; r < nRows; r++) {
      const v = X.values[r * nCols + j]!;
      col[r] = v;
      if (v !== v) missing++;
      else if (v < min) min = v;
    }
    // missing ranks below every value; ±Infinity are clamped so ranks stay finite
    const floor = Number.isFinite(min) ? min - 1 : 0;
    for (let r = 0; r < nRows; r++) {
      const v = col[r]!;
      col[r] = v !== v ? floor : v === Infinity ? Number.MAX_VALUE : v === -Infinity ? -Number.MAX_VALUE : v;
    }
    const auc = rocAuc(y, col);
    const separation = Math.max(auc, 1 - auc);
    features.push({ feature: X.featureNames[j]!, auc, separation, missing: missing / nRows, flagged: separation >= threshold });
  }
  features.sort((a, b) => b.separation - a.separation);
  return { threshold, features, flagged: features.filter((f) => f.flagged).map((f) => f.feature) };
}
