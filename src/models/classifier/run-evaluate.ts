/**
 * `evaluate` as one library call (what the command runs, and the pipeline after merge): a classifier
 * (phantom's or xgboost's) and a labelled sessions table in; metrics, calibration, the confound audit and
 * the per-group breakdowns out. Prints nothing, writes nothing (warnings go to `onWarning`).
 */
import { UsageError } from '../../errors.js';
import type { CalibrationMethod } from '../calibration/calibrator.js';
import { predictProbabilities } from '../calibration/model-probabilities.js';
import { calibrationReport, type CalibrationReport } from '../calibration/report.js';
import type { DataTable } from '../dataset/data-table.js';
import { dataFingerprint } from '../dataset/fingerprint.js';
import { binaryLabel, labelCounts } from '../dataset/labels.js';
import { takeLabels, takeRows } from '../dataset/take-rows.js';
import { columnGroups } from './audit-run.js';
import { confoundWarnings, type AuditWarning, type BehaviourOnly } from './confound-audit.js';
import { metricsByGroup, type GroupMetrics } from './group-metrics.js';
import { importanceTable } from './importance-table.js';
import { binaryMetrics, withRankingOf, type BinaryMetrics, type ThresholdRule } from './metrics.js';
import type { ClassifierModel } from './model-file.js';
import { modelMatrix } from './model-matrix.js';
import { TRAIN_CLASSIFIER_DEFAULTS } from './run-train.js';

export interface EvaluateOptions {
  /** label column; null = the model's label, else TRAIN_CLASSIFIER_DEFAULTS.labelColumn */
  labelColumn: string | null;
  /** decision threshold; null = the model's threshold, else TRAIN_CLASSIFIER_DEFAULTS.threshold */
  threshold: ThresholdRule | null;
  /** metrics within each value of this column */
  groupBy: string | null;
  /** recall per value of these pass-through columns */
  recallBy: string[];
  /** the gate: the caller's GateFailed for a ROC-AUC below this (see `belowAucGate`) */
  failUnderAuc: number | null;
  /** the sessions table as given, for messages */
  source: string;
  onWarning?: (message: string) => void;
}

/** Defaults of every option that has one (the command's flag defaults come from here). */
export const EVALUATE_DEFAULTS = { labelColumn: null, threshold: null, groupBy: null, recallBy: [] as string[], failUnderAuc: null } satisfies Partial<EvaluateOptions>;

export interface EvaluateRun {
  label: string;
  /** labels and calibrated / raw probabilities of the labelled rows */
  y: Uint8Array;
  p: Float64Array;
  raw: Float64Array;
  method: CalibrationMethod;
  metrics: BinaryMetrics;
  calibration: CalibrationReport;
  /** confound warnings from the model's gain */
  warnings: AuditWarning[];
  /** the behaviour-only AUC recorded at training (phantom models since the audit), else null */
  recorded: (BehaviourOnly & { fullAuc: number }) | null;
  grouped: { column: string; groups: number; perGroup: GroupMetrics[] } | null;
  recallBy: { column: string; rows: GroupMetrics[] }[];
}

/**
 * Evaluate a classifier on labelled sessions (docs/classifier.md).
 * @example const run = runEvaluate(await readClassifierModel('model.json'), await readDataTable('holdout.parquet'), { ...EVALUATE_DEFAULTS, source: 'holdout.parquet' })
 */
export function runEvaluate(classifier: ClassifierModel, table: DataTable, o: EvaluateOptions): EvaluateRun {
  const { model, meta } = classifier;
  const warn = o.onWarning ?? (() => {});
  const label = o.labelColumn ?? meta?.label ?? TRAIN_CLASSIFIER_DEFAULTS.labelColumn;
  const yAll = binaryLabel(table, label);
  const counts = labelCounts(yAll);
  if (counts.positives === 0 || counts.negatives === 0) {
    throw new UsageError(`evaluation needs both classes of '${label}'; ${o.source} has ${counts.positives} positive and ${counts.negatives} negative rows`);
  }
  if (counts.missing > 0) warn(`${counts.missing.toLocaleString('en-US')} rows have no '${label}' label and were left out`);
  const rows = Int32Array.from({ length: yAll.length }, (_, i) => i).filter((i) => yAll[i]! >= 0);
  const X = takeRows(modelMatrix(table, model, meta), rows);
  const y = takeLabels(yAll, rows);
  if (meta !== null && dataFingerprint(X, y).sha256 === meta.training.fingerprint.sha256) {
    warn("this is the model's own training data: these metrics are in-sample and optimistic (the held-out metrics are in the model's metadata)");
  }
  const { raw, probability: p, calibration: method } = predictProbabilities({ model, meta }, X);
  const rule = o.threshold ?? meta?.threshold.value ?? TRAIN_CLASSIFIER_DEFAULTS.threshold;
  const metrics = withRankingOf(binaryMetrics(y, p, rule), y, raw);
  // the confound audit: warnings from the model's gain; the behaviour-only AUC of its training evaluation
  const warnings = confoundWarnings(importanceTable(model));
  const recorded = (meta as { confound?: { behaviourOnly?: (BehaviourOnly & { fullAuc: number }) | null } } | null)?.confound?.behaviourOnly ?? null;
  const grouped = o.groupBy === null ? null : {
    column: o.groupBy, ...((g) => ({ groups: g.names.length, perGroup: metricsByGroup(y, p, g, metrics.threshold.value) }))(columnGroups(table, o.groupBy, rows, '--group-by')),
  };
  const recallBy = o.recallBy.map((c) => ({ column: c, rows: metricsByGroup(y, p, columnGroups(table, c, rows, '--recall-by'), metrics.threshold.value) }));
  const calibration = calibrationReport(y, raw, p, method);
  return { label, y, p, raw, method, metrics, calibration, warnings, recorded, grouped, recallBy };
}
