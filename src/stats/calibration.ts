import { UsageError } from '../errors.js';
import { binaryInput, checkProbabilities } from './binary-labels.js';

/**
 * Brier score: mean squared difference between predicted probability and the 0/1 outcome
 * (sklearn.metrics.brier_score_loss). Lower is better; 0.25 is the score of always predicting ½.
 * @example brierScore([0, 1], [0.2, 0.6]); // ≈ 0.1
 */
export function brierScore(y: ArrayLike<number | boolean>, p: ArrayLike<number>): number {
  const { labels, scores } = binaryInput(y, p, 'brierScore', false);
  checkProbabilities(scores, 'brierScore');
  let s = 0;
  for (let i = 0; i < scores.length; i++) s += (labels[i]! - scores[i]!) ** 2;
  return s / scores.length;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability in the bin (NaN when empty). */
  meanPredicted: number;
  /** Observed fraction of positives in the bin (NaN when empty). */
  fractionPositive: number;
}

export interface CalibrationTable {
  bins: CalibrationBin[];
  /** Expected calibration error Σ (count/n)·|fractionPositive − meanPredicted| over non-empty bins. */
  ece: number;
}

/**
 * Reliability table over `bins` equal-width bins of [0, 1], binned exactly like
 * sklearn.calibration.calibration_curve(strategy='uniform'): edges i/bins as numpy.linspace computes them, a
 * probability equal to an inner edge falls in the lower bin. Non-empty bins reproduce (prob_pred, prob_true).
 * @example calibrationTable([0, 1, 1], [0.1, 0.7, 0.9], 2).bins[1].fractionPositive; // 1
 */
export function calibrationTable(y: ArrayLike<number | boolean>, p: ArrayLike<number>, bins = 10): CalibrationTable {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new UsageError(`calibration bins must be a positive integer, got ${bins}`);
  const { labels, scores } = binaryInput(y, p, 'calibrationTable', false);
  checkProbabilities(scores, 'calibrationTable');
  const step = 1 / bins;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = i * step;
  edges[bins] = 1;
  const count = new Float64Array(bins), sumP = new Float64Array(bins), sumY = new Float64Array(bins);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    // numpy.searchsorted(edges[1:-1], v, side='left'): the number of inner edges strictly below v.
    let lo = 0, hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid + 1]! < v) lo = mid + 1;
      else hi = mid;
    }
    count[lo]!++;
    sumP[lo]! += v;
    sumY[lo]! += labels[i]!;
  }
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b]!;
    const meanPredicted = c ? sumP[b]! / c : NaN, fractionPositive = c ? sumY[b]! / c : NaN;
    if (c) ece += (c / scores.length) * Math.abs(fractionPositive - meanPredicted);
    out.push({ lower: edges[b]!, upper: edges[b + 1]!, count: c, meanPredicted, fractionPositive });
  }
  return { bins: out, ece };
}
