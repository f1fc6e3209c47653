/**
 * The pipeline's classifier stage: the session table (in memory, as read from sessions.parquet) →
 * `<out>/model.json` (XGBoost JSON with phantom's metadata) and `<out>/metrics.json` (the document
 * `phantom train-classifier --json` prints), through the same library calls as the command. The model is
 * handed on as the text written parsed back, so distill scores with exactly what model.json holds.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { atomicWriteFile } from '../io/atomic.js';
import { auditClassifier, classifierMeta, parseClassifierModel, phantomVersion, trainClassifier, writeClassifierModel, type ClassifierAudit, type ClassifierModel, type ClassifierResult } from '../models/classifier/index.js';
import { trainingData, type DataTable, type TrainingData } from '../models/dataset/index.js';
import { createRng } from '../stats/rng.js';
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
  const data = trainingData(table, { label: k.label, exclude: k.exclude });
  const notes = [...data.notes];
  if (table.skipped.length > 0) notes.push(`columns of types the models cannot use were ignored: ${table.skipped.join(', ')}`);
  if (data.unlabelled > 0) notes.push(`${data.unlabelled.toLocaleString('en-US')} rows have no '${k.label}' label and were left out`);
  const result = await trainClassifier(data.X, data.y, {
    params: k.params, ...(k.testSize !== null ? { testSize: k.testSize } : { cv: k.cv }), threshold: k.threshold,
    workers: k.workers ?? availableParallelism(), rng: createRng(k.seed),
    onProgress: (p) => onStep?.(p.stage === 'final' ? `final model: round ${p.round + 1}/${p.rounds}` : `evaluation fit ${p.fit}/${p.fits}: round ${p.round + 1}/${p.rounds}`),
  });
  onStep?.('confound audit: behaviour-only evaluation');
  const audit = await auditClassifier(data.X, data.y, result, {
    recipe: { params: k.params, ...(k.testSize !== null ? { testSize: k.testSize } : { cv: k.cv }), seed: k.seed, workers: k.workers ?? availableParallelism() },
    groups: null, recallBy: [],
  });
  const confound = { warnings: audit.warnings, behaviourOnly: audit.behaviourOnly };
  const meta = classifierMeta(result, {
    phantomVersion: phantomVersion(), label: k.label, encoding: data.encoding, excluded: k.exclude, seed: k.seed,
    source: basename(sessionsPath), sourceMetadata: table.metadata, fingerprint: data.fingerprint, unlabelled: data.unlabelled,
  });
  const paths = { model: join(c.out, 'model.json'), metrics: join(c.out, 'metrics.json') };
  const text = await writeClassifierModel(paths.model, { model: result.model, meta: Object.assign({}, meta, { confound }) });
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
