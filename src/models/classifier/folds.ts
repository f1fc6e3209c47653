/**
 * Which rows train and which evaluate: stratified k-fold (repeated for small n), leave-one-out when a
 * class has fewer than k members, a stratified holdout for --test-size, and the validation split carved
 * out of a training part for early stopping. Plans depend only on the labels and the RNG.
 */
import { UsageError } from '../../errors.js';
import type { Rng } from '../../stats/rng.js';

export type CvScheme = 'stratified-k-fold' | 'leave-one-out' | 'holdout' | 'stratified-group-k-fold' | 'leave-one-group-out';

export interface Fold {
  repeat: number;
  fold: number;
  /** ascending row ids */
  train: Int32Array;
  test: Int32Array;
}

export interface FoldPlan {
  scheme: CvScheme;
  /** folds per repeat (n for leave-one-out, 1 for holdout) */
  k: number;
  repeats: number;
  folds: Fold[];
}

/** Leave-one-out fits one model per row; beyond this many rows that is refused. */
export const MAX_LEAVE_ONE_OUT_ROWS = 2000;

/** Repeats of k-fold so that about 1,000 out-of-fold predictions are made (at most 10). */
export function repeatsFor(n: number): number {
  return Math.min(10, Math.max(1, Math.ceil(1000 / n)));
}

function shuffled(rows: number[], rng: Rng): number[] {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = rows[i]!; rows[i] = rows[j]!; rows[j] = t;
  }
  return rows;
}

function byClass(y: Uint8Array, rows?: ArrayLike<number>): [number[], number[]] {
  const out: [number[], number[]] = [[], []];
  const n = rows ? rows.length : y.length;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k]! : k;
    out[y[i]!]!.push(i);
  }
  return out;
}

const sortedIds = (a: number[]): Int32Array => Int32Array.from(a).sort();

/**
 * Cross-validation folds for labels y (0/1).
 * @example planFolds(y, 5, createRng(42)).folds.length; // 5 × repeats
 */
export function planFolds(y: Uint8Array, k: number, rng: Rng): FoldPlan {
  const n = y.length;
  const classes = byClass(y);
  const smallest = Math.min(classes[0].length, classes[1].length);
  if (smallest === 0) throw new UsageError('cross-validation needs both classes in the labels');
  if (!(Number.isInteger(k) && k >= 2)) throw new UsageError(`--cv must be 0 or an integer >= 2, got ${k}`);
  if (smallest < k) {
    if (n > MAX_LEAVE_ONE_OUT_ROWS) {
      throw new UsageError(`a class has only ${smallest} rows (fewer than --cv ${k}), which calls for leave-one-out, but ${n.toLocaleString('en-US')} rows would mean ${n.toLocaleString('en-US')} fits; label more rows of that class, lower --cv, or use --cv 0`);
    }
    const folds = Array.from({ length: n }, (_, i): Fold => ({
      repeat: 0, fold: i, test: Int32Array.of(i), train: Int32Array.from({ length: n - 1 }, (_, j) => (j < i ? j : j + 1)),
    }));
    return { scheme: 'leave-one-out', k: n, repeats: 1, folds };
  }
  const repeats = repeatsFor(n);
  const folds: Fold[] = [];
  const assign = new Int32Array(n);
  for (let r = 0; r < repeats; r++) {
    let slot = 0;
    for (const members of classes) for (const i of shuffled([...members], rng)) assign[i] = slot++ % k;
    for (let f = 0; f < k; f++) {
      const test: number[] = [], train: number[] = [];
      for (let i = 0; i < n; i++) (assign[i] === f ? test : train).push(i);
      folds.push({ repeat: r, fold: f, train: Int32Array.from(train), test: Int32Array.from(test) });
    }
  }
  return { scheme: 'stratified-k-fold', k, repeats, folds };
}

/**
 * One stratified train/test split holding out `testSize` of each class.
 * @example holdoutPlan(y, 0.2, createRng(42)).folds[0].test;
 */
export function holdoutPlan(y: Uint8Array, testSize: number, rng: Rng): FoldPlan {
  if (!(testSize > 0 && testSize < 1)) throw new UsageError(`--test-size must lie in (0, 1), got ${testSize}`);
  const split = stratifiedSplit(Int32Array.from({ length: y.length }, (_, i) => i), y, testSize, rng);
  if (split === null) throw new UsageError('--test-size needs at least 2 rows of each class');
  return { scheme: 'holdout', k: 1, repeats: 1, folds: [{ repeat: 0, fold: 0, train: split.rest, test: split.part }] };
}

/**
 * Split `rows` into a stratified part of about `fraction` of each class (at least one row of each) and the
 * rest; null when a class has fewer than two rows there.
 * @example const v = stratifiedSplit(fold.train, y, 0.2, rng); // v.part = validation, v.rest = fit rows
 */
export function stratifiedSplit(rows: Int32Array, y: Uint8Array, fraction: number, rng: Rng): { part: Int32Array; rest: Int32Array } | null {
  const classes = byClass(y, rows);
  if (classes[0].length < 2 || classes[1].length < 2) return null;
  const part: number[] = [], rest: number[] = [];
  for (const members of classes) {
    const m = shuffled([...members], rng);
    const take = Math.min(m.length - 1, Math.max(1, Math.round(fraction * m.length)));
    part.push(...m.slice(0, take));
    rest.push(...m.slice(take));
  }
  return { part: sortedIds(part), rest: sortedIds(rest) };
}

/**
 * The one fold of a holdout plan; any other plan is a programming error (an Error naming its scheme).
 * @example const { train, test } = holdoutFold(holdoutPlan(y, 0.2, rng))
 */
export function holdoutFold(plan: FoldPlan): Fold {
  const [fold] = plan.folds;
  if (plan.scheme !== 'holdout' || fold === undefined || plan.folds.length !== 1) throw new Error(`holdoutFold: a ${plan.scheme} plan of ${plan.folds.length} folds is not a holdout`);
  return fold;
}
