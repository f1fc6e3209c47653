import { argsort } from './argsort.js';
import { binaryInput, type BinaryInput } from './binary-labels.js';
import { rankdata } from './rankdata.js';

/**
 * Cumulative false/true positives at each distinct score, highest score first (scikit-learn's
 * _binary_clf_curve): a sample counts as predicted positive when score ≥ threshold.
 */
export interface BinaryCurve {
  thresholds: Float64Array;
  fps: Float64Array;
  tps: Float64Array;
  positives: number;
  negatives: number;
}

/**
 * The cumulative counts behind ROC and PR curves, one point per distinct score.
 * @example binaryCurve([0, 1, 1], [0.1, 0.8, 0.8]).tps; // Float64Array [2, 2]
 */
export function binaryCurve(y: ArrayLike<number | boolean>, score: ArrayLike<number>): BinaryCurve {
  return curveOf(binaryInput(y, score, 'binaryCurve', false));
}

/** binaryCurve over already validated input. */
export function curveOf({ labels, scores, positives, negatives }: BinaryInput): BinaryCurve {
  const n = scores.length;
  const order = argsort(scores);
  const thresholds: number[] = [], fps: number[] = [], tps: number[] = [];
  let tp = 0;
  for (let r = n - 1; r >= 0; r--) {
    const i = order[r]!;
    tp += labels[i]!;
    if (r === 0 || scores[order[r - 1]!] !== scores[i]) {
      thresholds.push(scores[i]!);
      tps.push(tp);
      fps.push(n - r - tp);
    }
  }
  return { thresholds: Float64Array.from(thresholds), fps: Float64Array.from(fps), tps: Float64Array.from(tps), positives, negatives };
}

/**
 * Area under the ROC curve, equal to sklearn.metrics.roc_auc_score (tied scores count ½), via ranks:
 * AUC = (R₊ − n₊(n₊+1)/2)/(n₊·n₋). Throws DataError when a class is missing.
 * @example rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 */
export function rocAuc(y: ArrayLike<number | boolean>, score: ArrayLike<number>): number {
  const { labels, scores, positives, negatives } = binaryInput(y, score, 'rocAuc', true);
  const ranks = rankdata(scores);
  let r = 0;
  for (let i = 0; i < ranks.length; i++) if (labels[i]) r += ranks[i]!;
  return (r - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** Decreasing; thresholds[0] = +Infinity is the added point (0, 0) where nothing is predicted positive. */
  thresholds: Float64Array;
}

/**
 * ROC curve as sklearn.metrics.roc_curve(drop_intermediate=True) computes it (collinear points dropped), except
 * that the first threshold is +Infinity (scikit-learn ≥ 1.3; 1.2 used max(score) + 1).
 * @example rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).tpr; // Float64Array [0, 0.5, 0.5, 1, 1]
 */
export function rocCurve(y: ArrayLike<number | boolean>, score: ArrayLike<number>, opts: { dropIntermediate?: boolean } = {}): RocCurve {
  const c = curveOf(binaryInput(y, score, 'rocCurve', true));
  const m = c.thresholds.length;
  const keep: number[] = [];
  for (let k = 0; k < m; k++) {
    // Keep the ends and every point where the curve bends (non-zero second difference of fps or tps).
    const bends = k === 0 || k === m - 1 || opts.dropIntermediate === false
      || c.fps[k - 1]! - 2 * c.fps[k]! + c.fps[k + 1]! !== 0 || c.tps[k - 1]! - 2 * c.tps[k]! + c.tps[k + 1]! !== 0;
    if (bends) keep.push(k);
  }
  const len = keep.length + 1;
  const fpr = new Float64Array(len), tpr = new Float64Array(len), thresholds = new Float64Array(len);
  thresholds[0] = Infinity;
  keep.forEach((k, i) => {
    fpr[i + 1] = c.fps[k]! / c.negatives;
    tpr[i + 1] = c.tps[k]! / c.positives;
    thresholds[i + 1] = c.thresholds[k]!;
  });
  return { fpr, tpr, thresholds };
}
