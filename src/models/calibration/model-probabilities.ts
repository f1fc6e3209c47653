/**
 * The probabilities a classifier file gives: the booster's raw output passed through the calibrator stored
 * in its phantom metadata (identity for models without one, e.g. trained by xgboost elsewhere). Every
 * reader of agent probabilities goes through predictProbabilities, so pricing sees calibrated values only.
 */
import type { ClassifierMeta } from '../classifier/model-meta.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { predictBooster, type BoosterModel } from '../gbdt/model.js';
import { applyCalibrator, parseCalibrator, type CalibrationMethod, type Calibrator } from './calibrator.js';
import type { CalibrationResult } from './out-of-fold.js';

/** The calibration block of the model's metadata (learner.attributes.phantom → calibration): the result without its per-row predictions. */
export type CalibrationMeta = Omit<CalibrationResult, 'predictions'>;

/** The metadata block of a calibration result (without the per-row predictions). */
export function calibrationMeta(c: CalibrationResult): CalibrationMeta {
  return { method: c.method, chosenBy: c.chosenBy, calibrator: c.calibrator, rows: c.rows, folds: c.folds, before: c.before, after: c.after, candidates: c.candidates };
}

/** The calibrator a model's metadata carries; identity when there is none (older files, xgboost's own). */
export function calibratorOf(meta: Pick<ClassifierMeta, 'calibration'> | null): Calibrator {
  const raw = meta?.calibration?.calibrator;
  return raw === undefined ? { method: 'none' } : parseCalibrator(raw, "the model's calibration");
}

/**
 * Raw and calibrated probabilities of a model on X.
 * @example const { probability } = predictProbabilities(await readClassifierModel('model.json'), X);
 */
export function predictProbabilities(c: { model: BoosterModel; meta: Pick<ClassifierMeta, 'calibration'> | null }, X: FeatureMatrix): {
  raw: Float64Array; probability: Float64Array; calibration: CalibrationMethod;
} {
  const raw = predictBooster(c.model, X);
  const calibrator = calibratorOf(c.meta);
  return { raw, probability: calibrator.method === 'none' ? raw : applyCalibrator(calibrator, raw), calibration: calibrator.method };
}
