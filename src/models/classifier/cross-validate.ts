/**
 * Fitting on the folds of a plan. Each training part is split again: a stratified validation slice
 * watches AUC for early stopping, the rest fits the trees, and the held-out rows are only predicted —
 * they never reach the booster, so the evaluation cannot choose the number of rounds.
 */
import type { Rng } from '../../stats/rng.js';
import { rocAuc } from '../../stats/roc.js';
import { takeLabels, takeRows } from '../dataset/take-rows.js';
import { trainBooster, type TrainResult } from '../gbdt/booster.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import type { BoosterModel } from '../gbdt/model.js';
import { predictBooster } from '../gbdt/model.js';
import { stratifiedSplit, type FoldPlan } from './folds.js';

/** Share of each training part held back for early stopping. */
export const DEFAULT_VALIDATION_FRACTION = 0.2;

export interface FitProgress {
  /** 1-based fit number and total fits */
  fit: number;
  fits: number;
  round: number;
  rounds: number;
}

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

export interface CrossValidation {
  /** held-out probability of each row, averaged over repeats; NaN for rows never held out */
  oof: Float64Array;
  /** held-out probabilities of each repeat separately */
  byRepeat: Float64Array[];
  fits: FoldFit[];
  /** the fold models, only with keepModels */
  models: BoosterModel[] | null;
}

export interface FitContext {
  rng: Rng;
  validationFraction?: number;
  onProgress?: (p: FitProgress) => void;
}

/**
 * Fit on `rows`, early-stopping on a stratified validation slice of them (all rows and n_estimators
 * rounds when a class has fewer than two rows there).
 * @example const { result } = fitWithValidation(X, y, fold.train, { max_depth: 4 }, { rng });
 */
export function fitWithValidation(
  X: FeatureMatrix, y: Uint8Array, rows: Int32Array, params: Readonly<Record<string, unknown>>, ctx: FitContext & { onRound?: (round: number, rounds: number) => void },
): { result: TrainResult; fitRows: Int32Array; validation: Int32Array | null } {
  const split = stratifiedSplit(rows, y, ctx.validationFraction ?? DEFAULT_VALIDATION_FRACTION, ctx.rng);
  const fitRows = split ? split.rest : rows;
  const evalSet = split ? { X: takeRows(X, split.part), y: takeLabels(y, split.part) } : undefined;
  const result = trainBooster(takeRows(X, fitRows), takeLabels(y, fitRows), params, {
    rng: ctx.rng, ...(evalSet ? { evalSet } : {}), onRound: (r) => ctx.onRound?.(r.round, r.rounds),
  });
  return { result, fitRows, validation: split ? split.part : null };
}

/**
 * Run every fold of `plan`; each fold draws from its own RNG forked in fold order before any fit, so a
 * fold's model depends only on its own rows.
 * @example const cv = crossValidate(X, y, planFolds(y, 5, rng), params, { rng });
 */
export function crossValidate(
  X: FeatureMatrix, y: Uint8Array, plan: FoldPlan, params: Readonly<Record<string, unknown>>, ctx: FitContext & { keepModels?: boolean },
): CrossValidation {
  const rngs = plan.folds.map(() => ctx.rng.fork());
  const sum = new Float64Array(X.nRows), count = new Float64Array(X.nRows);
  const byRepeat = Array.from({ length: plan.repeats }, () => new Float64Array(X.nRows).fill(NaN));
  const fits: FoldFit[] = [];
  const models: BoosterModel[] = [];
  plan.folds.forEach((fold, i) => {
    const onRound = (round: number, rounds: number) => ctx.onProgress?.({ fit: i + 1, fits: plan.folds.length, round, rounds });
    const { result, fitRows, validation } = fitWithValidation(X, y, fold.train, params, { ...ctx, rng: rngs[i]!, onRound });
    const p = predictBooster(result.model, takeRows(X, fold.test));
    for (let k = 0; k < fold.test.length; k++) {
      const row = fold.test[k]!;
      sum[row]! += p[k]!;
      count[row]!++;
      byRepeat[fold.repeat]![row] = p[k]!;
    }
    const yt = takeLabels(y, fold.test);
    const both = yt.includes(0) && yt.includes(1);
    fits.push({
      repeat: fold.repeat, fold: fold.fold, fitRows: fitRows.length, validationRows: validation?.length ?? 0, testRows: fold.test.length,
      rounds: result.model.trees.length, earlyStopped: result.roundsTrained < result.params.n_estimators,
      validationAuc: result.bestAuc, testAuc: both ? rocAuc(yt, p) : null,
    });
    if (ctx.keepModels) models.push(result.model);
  });
  const oof = Float64Array.from(sum, (s, i) => (count[i]! > 0 ? s / count[i]! : NaN));
  return { oof, byRepeat, fits, models: ctx.keepModels ? models : null };
}
