/**
 * `train-classifier` as one library call (what the command runs, and the pipeline after merge): a sessions
 * table and typed options in; the fitted classifier, its audit and the model metadata out. Prints nothing,
 * writes nothing: warnings and stages go to the optional callbacks, the model file is the caller's
 * (`writeClassifierModel(path, trainedModelFile(run))`).
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { DataError, UsageError } from '../../errors.js';
import type { DataTable } from '../dataset/data-table.js';
import { trainingData, type TrainingData } from '../dataset/training-data.js';
import { resolveParams } from '../gbdt/params.js';
import { createRng, type Rng } from '../../stats/rng.js';
import { auditClassifier, columnGroups, withBreakdownExcluded, type ClassifierAudit } from './audit-run.js';
import { planGroupFolds } from './group-folds.js';
import type { ThresholdRule } from './metrics.js';
import { classifierMeta, type ClassifierMeta } from './model-meta.js';
import { phantomVersion, type ClassifierModel } from './model-file.js';
import { trainClassifier, type ClassifierResult } from './train-classifier.js';

export interface TrainClassifierOptions {
  /** binary label column (0/1 or true/false) */
  labelColumn: string;
  /** columns not to use as features */
  exclude: string[];
  /** stratified k-fold cross-validation; 0 = fit on all rows, no evaluation (ignored with testSize) */
  cv: number;
  /** evaluate on a stratified holdout of this share instead of cross-validation */
  testSize: number | null;
  seed: number;
  /** booster parameters by their xgboost names (strings from the flags, JSON values from the pipeline config) */
  params: Record<string, string | number | boolean>;
  threshold: ThresholdRule;
  /** evaluate across groups of this column (stratified group k-fold, per-group metrics) */
  groupBy: string | null;
  /** recall per value of these pass-through columns */
  recallBy: string[];
  /** threads (the results do not depend on it) */
  workers: number;
  /** the gate: a GateFailed for an evaluated ROC-AUC below this is the caller's (see `belowAucGate`) */
  failUnderAuc: number | null;
  /** the input as given (its base name is recorded in the model metadata) */
  source: string;
  onStage?: (stage: string) => void;
  onWarning?: (message: string) => void;
}

/** Defaults of every option that has one (the command's flag defaults come from here). */
export const TRAIN_CLASSIFIER_DEFAULTS = {
  labelColumn: 'is_agent',
  exclude: [] as string[],
  cv: 5,
  testSize: null,
  seed: 42,
  params: {} as Record<string, string>,
  threshold: 0.5,
  groupBy: null,
  recallBy: [] as string[],
  workers: availableParallelism(),
  failUnderAuc: null,
} satisfies Partial<TrainClassifierOptions>;

export interface TrainClassifierRun {
  data: TrainingData;
  /** the feature exclusions in effect (the given ones plus the breakdown columns) */
  exclude: string[];
  result: ClassifierResult;
  audit: ClassifierAudit;
  meta: ClassifierMeta;
}

/**
 * Refuse inconsistent options before any data is read (bad booster parameters included).
 * @example checkTrainOptions({ ...TRAIN_CLASSIFIER_DEFAULTS, cv: 1 }) // UsageError
 */
export function checkTrainOptions(o: Pick<TrainClassifierOptions, 'cv' | 'testSize' | 'failUnderAuc' | 'params' | 'groupBy' | 'recallBy'>): void {
  const evaluate = o.testSize !== null || o.cv > 0;
  if (o.cv === 1) throw new UsageError('--cv 1 leaves nothing to train on: use --cv 0 (no evaluation) or k >= 2');
  if (o.failUnderAuc !== null && !evaluate) throw new UsageError('--fail-under-auc needs an evaluation: drop --cv 0');
  resolveParams(o.params);
  if (o.groupBy !== null && o.testSize !== null) throw new UsageError('--group-by splits by group for cross-validation: drop --test-size');
  if ((o.groupBy !== null || o.recallBy.length > 0) && !evaluate) throw new UsageError(`${o.groupBy !== null ? '--group-by' : '--recall-by'} needs an evaluation: drop --cv 0`);
}

/**
 * Train, evaluate and audit the agent classifier on a sessions table (docs/classifier.md).
 * @example const run = await runTrainClassifier(await readDataTable('sessions.parquet'), { ...TRAIN_CLASSIFIER_DEFAULTS, source: 'sessions.parquet' });
 */
export async function runTrainClassifier(table: DataTable, o: TrainClassifierOptions): Promise<TrainClassifierRun> {
  checkTrainOptions(o);
  const warn = o.onWarning ?? (() => {});
  const testSize = o.testSize ?? undefined;
  const groupBy = o.groupBy ?? undefined;
  const exclude = withBreakdownExcluded(o.exclude, groupBy, o.recallBy, table);
  const data = trainingData(table, { label: o.labelColumn, exclude });
  const groups = groupBy === undefined ? null : { column: groupBy, groups: columnGroups(table, groupBy, data.rows, '--group-by') };
  const recallBy = o.recallBy.map((c) => ({ column: c, groups: columnGroups(table, c, data.rows, '--recall-by') }));
  const foldPlan = groups === null ? undefined : (rng: Rng) => planGroupFolds(data.y, groups.groups.codes, o.cv, rng);
  for (const note of data.notes) warn(note);
  if (data.X.nRows === 0) throw new DataError(`no sessions: ${o.source} has no rows with a '${o.labelColumn}' label (${table.nRows.toLocaleString('en-US')} rows in all); nothing written`);
  if (data.unlabelled > 0) warn(`${data.unlabelled.toLocaleString('en-US')} rows have no '${o.labelColumn}' label and were left out`);
  const result = await trainClassifier(data.X, data.y, {
    params: o.params, cv: testSize !== undefined ? undefined : o.cv, testSize, threshold: o.threshold, workers: o.workers, rng: createRng(o.seed), foldPlan,
    onProgress: (p) => o.onStage?.(p.stage === 'final' ? `final model: round ${p.round + 1}/${p.rounds}` : `evaluation fit ${p.fit}/${p.fits}: round ${p.round + 1}/${p.rounds}`),
  });
  o.onStage?.('confound audit: behaviour-only evaluation');
  const audit = await auditClassifier(data.X, data.y, result, {
    recipe: { params: o.params, cv: o.cv, ...(testSize !== undefined ? { testSize } : {}), ...(foldPlan ? { foldPlan } : {}), seed: o.seed, workers: o.workers },
    groups, recallBy,
  });
  const meta = classifierMeta(result, {
    phantomVersion: phantomVersion(), label: o.labelColumn, encoding: data.encoding, excluded: exclude, seed: o.seed,
    source: basename(o.source), sourceMetadata: table.metadata, fingerprint: data.fingerprint, unlabelled: data.unlabelled,
  });
  return { data, exclude, result, audit, meta };
}

/** The model file of a run: the booster and its metadata, the audit riding along (read back by evaluate; the meta schema passes unknown keys through). */
export function trainedModelFile(run: TrainClassifierRun): ClassifierModel {
  const confound = { warnings: run.audit.warnings, behaviourOnly: run.audit.behaviourOnly };
  return { model: run.result.model, meta: Object.assign({}, run.meta, { confound }) };
}

/**
 * The --fail-under-auc gate's message when an evaluated ROC-AUC (null: no evaluation) is below the gate
 * (a NaN AUC fails it), else null.
 * @example belowAucGate(run.result.evaluation?.metrics.rocAuc ?? null, 0.9)
 */
export function belowAucGate(rocAuc: number | null, failUnderAuc: number | null): string | null {
  if (failUnderAuc === null || rocAuc === null || rocAuc >= failUnderAuc) return null;
  return `ROC-AUC ${rocAuc.toFixed(4)} is below --fail-under-auc ${failUnderAuc}`;
}
