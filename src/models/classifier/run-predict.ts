/**
 * `predict` as one library call (what the command runs): a classifier (phantom's or xgboost's) and a
 * sessions table in; calibrated probabilities, the decision threshold and the id columns out. Prints
 * nothing, writes nothing (the caller writes `writeScoresFile(out, predictionScores(run, modelPath))`).
 */
import { predictProbabilities } from '../calibration/model-probabilities.js';
import type { CalibrationMethod } from '../calibration/calibrator.js';
import type { DataColumn, DataTable } from '../dataset/data-table.js';
import type { ClassifierModel } from './model-file.js';
import { modelMatrix } from './model-matrix.js';
import { TRAIN_CLASSIFIER_DEFAULTS } from './run-train.js';
import type { Scores } from './scores-file.js';

/** Identifier columns copied to the scores when the input has them. */
const ID_COLUMNS = ['sessionId', 'experimentId'];

export interface PredictOptions {
  /** probability at which a row is predicted positive; null = the model's threshold, else TRAIN_CLASSIFIER_DEFAULTS.threshold */
  threshold: number | null;
}

/** Defaults of every option (the command's flag defaults come from here). */
export const PREDICT_DEFAULTS = { threshold: null } satisfies PredictOptions;

export interface PredictRun {
  /** the table's id columns, else a `row` number column */
  ids: DataColumn[];
  probability: Float64Array;
  calibration: CalibrationMethod;
  threshold: number;
  label: string | null;
  trainedBy: 'phantom' | 'elsewhere';
  rows: number;
  features: number;
  predictedPositive: number;
  meanProbability: number | null;
}

/**
 * Score every row of a sessions table.
 * @example const run = runPredict(await readClassifierModel('model.json'), await readDataTable('sessions.parquet'), PREDICT_DEFAULTS)
 */
export function runPredict(classifier: ClassifierModel, table: DataTable, o: PredictOptions): PredictRun {
  const { model, meta } = classifier;
  const X = modelMatrix(table, model, meta);
  const { probability, calibration } = predictProbabilities({ model, meta }, X); // calibrated when the model carries a calibrator
  const modelThreshold = meta?.threshold.value;
  const threshold = o.threshold ?? modelThreshold ?? TRAIN_CLASSIFIER_DEFAULTS.threshold;
  let ids: DataColumn[] = table.columns.filter((c) => ID_COLUMNS.includes(c.name));
  if (ids.length === 0) ids = [{ name: 'row', kind: 'numeric', values: Float64Array.from({ length: table.nRows }, (_, i) => i), boolean: false }];
  let positive = 0, sum = 0;
  for (let i = 0; i < probability.length; i++) { sum += probability[i]!; if (probability[i]! >= threshold) positive++; }
  return {
    ids, probability, calibration, threshold, label: meta?.label ?? null, trainedBy: meta ? 'phantom' : 'elsewhere', rows: table.nRows, features: X.nCols,
    predictedPositive: positive, meanProbability: table.nRows > 0 ? sum / table.nRows : null,
  };
}

/** The scores file of a run, its metadata naming the model. */
export function predictionScores(run: PredictRun, modelPath: string): Scores {
  return {
    ids: run.ids, probability: run.probability, threshold: run.threshold,
    metadata: { 'phantom.model': modelPath, 'phantom.label': run.label ?? '', 'phantom.threshold': String(run.threshold), 'phantom.calibration': run.calibration },
  };
}
