/**
 * Calibration chosen and measured out of fold. The classifier's held-out (out-of-fold) probabilities are
 * split again into k stratified parts; each part is calibrated by a map fitted on the other parts only, so
 * every reported number comes from rows the calibrator never saw. The method with the lowest out-of-fold
 * log-loss (none, Platt, isotonic; ties go to the simpler one) is then refitted on all held-out rows and
 * shipped with the model.
 */
import { brierScore, calibrationTable } from '../../stats/calibration.js';
import { rocAuc } from '../../stats/roc.js';
import { applyCalibrator, CALIBRATION_METHODS, fitCalibrator, type CalibrationMethod, type Calibrator } from './calibrator.js';

/** Folds of the calibration cross-fit (fewer when a class has fewer held-out rows). */
export const CALIBRATION_FOLDS = 5;
/** Probabilities are clipped to [ε, 1 − ε] in the log-loss (as sklearn.metrics.log_loss). */
export const LOG_LOSS_EPS = 1e-15;

export interface ProbabilityQuality {
  logLoss: number;
  brier: number;
  /** expected calibration error over 10 equal-width bins */
  ece: number;
  /** ROC-AUC: calibration is monotone, but isotonic steps tie scores and cross-fitting mixes fold maps */
  rocAuc: number;
  min: number;
  max: number;
}

export interface CalibrationResult {
  method: CalibrationMethod;
  chosenBy: string;
  /** fitted on every held-out row; what predict/evaluate/distill/serve apply */
  calibrator: Calibrator;
  /** held-out rows used, and the folds of the cross-fit (0 when it could not run) */
  rows: number;
  folds: number;
  /** raw held-out probabilities */
  before: ProbabilityQuality;
  /** the chosen method, cross-fitted */
  after: ProbabilityQuality;
  candidates: Record<CalibrationMethod, ProbabilityQuality>;
  /** cross-fitted calibrated probability per row (NaN where the row has no held-out probability) */
  predictions: Float64Array;
}

/** Mean log-loss, Brier, ECE and range of probabilities p for labels y. */
export function probabilityQuality(y: ArrayLike<number>, p: ArrayLike<number>): ProbabilityQuality {
  let ll = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p[i]!));
    ll -= y[i]! ? Math.log(q) : Math.log(1 - q);
    if (p[i]! < min) min = p[i]!;
    if (p[i]! > max) max = p[i]!;
  }
  return { logLoss: ll / p.length, brier: brierScore(y, p), ece: calibrationTable(y, p, 10).ece, rocAuc: rocAuc(y, p), min, max };
}

/** Stratified fold of each row: round-robin in row order within each class (deterministic, no RNG). */
export function crossFitFolds(y: ArrayLike<number>, k: number): Int32Array {
  const fold = new Int32Array(y.length), next = [0, 0];
  for (let i = 0; i < y.length; i++) fold[i] = next[y[i]!]!++ % k;
  return fold;
}

function pick<T extends ArrayLike<number>>(a: T, rows: Int32Array): Float64Array {
  return Float64Array.from(rows, (r) => a[r]!);
}

/**
 * Each row's probability calibrated by a map fitted on the rows of the other folds only.
 * @example crossFit('isotonic', p, y, crossFitFolds(y, 5));
 */
export function crossFit(method: CalibrationMethod, p: Float64Array, y: ArrayLike<number>, fold: Int32Array): Float64Array {
  const out = new Float64Array(p.length);
  const k = fold.reduce((m, f) => Math.max(m, f + 1), 0);
  for (let f = 0; f < k; f++) {
    const train = Int32Array.from({ length: p.length }, (_, i) => i).filter((i) => fold[i] !== f);
    const test = Int32Array.from({ length: p.length }, (_, i) => i).filter((i) => fold[i] === f);
    const q = applyCalibrator(fitCalibrator(method, pick(p, train), pick(y, train)), pick(p, test));
    test.forEach((i, j) => { out[i] = q[j]!; });
  }
  return out;
}

/**
 * Choose and fit the calibration of held-out probabilities `p` (NaN = row not held out) for labels y.
 * @example const c = calibrateOutOfFold(y, evaluation.predictions); c.method; c.after.ece;
 */
export function calibrateOutOfFold(y: Uint8Array, p: Float64Array, folds = CALIBRATION_FOLDS): CalibrationResult {
  const held = Int32Array.from({ length: p.length }, (_, i) => i).filter((i) => Number.isFinite(p[i]!));
  const yh = Uint8Array.from(held, (r) => y[r]!), ph = pick(p, held);
  let positives = 0;
  for (const v of yh) positives += v;
  const k = Math.min(folds, positives, yh.length - positives);
  const before = probabilityQuality(yh, ph);
  const predictions = new Float64Array(p.length).fill(NaN);
  if (k < 2) {
    held.forEach((r, j) => { predictions[r] = ph[j]!; });
    return {
      method: 'none', chosenBy: `not calibrated: a class has fewer than 2 held-out rows`, calibrator: { method: 'none' }, rows: held.length, folds: 0,
      before, after: before, candidates: { none: before, platt: before, isotonic: before }, predictions,
    };
  }
  const fold = crossFitFolds(yh, k);
  const crossFitted = {} as Record<CalibrationMethod, Float64Array>;
  const candidates = {} as Record<CalibrationMethod, ProbabilityQuality>;
  for (const method of CALIBRATION_METHODS) {
    crossFitted[method] = crossFit(method, ph, yh, fold);
    candidates[method] = probabilityQuality(yh, crossFitted[method]);
  }
  let method: CalibrationMethod = 'none';
  for (const m of CALIBRATION_METHODS) if (candidates[m].logLoss < candidates[method].logLoss) method = m;
  held.forEach((r, j) => { predictions[r] = crossFitted[method][j]!; });
  return {
    method, chosenBy: `the lowest out-of-fold log-loss among none, platt, isotonic (${k}-fold cross-fit over the held-out probabilities)`,
    calibrator: fitCalibrator(method, ph, yh), rows: held.length, folds: k, before, after: candidates[method], candidates, predictions,
  };
}
