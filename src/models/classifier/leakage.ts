/**
 * The leakage audit: how well each feature alone separates the classes. Single-feature AUC with
 * missing values ranked lowest (so "missing exactly for agents" counts too), separation =
 * max(AUC, 1 − AUC). A feature at or above 0.98 on its own is almost surely a leak (in the original data
 * `is_headless` alone identified the agents) and is flagged.
 */
import { rocAuc } from '../../stats/roc.js';
import { sortFloat64 } from '../../stats/sort-float64.js';
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

/** Columns audited per pass over the row-major matrix (one pass fills this many column buffers). */
const BLOCK = 8;

/**
 * Audit every column of X against labels y.
 * @example leakageAudit(X, y).flagged; // ['is_headless']
 */
export function leakageAudit(X: FeatureMatrix, y: Uint8Array, threshold = LEAKAGE_THRESHOLD): LeakageAudit {
  const { nRows, nCols, values } = X;
  let positives = 0;
  for (let r = 0; r < nRows; r++) positives += y[r] ? 1 : 0;
  const features: FeatureSeparation[] = [];
  if (positives === 0 || positives === nRows) {
    rocAuc(y, new Float64Array(nRows)); // throws the DataError that names the missing class
  }
  // one buffer per column of a block: positives' values from the front, negatives' from positives on
  const cols = Array.from({ length: Math.min(BLOCK, nCols) }, () => new Float64Array(nRows));
  const min = new Float64Array(BLOCK), missing = new Int32Array(BLOCK);
  const scratch = new Uint32Array(2 * nRows);
  for (let j0 = 0; j0 < nCols; j0 += BLOCK) {
    const k = Math.min(BLOCK, nCols - j0);
    min.fill(Infinity); missing.fill(0);
    gatherBlock(values, nCols, j0, k, y, positives, cols, min, missing);
    for (let c = 0; c < k; c++) {
      const col = cols[c]!;
      // missing ranks below every value
      const floor = Number.isFinite(min[c]!) ? min[c]! - 1 : 0;
      if (missing[c]! > 0) fillMissing(col, floor);
      const auc = sortedAuc(sortFloat64(col.subarray(0, positives), scratch), sortFloat64(col.subarray(positives), scratch));
      const separation = Math.max(auc, 1 - auc);
      features.push({ feature: X.featureNames[j0 + c]!, auc, separation, missing: missing[c]! / nRows, flagged: separation >= threshold });
    }
  }
  features.sort((a, b) => b.separation - a.separation);
  return { threshold, features, flagged: features.filter((f) => f.flagged).map((f) => f.feature) };
}

/**
 * Columns j0 … j0 + k − 1 of the row-major `values` into cols[0 … k − 1] in one pass over the rows, positives'
 * values from the front and negatives' from `positives` on, each class in row order; ±Infinity are clamped so
 * ranks stay finite (missing values stay NaN until min is known). Counts each column's missing values into
 * missing[c] and its least value into min[c]. (A function of its own so V8 optimises the loop as a whole
 * function, not on stack replacement.)
 */
function gatherBlock(
  values: Float64Array, nCols: number, j0: number, k: number, y: Uint8Array, positives: number, cols: Float64Array[], min: Float64Array, missing: Int32Array,
): void {
  const nRows = cols[0]!.length;
  for (let r = 0, p = 0, q = positives, base = j0; r < nRows; r++, base += nCols) {
    const at = y[r] ? p++ : q++;
    for (let c = 0; c < k; c++) {
      const v = values[base + c]!;
      if (v !== v) missing[c]!++;
      else if (v < min[c]!) min[c] = v;
      cols[c]![at] = v === Infinity ? Number.MAX_VALUE : v === -Infinity ? -Number.MAX_VALUE : v;
    }
  }
}

/** Missing values (NaN) of `col` become `floor`. */
function fillMissing(col: Float64Array, floor: number): void {
  for (let i = 0; i < col.length; i++) if (col[i] !== col[i]) col[i] = floor;
}

/**
 * ROC AUC from each class's scores sorted ascending: Mann–Whitney U = Σ over positives of (negatives below
 * + ½ negatives tied), over n₊·n₋. U is a sum of halves, exact in float64, so this equals rocAuc's rank form
 * (R₊ − n₊(n₊+1)/2)/(n₊·n₋) bit for bit, without sorting row indices.
 */
function sortedAuc(pos: Float64Array, neg: Float64Array): number {
  let u = 0;
  for (let i = 0, j = 0; i < pos.length;) {
    const v = pos[i]!;
    let cp = 0;
    while (i < pos.length && pos[i] === v) { i++; cp++; }
    while (j < neg.length && neg[j]! < v) j++;
    let tied = 0;
    while (j + tied < neg.length && neg[j + tied] === v) tied++;
    u += cp * j + cp * tied * 0.5;
  }
  return u / (pos.length * neg.length);
}
