/**
 * Fitting on the folds of a plan. Each training part is split again: a stratified validation slice
 * watches AUC for early stopping, the rest fits the trees, and the held-out rows are only predicted —
 * they never reach the booster, so the evaluation cannot choose the number of rounds.
 */
import type { Rng } from '../../stats/rng.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import type { BoosterModel } from '../gbdt/model.js';
import type { FoldFit, FoldJob } from './fold-job.js';
import { runFoldJobs } from './fold-pool.js';
import type { FoldPlan } from './folds.js';

export interface FitProgress {
  /** 1-based fit number and total fits */
  fit: number;
  fits: number;
  round: number;
  rounds: number;
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
 * Run every fold of `plan`, on up to `ctx.workers` threads. Each fold draws from its own seed, taken from
 * `ctx.rng` in fold order before any fit, so a fold's model depends only on its own rows — and not on how
 * many threads ran.
 * @example const cv = await crossValidate(X, y, planFolds(y, 5, rng), params, { rng, workers: 2 });
 */
export async function crossValidate(
  X: FeatureMatrix, y: Uint8Array, plan: FoldPlan, params: Readonly<Record<string, unknown>>,
  ctx: FitContext & { keepModels?: boolean; workers?: number },
): Promise<CrossValidation> {
  const jobs: FoldJob[] = plan.folds.map((fold, index) => ({
    index, repeat: fold.repeat, fold: fold.fold, train: fold.train, test: fold.test, params: { ...params },
    seed: Math.floor(ctx.rng.next() * 4294967296), keepModel: ctx.keepModels === true,
    ...(ctx.validationFraction !== undefined ? { validationFraction: ctx.validationFraction } : {}),
  }));
  const outcomes = await runFoldJobs(X, y, jobs, ctx.workers ?? 1, (index, round, rounds) => ctx.onProgress?.({ fit: index + 1, fits: jobs.length, round, rounds }));
  const sum = new Float64Array(X.nRows), count = new Float64Array(X.nRows);
  const byRepeat = Array.from({ length: plan.repeats }, () => new Float64Array(X.nRows).fill(NaN));
  for (const { index, p } of outcomes) {
    const fold = plan.folds[index]!;
    for (let k = 0; k < fold.test.length; k++) {
      const row = fold.test[k]!;
      sum[row]! += p[k]!;
      count[row]!++;
      byRepeat[fold.repeat]![row] = p[k]!;
    }
  }
  const oof = Float64Array.from(sum, (s, i) => (count[i]! > 0 ? s / count[i]! : NaN));
  return { oof, byRepeat, fits: outcomes.map((o) => o.fit), models: ctx.keepModels ? outcomes.map((o) => o.model!) : null };
}
