/**
 * Before/after numbers of a calibration on labelled rows (ECE, Brier, log-loss, range), as JSON and as
 * the small table `train-classifier` and `evaluate` print.
 */
import { fmt, renderTable } from '../../report/table.js';
import type { CalibrationMethod } from './calibrator.js';
import { probabilityQuality, type ProbabilityQuality } from './out-of-fold.js';

export interface CalibrationReport {
  method: CalibrationMethod;
  /** how the rows were scored (e.g. "out of fold" or a file name) */
  basis?: string;
  before: ProbabilityQuality;
  after: ProbabilityQuality;
}

/**
 * @example calibrationReport(y, raw, calibrated, 'isotonic').after.ece;
 */
export function calibrationReport(y: ArrayLike<number>, raw: ArrayLike<number>, calibrated: ArrayLike<number>, method: CalibrationMethod): CalibrationReport {
  return { method, before: probabilityQuality(y, raw), after: probabilityQuality(y, calibrated) };
}

/** Two rows (raw booster, calibrated) × ECE, Brier, log-loss, ROC-AUC, range. @example renderCalibrationReport(report) */
export function renderCalibrationReport(r: CalibrationReport, title = 'calibration'): string {
  const row = (name: string, q: ProbabilityQuality) => [name, q.ece, q.brier, q.logLoss, q.rocAuc, `${fmt(q.min)} – ${fmt(q.max)}`];
  const table = renderTable(['probabilities', 'ECE (10 bins)', 'Brier', 'log-loss', 'ROC-AUC', 'range'], [
    row('raw booster', r.before), row(r.method === 'none' ? 'shipped (not calibrated)' : `calibrated (${r.method})`, r.after),
  ]);
  return `${title}${r.basis ? ` (${r.basis})` : ''}\n${table}`;
}
