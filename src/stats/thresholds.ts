import { UsageError } from '../errors.js';
import { binaryInput } from './binary-labels.js';
import { curveOf, type BinaryCurve } from './roc.js';

/** Confusion matrix and the rates derived from it; a rate whose denominator is 0 is reported as 0 (scikit-learn). */
export interface Confusion {
  threshold: number;
  tp: number; fp: number; tn: number; fn: number;
  precision: number; recall: number; f1: number; specificity: number; accuracy: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function confusionFromCounts(threshold: number, tp: number, fp: number, positives: number, negatives: number): Confusion {
  const fn = positives - tp, tn = negatives - fp;
  return {
    threshold, tp, fp, tn, fn,
    precision: ratio(tp, tp + fp), recall: ratio(tp, positives), f1: ratio(2 * tp, 2 * tp + fp + fn),
    specificity: ratio(tn, negatives), accuracy: (tp + tn) / (positives + negatives),
  };
}

/**
 * Confusion matrix when a sample is predicted positive iff p ≥ threshold.
 * @example confusionAt([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6], 0.5).precision; // 0.5
 */
export function confusionAt(y: ArrayLike<number | boolean>, p: ArrayLike<number>, threshold: number): Confusion {
  const { labels, scores, positives, negatives } = binaryInput(y, p, 'confusionAt', false);
  let tp = 0, fp = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! >= threshold) {
      if (labels[i]) tp++;
      else fp++;
    }
  }
  return confusionFromCounts(threshold, tp, fp, positives, negatives);
}

/** Best point of the curve by `value` (the first, i.e. highest threshold, among equals). */
function bestPoint(c: BinaryCurve, value: (k: number) => number): Confusion {
  let best = 0, bestValue = -Infinity;
  for (let k = 0; k < c.thresholds.length; k++) {
    const v = value(k);
    if (v > bestValue) { best = k; bestValue = v; }
  }
  return confusionFromCounts(c.thresholds[best]!, c.tps[best]!, c.fps[best]!, c.positives, c.negatives);
}

/**
 * Threshold maximising Youden's J = sensitivity + specificity − 1 = TPR − FPR over the distinct scores.
 * @example youdenThreshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).threshold; // 0.8
 */
export function youdenThreshold(y: ArrayLike<number | boolean>, p: ArrayLike<number>): Confusion & { j: number } {
  const c = curveOf(binaryInput(y, p, 'youdenThreshold', true));
  const best = bestPoint(c, (k) => c.tps[k]! / c.positives - c.fps[k]! / c.negatives);
  return { ...best, j: best.recall - (1 - best.specificity) };
}

/**
 * Threshold maximising F1 = 2·TP/(2·TP + FP + FN) over the distinct scores.
 * @example f1Threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).f1; // 0.8
 */
export function f1Threshold(y: ArrayLike<number | boolean>, p: ArrayLike<number>): Confusion {
  const c = curveOf(binaryInput(y, p, 'f1Threshold', true));
  return bestPoint(c, (k) => (2 * c.tps[k]!) / (c.tps[k]! + c.positives + c.fps[k]!));
}

/**
 * Highest precision among thresholds whose recall is at least `recall` (the study's "precision at 80% recall"):
 * the maximum of precision[recall ≥ target] on scikit-learn's precision–recall curve.
 * @example precisionAtRecall([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.8).precision; // 0.6666666666666666
 */
export function precisionAtRecall(y: ArrayLike<number | boolean>, p: ArrayLike<number>, recall = 0.8): Confusion {
  if (!(recall > 0 && recall <= 1)) throw new UsageError(`target recall must lie in (0, 1], got ${recall}`);
  const c = curveOf(binaryInput(y, p, 'precisionAtRecall', true));
  return bestPoint(c, (k) => (c.tps[k]! / c.positives >= recall ? c.tps[k]! / (c.tps[k]! + c.fps[k]!) : -Infinity));
}
