/**
 * Probability calibration of the classifier: Platt and isotonic maps (checked against scikit-learn),
 * chosen and measured out of fold, stored in the model's metadata and applied wherever probabilities are
 * read (predict, evaluate, distill, serve). See docs/calibration.md.
 */
export { fitPlatt, plattProbability, type PlattParams } from './platt.js';
export { fitIsotonic, isotonicProbability, type IsotonicParams } from './isotonic.js';
export {
  applyCalibrator, fitCalibrator, parseCalibrator, marginOf, CALIBRATION_METHODS, type Calibrator, type CalibrationMethod,
} from './calibrator.js';
export { calibrateOutOfFold, crossFit, crossFitFolds, probabilityQuality, CALIBRATION_FOLDS, LOG_LOSS_EPS, type CalibrationResult, type ProbabilityQuality } from './out-of-fold.js';
export { calibrationMeta, calibratorOf, predictProbabilities, type CalibrationMeta } from './model-probabilities.js';
export { calibrationReport, renderCalibrationReport, type CalibrationReport } from './report.js';
