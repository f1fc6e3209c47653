/**
 * The classifier of docs/classifier.md as one library call: evaluate by cross-validation (or a holdout), choose
 * the threshold on held-out probabilities, fit the model to ship, and describe it (importance, leakage
 * audit). `phantom train-classifier` is a thin shell over this.
 */
import { UsageError } from '../../errors.js';
import type { Rng } from '../../stats/rng.js';
import { rocAuc } from '../../stats/roc.js';
import { calibrateOutOfFold, type CalibrationResult } from '../calibration/out-of-fold.js';
import { takeLabels, takeRows } from '../dataset/take-rows.js';
import { trainBooster } from '../gbdt/booster.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { predictBooster, type BoosterModel } from '../gbdt/model.js';
import { resolveParams, type BoosterParams } from '../gbdt/params.js';
import { crossValidate, type FitProgress } from './cross-validate.js';
import { DEFAULT_VALIDATION_FRACTION, fitWithValidation, type FoldFit } from './fold-job.js';
import { holdoutFold, holdoutPlan, planFolds, type CvScheme, type FoldPlan } from './folds.js';
import { importanceTable, type ImportanceRow } from './importance-table.js';
import { leakageAudit, LEAKAGE_THRESHOLD, type LeakageAudit } from './leakage.js';
import { binaryMetrics, chooseThreshold, withRankingOf, type BinaryMetrics, type ThresholdRule } from './metrics.js';

export interface ClassifierOptions {
  /** booster parameters, xgboost names (see gbdt DEFAULTS; base_score defaults to the share of positives) */
  params?: Readonly<Record<string, unknown>>;
  /** folds (default 5); 0 = fit on all rows for exactly n_estimators rounds, no evaluation */
  cv?: number;
  /** evaluate on a stratified holdout of this share instead of cross-validation */
  testSize?: number;
  threshold?: ThresholdRule;
  validationFraction?: number;
  leakageThreshold?: number;
  /** threads for the cross-validation fits (results do not depend on it); default 1 */
  workers?: number;
  rng: Rng;
  /** the evaluation folds instead of stratified k-fold (e.g. `planGroupFolds` for --group-by); drawn from `rng` first */
  foldPlan?: (rng: Rng) => FoldPlan;
  onProgress?: (p: FitProgress & { stage: 'evaluate' | 'final' }) => void;
}

export interface Evaluation {
  scheme: CvScheme;
  k: number;
  repeats: number;
  testSize: number | null;
  validationFraction: number;
  fits: FoldFit[];
  /** AUC of each repeat's out-of-fold probabilities (k-fold), or of the holdout */
  repeatAuc: number[];
  /** metrics of the held-out predictions: ranking metrics (ROC-AUC, PR-AUC, precision at 80% recall) of the raw scores, the rest of the calibrated probabilities (see withRankingOf) */
  metrics: BinaryMetrics;
  /** calibrated held-out probability per row (NaN where a row was never held out, e.g. holdout training rows) */
  predictions: Float64Array;
  /** the booster's raw held-out probability per row, before calibration */
  rawPredictions: Float64Array;
}

export interface ClassifierResult {
  model: BoosterModel;
  params: BoosterParams & { scale_pos_weight: number };
  /** rounds of the shipped model and how they were chosen */
  rounds: { final: number; chosenBy: 'cv-median' | 'holdout-validation' | 'n_estimators' };
  evaluation: Evaluation | null;
  threshold: { rule: string; value: number };
  importance: ImportanceRow[];
  leakage: LeakageAudit;
  /** out-of-fold calibration (null without an evaluation: --cv 0) */
  calibration: CalibrationResult | null;
}

/**
 * The classifier's base_score when none is given: the share of positive rows (as xgboost ≥ 2.0 estimates it),
 * clamped into (0, 1). Starting from ½ on imbalanced labels spends the first trees on the mean, and early
 * stopping on AUC can then stop a fold after a handful of trees with squeezed probabilities.
 */
export function prevalenceBaseScore(y: Uint8Array): number {
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i]!;
  const share = y.length > 0 ? positives / y.length : 0.5;
  return Math.min(1 - 1e-6, Math.max(1e-6, share));
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Evaluate and fit a binary classifier on (X, y).
 * - cv ≥ 2: stratified k-fold (repeated for small n; leave-one-out when a class has fewer than k rows);
 *   the shipped model is refit on all rows for the median of the folds' early-stopped rounds.
 * - testSize: one stratified holdout; the shipped model is the one evaluated (fitted on the rest).
 * - cv = 0: all rows, exactly n_estimators rounds, no metrics.
 * @example const r = await trainClassifier(X, y, { cv: 5, threshold: 'youden', rng: createRng(42) }); r.evaluation?.metrics.rocAuc;
 */
export async function trainClassifier(X: FeatureMatrix, y: Uint8Array, opts: ClassifierOptions): Promise<ClassifierResult> {
  const params = resolveParams({ base_score: prevalenceBaseScore(y), ...(opts.params ?? {}) });
  const base: Record<string, unknown> = { ...params }; // resolved once: aliases gone, safe to override
  const cv = opts.cv ?? 5;
  if (opts.testSize !== undefined && cv === 0) throw new UsageError('--test-size and --cv 0 contradict each other: --cv 0 means no evaluation');
  const rule = opts.threshold ?? 0.5;
  const validationFraction = opts.validationFraction ?? DEFAULT_VALIDATION_FRACTION;
  const progress = (stage: 'evaluate' | 'final') => (p: FitProgress) => opts.onProgress?.({ ...p, stage });
  const finalProgress = (round: number, rounds: number) => opts.onProgress?.({ stage: 'final', fit: 1, fits: 1, round, rounds });
  const leakage = leakageAudit(X, y, opts.leakageThreshold ?? LEAKAGE_THRESHOLD);

  if (cv === 0 && opts.testSize === undefined) {
    if (typeof rule !== 'number') throw new UsageError(`--threshold ${rule} is chosen on held-out predictions; with --cv 0 there are none (give a probability)`);
    const fit = trainBooster(X, y, base, { rng: opts.rng, threads: opts.workers ?? 1, onRound: (r) => finalProgress(r.round, r.rounds) });
    return {
      model: fit.model, params: fit.params, rounds: { final: fit.model.trees.length, chosenBy: 'n_estimators' }, evaluation: null,
      threshold: chooseThreshold([], [], rule), importance: importanceTable(fit.model), leakage, calibration: null,
    };
  }

  const plan = opts.foldPlan !== undefined ? opts.foldPlan(opts.rng) : opts.testSize !== undefined ? holdoutPlan(y, opts.testSize, opts.rng) : planFolds(y, cv, opts.rng);
  const evalRng = opts.rng.fork();
  if (plan.scheme === 'holdout') {
    const fold = holdoutFold(plan);
    const { result, fitRows, validation } = fitWithValidation(X, y, fold.train, base, {
      rng: evalRng, validationFraction, onRound: (round, rounds) => progress('evaluate')({ fit: 1, fits: 1, round, rounds }),
    });
    const p = predictBooster(result.model, takeRows(X, fold.test));
    const rawPredictions = new Float64Array(X.nRows).fill(NaN);
    fold.test.forEach((row, k) => { rawPredictions[row] = p[k]!; });
    const calibration = calibrateOutOfFold(y, rawPredictions);
    const predictions = calibration.predictions;
    const metrics = withRankingOf(binaryMetrics(takeLabels(y, fold.test), Float64Array.from(fold.test, (r) => predictions[r]!), rule), takeLabels(y, fold.test), p);
    const fits: FoldFit[] = [{
      repeat: 0, fold: 0, fitRows: fitRows.length, validationRows: validation?.length ?? 0, testRows: fold.test.length,
      rounds: result.model.trees.length, earlyStopped: result.roundsTrained < params.n_estimators, validationAuc: result.bestAuc, testAuc: metrics.rocAuc,
    }];
    return {
      model: result.model, params: result.params, rounds: { final: result.model.trees.length, chosenBy: 'holdout-validation' },
      evaluation: {
        scheme: 'holdout', k: 1, repeats: 1, testSize: opts.testSize!, validationFraction, fits, repeatAuc: [metrics.rocAuc], metrics, predictions, rawPredictions,
      },
      threshold: metrics.threshold, importance: importanceTable(result.model), leakage, calibration,
    };
  }

  const run = await crossValidate(X, y, plan, base, { rng: evalRng, validationFraction, workers: opts.workers ?? 1, onProgress: progress('evaluate') });
  const calibration = calibrateOutOfFold(y, run.oof);
  const metrics = withRankingOf(binaryMetrics(y, calibration.predictions, rule), y, run.oof);
  const repeatAuc = run.byRepeat.map((p) => rocAuc(y, p));
  const finalRounds = Math.max(1, Math.round(median(run.fits.map((f) => f.rounds))));
  const fit = trainBooster(X, y, { ...base, n_estimators: finalRounds }, { rng: opts.rng.fork(), threads: opts.workers ?? 1, onRound: (r) => finalProgress(r.round, r.rounds) });
  return {
    model: fit.model, params: { ...fit.params, n_estimators: params.n_estimators }, rounds: { final: finalRounds, chosenBy: 'cv-median' },
    evaluation: { scheme: plan.scheme, k: plan.k, repeats: plan.repeats, testSize: null, validationFraction, fits: run.fits, repeatAuc, metrics,
      predictions: calibration.predictions, rawPredictions: run.oof },
    threshold: metrics.threshold, importance: importanceTable(fit.model), leakage, calibration,
  };
}
