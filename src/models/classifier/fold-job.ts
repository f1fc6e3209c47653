/**
 * One cross-validation fit as a self-contained job (plain data in, plain data out), so the same code runs
 * in this thread or on a worker: carve the validation slice from the training rows, fit with early
 * stopping on it, predict the held-out rows. Its randomness comes only from its own seed.
 */
import { createRng, type Rng } from '../../stats/rng.js';
import { rocAuc } from '../../stats/roc.js';
import { takeLabels, takeRows } from '../dataset/take-rows.js';
import { trainBooster, type TrainResult } from '../gbdt/booster.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { predictBooster, type BoosterModel } from '../gbdt/model.js';
import { stratifiedSplit } from './folds.js';

/** Share of each training part held back for early stopping. */
export const DEFAULT_VALIDATION_FRACTION = 0.2;

export interface FoldFit {
  repeat: number;
  fold: number;
  fitRows: number;
  validationRows: number;
  testRows: number;
  /** trees kept (best validation round + 1; n_estimators without early stopping) */
  rounds: number;
  earlyStopped: boolean;
  validationAuc: number | null;
  /** AUC on the held-out rows, null when they hold one class only */
  testAuc: number | null;
}

/**
 * Fit on `rows`, early-stopping on a stratified validation slice of them (all rows and n_estimators
 * rounds when a class has fewer than two rows there).
 * @example const { result } = fitWithValidation(X, y, fold.train, { max_depth: 4 }, { rng });
 */
export function fitWithValidation(
  X: FeatureMatrix, y: Uint8Array, rows: Int32Array, params: Readonly<Record<string, unknown>>, ctx: { rng: Rng; validationFraction?: number; onRound?: (round: number, rounds: number) => void },
): { result: TrainResult; fitRows: Int32Array; validation: Int32Array | null } {
  const split = stratifiedSplit(rows, y, ctx.validationFraction ?? DEFAULT_VALIDATION_FRACTION, ctx.rng);
  const fitRows = split ? split.rest : rows;
  const evalSet = split ? { X: takeRows(X, split.part), y: takeLabels(y, split.part) } : undefined;
  const result = trainBooster(takeRows(X, fitRows), takeLabels(y, fitRows), params, {
    rng: ctx.rng, ...(evalSet ? { evalSet } : {}), onRound: (r) => ctx.onRound?.(r.round, r.rounds),
  });
  return { result, fitRows, validation: split ? split.part : null };
}

export interface FoldJob {
  index: number;
  repeat: number;
  fold: number;
  train: Int32Array;
  test: Int32Array;
  params: Record<string, unknown>;
  seed: number;
  validationFraction?: number;
  keepModel: boolean;
}

export interface FoldOutcome {
  index: number;
  /** probabilities of the held-out rows, in `test` order */
  p: Float64Array;
  fit: FoldFit;
  model: BoosterModel | null;
}

/**
 * Run one fold.
 * @example const out = runFoldJob(X, y, { index: 0, repeat: 0, fold: 0, train, test, params, seed: 7, keepModel: false });
 */
export function runFoldJob(X: FeatureMatrix, y: Uint8Array, job: FoldJob, onRound?: (round: number, rounds: number) => void): FoldOutcome {
  const ctx = { rng: createRng(job.seed), ...(job.validationFraction !== undefined ? { validationFraction: job.validationFraction } : {}), onRound };
  const { result, fitRows, validation } = fitWithValidation(X, y, job.train, job.params, ctx);
  const p = predictBooster(result.model, takeRows(X, job.test));
  const yt = takeLabels(y, job.test);
  const both = yt.includes(0) && yt.includes(1);
  const fit: FoldFit = {
    repeat: job.repeat, fold: job.fold, fitRows: fitRows.length, validationRows: validation?.length ?? 0, testRows: job.test.length,
    rounds: result.model.trees.length, earlyStopped: result.roundsTrained < result.params.n_estimators,
    validationAuc: result.bestAuc, testAuc: both ? rocAuc(yt, p) : null,
  };
  return { index: job.index, p, fit, model: job.keepModel ? result.model : null };
}
