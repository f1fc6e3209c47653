/**
 * The confound audit (docs/classifier.md): labelled data often carries how it was collected — humans
 * recorded in office hours, bots at night, one browser per class — and a model will learn that instead of
 * behaviour. Two warnings read the fitted model's gain (one feature holding most of it; a context feature
 * among the top five), and the behaviour-only AUC re-runs the same evaluation, on the same folds, with the
 * context features (registry `context`) left out, so the two AUCs can be read side by side.
 */
import { isContextFeature } from '../../features/registry.js';
import { rocAuc } from '../../stats/roc.js';
import { createRng, type Rng } from '../../stats/rng.js';
import { takeLabels, takeRows } from '../dataset/take-rows.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { predictBooster } from '../gbdt/model.js';
import { resolveParams } from '../gbdt/params.js';
import { crossValidate } from './cross-validate.js';
import { DEFAULT_VALIDATION_FRACTION, fitWithValidation } from './fold-job.js';
import { holdoutFold, holdoutPlan, planFolds, type FoldPlan } from './folds.js';
import { prevalenceBaseScore } from './train-classifier.js';
import type { ImportanceRow } from './importance-table.js';

/** A feature holding more than this share of the total gain is `dominant-feature`. */
export const DOMINANT_GAIN_SHARE = 0.5;
/** A context feature this high or higher in the gain ranking is `context-feature`. */
export const CONTEXT_TOP = 5;

export interface AuditWarning {
  code: 'dominant-feature' | 'context-feature';
  feature: string;
  message: string;
}

/**
 * The audit's warnings from a model's importance table (highest gain first).
 * @example confoundWarnings(result.importance) // [{ code: 'dominant-feature', feature: 'session_start_hour', … }]
 */
export function confoundWarnings(importance: readonly ImportanceRow[], isContext: (name: string) => boolean = isContextFeature): AuditWarning[] {
  const out: AuditWarning[] = [];
  for (const r of importance) {
    if (r.gainShare > DOMINANT_GAIN_SHARE) {
      out.push({
        code: 'dominant-feature', feature: r.feature,
        message: `${r.feature} holds ${(100 * r.gainShare).toFixed(1)}% of the total gain (> ${100 * DOMINANT_GAIN_SHARE}%): the model rests on one column; check it is behaviour, not how the data was collected`,
      });
    }
  }
  importance.slice(0, CONTEXT_TOP).forEach((r, k) => {
    if (isContext(r.feature)) {
      out.push({
        code: 'context-feature', feature: r.feature,
        message: `context feature ${r.feature} ranks #${k + 1} by gain (${(100 * r.gainShare).toFixed(1)}% of it): it says when or with what a session was recorded; compare the behaviour-only AUC`,
      });
    }
  });
  return out;
}

/** How the evaluation was run, to re-run it identically without some columns. */
export interface EvaluationRecipe {
  params?: Readonly<Record<string, unknown>>;
  /** folds; ignored when testSize or foldPlan is given */
  cv?: number;
  testSize?: number;
  foldPlan?: (rng: Rng) => FoldPlan;
  /** the seed `trainClassifier` was given (its rng draws the plan first, then forks the evaluation rng) */
  seed: number;
  validationFraction?: number;
  workers?: number;
}

export interface BehaviourOnly {
  /** out-of-fold ROC-AUC without the context columns; null when no column is left or a class is missing */
  auc: number | null;
  /** the matrix columns left out */
  excluded: string[];
  features: number;
  note: string;
}

/**
 * X without the columns `drop` marks.
 * @example dropColumns(X, X.featureNames.map(isContextFeature))
 */
export function dropColumns(X: FeatureMatrix, drop: readonly boolean[]): FeatureMatrix {
  const keep = X.featureNames.map((_, j) => j).filter((j) => !drop[j]);
  const values = new Float64Array(X.nRows * keep.length);
  for (let r = 0; r < X.nRows; r++) for (let k = 0; k < keep.length; k++) values[r * keep.length + k] = X.values[r * X.nCols + keep[k]!]!;
  return { nRows: X.nRows, nCols: keep.length, values, featureNames: keep.map((j) => X.featureNames[j]!) };
}

/**
 * The evaluation AUC of `recipe` with the context columns of X left out, on the same folds and seeds as
 * `trainClassifier` with that recipe. `fullAuc` is returned as is when X has no context column.
 * @example const b = await behaviourOnlyAuc(X, y, { cv: 5, seed: 42 }, result.evaluation.metrics.rocAuc)
 */
export async function behaviourOnlyAuc(
  X: FeatureMatrix, y: Uint8Array, recipe: EvaluationRecipe, fullAuc: number, isContext: (name: string) => boolean = isContextFeature,
): Promise<BehaviourOnly> {
  const drop = X.featureNames.map(isContext);
  const excluded = X.featureNames.filter((_, j) => drop[j]);
  if (excluded.length === 0) return { auc: fullAuc, excluded, features: X.nCols, note: 'no context feature among the model inputs: the full AUC' };
  if (excluded.length === X.nCols) return { auc: null, excluded, features: 0, note: 'every model input is a context feature' };
  const Xb = dropColumns(X, drop);
  const base: Record<string, unknown> = { ...resolveParams({ base_score: prevalenceBaseScore(y), ...(recipe.params ?? {}) }) }; // as trainClassifier resolves them
  const rng = createRng(recipe.seed);
  const validationFraction = recipe.validationFraction ?? DEFAULT_VALIDATION_FRACTION;
  const plan = recipe.foldPlan !== undefined ? recipe.foldPlan(rng) : recipe.testSize !== undefined ? holdoutPlan(y, recipe.testSize, rng) : planFolds(y, recipe.cv ?? 5, rng);
  const evalRng = rng.fork();
  const note = `same ${plan.scheme} folds and seeds as the full evaluation, ${excluded.length} context column${excluded.length > 1 ? 's' : ''} left out`;
  if (plan.scheme === 'holdout') {
    const fold = holdoutFold(plan);
    const { result } = fitWithValidation(Xb, y, fold.train, base, { rng: evalRng, validationFraction });
    return { auc: rocAuc(takeLabels(y, fold.test), predictBooster(result.model, takeRows(Xb, fold.test))), excluded, features: Xb.nCols, note };
  }
  const run = await crossValidate(Xb, y, plan, base, { rng: evalRng, validationFraction, workers: recipe.workers ?? 1 });
  return { auc: rocAuc(y, run.oof), excluded, features: Xb.nCols, note };
}
