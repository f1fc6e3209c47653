/**
 * The pipeline's classifier stage: the session table (in memory, as read from sessions.parquet) →
 * `<out>/model.json` (XGBoost JSON with phantom's metadata) and `<out>/metrics.json` (the document
 * `phantom train-classifier --json` prints), config → options → runTrainClassifier, as the command runs it. The model is
 * handed on as the text written parsed back, so distill scores with exactly what model.json holds.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { atomicWriteFile } from '../io/atomic.js';
import { parseClassifierModel, writeClassifierModel, type ClassifierAudit, type ClassifierModel, type ClassifierResult } from '../models/classifier/index.js';
import { runTrainClassifier, trainedModelFile, TRAIN_CLASSIFIER_DEFAULTS } from '../models/classifier/run-train.js';
import type { DataTable, TrainingData } from '../models/dataset/index.js';
import type { PipelineConfig } from './config-schema.js';
import { jsonText } from './kernels-stage.js';

export interface ClassifierStageResult {
  result: ClassifierResult;
  /** the confound audit (warnings, behaviour-only AUC) */
  audit: ClassifierAudit;
  data: TrainingData;
  /** what the encoding decided, and columns of unusable types that were skipped */
  notes: string[];
  paths: { model: string; metrics: string };
  /** model.json as written: the parsed file and its SHA-256 */
  file: { model: ClassifierModel; sha256: string };
}

/**
 * Evaluate (CV or holdout), fit the shipped model, audit leakage, write model.json and metrics.json.
 * @example const { result } = await classifierStage(config, { path: features.sessionsPath, table: features.data }); result.evaluation?.metrics.rocAuc;
 */
export async function classifierStage(c: PipelineConfig, sessions: { path: string; table: DataTable }, onStep?: (step: string) => void): Promise<ClassifierStageResult> {
  const k = c.classifier;
  const { table, path: sessionsPath } = sessions;
  const warnings: string[] = [];
  const run = await runTrainClassifier(table, {
    ...TRAIN_CLASSIFIER_DEFAULTS, labelColumn: k.label, exclude: k.exclude, cv: k.cv, testSize: k.testSize, seed: k.seed, params: k.params, threshold: k.threshold,
    workers: k.workers ?? availableParallelism(), failUnderAuc: null, source: sessionsPath, onStage: onStep, onWarning: (m) => warnings.push(m),
  });
  const { data, result, audit, meta } = run;
  // the encoding's notes, then the skipped columns, then the unlabelled rows (as before)
  const notes = [...warnings.slice(0, data.notes.length), ...(table.skipped.length > 0 ? [`columns of types the models cannot use were ignored: ${table.skipped.join(', ')}`] : []), ...warnings.slice(data.notes.length)];
  const paths = { model: join(c.out, 'model.json'), metrics: join(c.out, 'metrics.json') };
  const text = await writeClassifierModel(paths.model, trainedModelFile(run));
  const file = { model: parseClassifierModel(text), sha256: createHash('sha256').update(text).digest('hex') };
  const e = result.evaluation;
  await atomicWriteFile(paths.metrics, jsonText({
    warnings: audit.warnings, model: paths.model, label: k.label, data: meta.training, features: data.X.featureNames, excluded: k.exclude,
    params: result.params, rounds: result.rounds, threshold: result.threshold,
    evaluation: e === null ? null : { ...meta.evaluation, fits: e.fits }, importance: result.importance.slice(0, 20), leakage: result.leakage,
    calibration: meta.calibration ?? null,
    behaviourOnly: audit.behaviourOnly,
  }));
  return { result, audit, data, notes, paths, file };
}
