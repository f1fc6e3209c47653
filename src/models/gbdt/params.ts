/**
 * Booster parameters: xgboost's names (so `--param key=value` passes straight through), one DEFAULTS
 * object, resolved and validated once at fit time. Defaults follow the original study (docs/classifier.md).
 */
import { UsageError } from '../../errors.js';

/** Parameters of a binary:logistic hist booster; every field has a default in DEFAULTS. */
export interface BoosterParams {
  objective: 'binary:logistic';
  tree_method: 'hist';
  grow_policy: 'depthwise';
  /** Boosting rounds (xgboost's num_boost_round / n_estimators). */
  n_estimators: number;
  /** Learning rate (alias learning_rate). */
  eta: number;
  max_depth: number;
  min_child_weight: number;
  /** L2 regularisation on leaf weights (alias reg_lambda). */
  lambda: number;
  /** L1 regularisation on leaf weights (alias reg_alpha). */
  alpha: number;
  /** Minimum loss reduction to keep a split (alias min_split_loss). */
  gamma: number;
  max_delta_step: number;
  subsample: number;
  colsample_bytree: number;
  max_bin: number;
  /** Weight of positive rows (default 1, as xgboost: other weights shift the probabilities); 'auto' = n_negative / n_positive of the training rows (1 if a class is absent). */
  scale_pos_weight: number | 'auto';
  base_score: number;
  /** Rounds without AUC improvement on the eval set before stopping (used only when an eval set is given). */
  early_stopping_rounds: number;
}

/** The one definition of every default. */
export const DEFAULTS: Readonly<BoosterParams> = Object.freeze({
  objective: 'binary:logistic',
  tree_method: 'hist',
  grow_policy: 'depthwise',
  n_estimators: 200,
  eta: 0.05,
  max_depth: 6,
  min_child_weight: 1,
  lambda: 1,
  alpha: 0,
  gamma: 0,
  max_delta_step: 0,
  subsample: 1,
  colsample_bytree: 1,
  max_bin: 256,
  scale_pos_weight: 1,
  base_score: 0.5,
  early_stopping_rounds: 20,
});

const ALIASES: Readonly<Record<string, keyof BoosterParams>> = {
  learning_rate: 'eta', reg_lambda: 'lambda', reg_alpha: 'alpha', min_split_loss: 'gamma',
  num_boost_round: 'n_estimators', num_round: 'n_estimators',
};

type Check = (v: number) => boolean;
const RANGES: Readonly<Partial<Record<keyof BoosterParams, [Check, string]>>> = {
  n_estimators: [(v) => Number.isInteger(v) && v >= 1, 'an integer >= 1'],
  eta: [(v) => v > 0, '> 0'],
  max_depth: [(v) => Number.isInteger(v) && v >= 1 && v <= 30, 'an integer in [1, 30]'],
  min_child_weight: [(v) => v >= 0, '>= 0'],
  lambda: [(v) => v >= 0, '>= 0'],
  alpha: [(v) => v >= 0, '>= 0'],
  gamma: [(v) => v >= 0, '>= 0'],
  max_delta_step: [(v) => v >= 0, '>= 0'],
  subsample: [(v) => v > 0 && v <= 1, 'in (0, 1]'],
  colsample_bytree: [(v) => v > 0 && v <= 1, 'in (0, 1]'],
  max_bin: [(v) => Number.isInteger(v) && v >= 2 && v <= 65535, 'an integer in [2, 65535]'],
  scale_pos_weight: [(v) => v > 0, "> 0 or 'auto'"],
  base_score: [(v) => v > 0 && v < 1, 'in (0, 1) for binary:logistic'],
  early_stopping_rounds: [(v) => Number.isInteger(v) && v >= 1, 'an integer >= 1'],
};

const FIXED: Readonly<Record<string, string>> = {
  objective: 'binary:logistic', tree_method: 'hist', grow_policy: 'depthwise',
};

/**
 * Merge user parameters over DEFAULTS, accepting xgboost aliases and numeric strings (as given on a
 * command line). Reports every problem at once as one UsageError.
 * @example resolveParams({ learning_rate: '0.1', max_depth: 4 }).eta; // 0.1
 */
export function resolveParams(user: Readonly<Record<string, unknown>> = {}): BoosterParams {
  const out: Record<string, unknown> = { ...DEFAULTS };
  const problems: string[] = [];
  for (const [rawKey, raw] of Object.entries(user)) {
    if (raw === undefined) continue;
    const key = ALIASES[rawKey] ?? rawKey;
    if (!(key in DEFAULTS)) {
      problems.push(`unknown parameter '${rawKey}' (known: ${Object.keys(DEFAULTS).join(', ')})`);
      continue;
    }
    if (key in FIXED) {
      if (raw !== FIXED[key]) problems.push(`${rawKey}: only '${FIXED[key]}' is implemented, got '${String(raw)}'`);
      continue;
    }
    if (key === 'scale_pos_weight' && raw === 'auto') { out[key] = 'auto'; continue; }
    const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    const range = RANGES[key as keyof BoosterParams];
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`${rawKey}: expected a number, got '${String(raw)}'`);
    else if (range && !range[0](v)) problems.push(`${rawKey}: must be ${range[1]}, got ${v}`);
    else out[key] = v;
  }
  if (problems.length > 0) throw new UsageError(`invalid booster parameters:\n  ${problems.join('\n  ')}`);
  return out as unknown as BoosterParams;
}
