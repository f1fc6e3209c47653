/**
 * The evaluation of docs/classifier.md from labels and probabilities: ROC-AUC with a DeLong 95% CI, PR-AUC,
 * Brier score, the confusion matrix and rates at the chosen threshold, precision at 80% recall and a
 * 10-bin calibration table. Every number comes from src/stats (checked against scikit-learn there).
 */
import { UsageError } from '../../errors.js';
import { calibrationTable, brierScore, type CalibrationBin } from '../../stats/calibration.js';
import { delongAucCi } from '../../stats/delong.js';
import { averagePrecision } from '../../stats/precision-recall.js';
import { confusionAt, f1Threshold, precisionAtRecall, youdenThreshold } from '../../stats/thresholds.js';

/** How the decision threshold is chosen: a fixed probability, or the one maximising Youden's J or F1. */
export type ThresholdRule = 'youden' | 'f1' | number;

/** The study's target recall for "precision at 80% recall". */
export const TARGET_RECALL = 0.8;

export interface BinaryMetrics {
  n: number;
  positives: number;
  negatives: number;
  rocAuc: number;
  rocAucCi: { lower: number; upper: number; level: number; method: 'DeLong' };
  prAuc: number;
  brier: number;
  threshold: { rule: string; value: number };
  confusion: { tp: number; fp: number; tn: number; fn: number };
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  specificity: number;
  precisionAtRecall: { recall: number; precision: number; threshold: number };
  calibration: { bins: CalibrationBin[]; ece: number };
}

/**
 * Parse a --threshold value: 'youden', 'f1' or a probability in (0, 1).
 * @example parseThresholdRule('0.5'); // 0.5
 */
export function parseThresholdRule(s: string): ThresholdRule {
  if (s === 'youden' || s === 'f1') return s;
  const v = Number(s);
  if (s.trim() === '' || !(v > 0 && v < 1)) throw new UsageError(`--threshold must be youden, f1 or a probability in (0, 1), got "${s}"`);
  return v;
}

/**
 * The threshold a rule picks on (y, p); a row is predicted positive when p ≥ threshold.
 * @example chooseThreshold(y, p, 'youden').value;
 */
export function chooseThreshold(y: ArrayLike<number>, p: ArrayLike<number>, rule: ThresholdRule): { rule: string; value: number } {
  if (typeof rule === 'number') return { rule: String(rule), value: rule };
  return { rule, value: (rule === 'youden' ? youdenThreshold(y, p) : f1Threshold(y, p)).threshold };
}

/**
 * All metrics of docs/classifier.md for labels y (0/1) and probabilities p.
 * @example binaryMetrics(y, oof, 'f1').rocAucCi.lower;
 */
export function binaryMetrics(y: ArrayLike<number>, p: ArrayLike<number>, rule: ThresholdRule): BinaryMetrics {
  const ci = delongAucCi(y, p, 0.95);
  const threshold = chooseThreshold(y, p, rule);
  const c = confusionAt(y, p, threshold.value);
  const at = precisionAtRecall(y, p, TARGET_RECALL);
  const cal = calibrationTable(y, p, 10);
  return {
    n: c.tp + c.fp + c.tn + c.fn, positives: c.tp + c.fn, negatives: c.tn + c.fp,
    rocAuc: ci.auc, rocAucCi: { lower: ci.lower, upper: ci.upper, level: ci.level, method: 'DeLong' },
    prAuc: averagePrecision(y, p), brier: brierScore(y, p), threshold,
    confusion: { tp: c.tp, fp: c.fp, tn: c.tn, fn: c.fn },
    accuracy: c.accuracy, precision: c.precision, recall: c.recall, f1: c.f1, specificity: c.specificity,
    precisionAtRecall: { recall: TARGET_RECALL, precision: at.precision, threshold: at.threshold },
    calibration: cal,
  };
}

/**
 * `m` with its ranking metrics (ROC-AUC and its CI, PR-AUC, precision at 80% recall) taken from the
 * booster's raw held-out scores. Calibration re-maps scores for pricing; a map fitted in parts (out of
 * fold) can tie or re-order rows across parts, which would change what these measure — the model's
 * ranking. Threshold, confusion, Brier and the calibration table stay those of the calibrated `m`.
 * @example withRankingOf(binaryMetrics(y, calibrated, 0.5), y, raw).rocAuc === rocAuc(y, raw)
 */
export function withRankingOf(m: BinaryMetrics, y: ArrayLike<number>, raw: ArrayLike<number>): BinaryMetrics {
  const ci = delongAucCi(y, raw, 0.95);
  const at = precisionAtRecall(y, raw, TARGET_RECALL);
  return {
    ...m, rocAuc: ci.auc, rocAucCi: { lower: ci.lower, upper: ci.upper, level: ci.level, method: 'DeLong' }, prAuc: averagePrecision(y, raw),
    precisionAtRecall: { recall: TARGET_RECALL, precision: at.precision, threshold: at.threshold },
  };
}
