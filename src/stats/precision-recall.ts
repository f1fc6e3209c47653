import { DataError } from '../errors.js';
import { binaryInput } from './binary-labels.js';
import { curveOf } from './roc.js';

export interface PrecisionRecallCurve {
  /** Ordered by increasing threshold, then the final point precision 1 (recall 0), as scikit-learn returns it. */
  precision: Float64Array;
  recall: Float64Array;
  /** Increasing distinct scores; one fewer than precision/recall. */
  thresholds: Float64Array;
}

/**
 * Precision–recall pairs at every distinct score, identical to sklearn.metrics.precision_recall_curve in
 * scikit-learn 1.2 (no dropping of points; precision is 0 where nothing is predicted positive).
 * Throws DataError when there is no positive label.
 * @example precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).precision; // [0.5, 0.667, 0.5, 1, 1]
 */
export function precisionRecallCurve(y: ArrayLike<number | boolean>, score: ArrayLike<number>): PrecisionRecallCurve {
  const input = binaryInput(y, score, 'precisionRecallCurve', false);
  if (input.positives === 0) throw new DataError('precisionRecallCurve: no positive label; recall is undefined');
  const c = curveOf(input);
  const m = c.thresholds.length;
  const precision = new Float64Array(m + 1), recall = new Float64Array(m + 1), thresholds = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const r = m - 1 - k; // reverse: scikit-learn lists increasing thresholds
    const predicted = c.tps[r]! + c.fps[r]!;
    precision[k] = predicted === 0 ? 0 : c.tps[r]! / predicted;
    recall[k] = c.tps[r]! / c.positives;
    thresholds[k] = c.thresholds[r]!;
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds };
}

/**
 * Average precision AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over decreasing thresholds (the step-function integral, no
 * interpolation), equal to sklearn.metrics.average_precision_score. Throws DataError without positives.
 * @example averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333333333333333
 */
export function averagePrecision(y: ArrayLike<number | boolean>, score: ArrayLike<number>): number {
  const input = binaryInput(y, score, 'averagePrecision', false);
  if (input.positives === 0) throw new DataError('averagePrecision: no positive label; it is undefined');
  const c = curveOf(input);
  let ap = 0, prevTp = 0;
  for (let k = 0; k < c.thresholds.length; k++) {
    const tp = c.tps[k]!;
    if (tp !== prevTp) ap += ((tp - prevTp) / c.positives) * (tp / (tp + c.fps[k]!));
    prevTp = tp;
  }
  return ap;
}
