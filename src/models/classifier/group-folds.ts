/**
 * Grouped evaluation (docs/classifier.md, `--group-by`): folds that never put one group (a site, a day)
 * on both sides, so the CV AUC measures transfer to unseen groups; per-group metrics of held-out
 * predictions; and the plan of a leave-one-group-out table.
 */
import { UsageError } from '../../errors.js';
import type { Rng } from '../../stats/rng.js';
import type { Fold, FoldPlan } from './folds.js';

/** Groups of the rows: code per row into `names`; a null group value is the group "(null)". */
export interface RowGroups {
  codes: Int32Array;
  names: string[];
}

/** Leave-one-group-out fits one model per group; beyond this many groups it is skipped (with a note). */
export const MAX_LOGO_GROUPS = 50;

/**
 * Per-row group codes from any column's values (null → the group "(null)"), groups in first-seen order.
 * @example rowGroups(['a', null, 'a']) // { codes: [0, 1, 0], names: ['a', '(null)'] }
 */
export function rowGroups(values: readonly (string | null)[]): RowGroups {
  const index = new Map<string, number>();
  const names: string[] = [];
  const codes = Int32Array.from(values, (v) => {
    const key = v ?? '(null)';
    let c = index.get(key);
    if (c === undefined) index.set(key, (c = names.push(key) - 1));
    return c;
  });
  return { codes, names };
}

function shuffled(a: number[], rng: Rng): number[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!; a[i] = a[j]!; a[j] = t;
  }
  return a;
}

function std(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i]!;
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2;
  return Math.sqrt(s / v.length);
}

/**
 * Stratified group k-fold (scikit-learn's StratifiedGroupKFold with shuffle): groups in random order, then
 * those with the most uneven class counts first, each into the fold where the spread of the per-class fold
 * shares stays smallest (ties: the fold with fewer rows). Every row of a group lands in the same fold.
 * @example planGroupFolds(y, rowGroups(sites).codes, 5, createRng(42)).folds.length // 5
 */
export function planGroupFolds(y: Uint8Array, groups: Int32Array, k: number, rng: Rng): FoldPlan {
  if (!(Number.isInteger(k) && k >= 2)) throw new UsageError(`--cv must be an integer >= 2 with --group-by, got ${k}`);
  let nGroups = 0;
  for (const g of groups) nGroups = Math.max(nGroups, g + 1);
  if (nGroups < k) throw new UsageError(`--group-by gives ${nGroups} group${nGroups === 1 ? '' : 's'}, fewer than --cv ${k}: lower --cv to at most ${nGroups}`);
  const counts = Array.from({ length: nGroups }, () => new Float64Array(2));
  const classTotal = new Float64Array(2);
  for (let i = 0; i < y.length; i++) {
    counts[groups[i]!]![y[i]!]!++;
    classTotal[y[i]!]!++;
  }
  if (classTotal[0] === 0 || classTotal[1] === 0) throw new UsageError('cross-validation needs both classes in the labels');
  const order = shuffled(Array.from({ length: nGroups }, (_, g) => g), rng);
  const spread = order.map((g) => std(counts[g]!));
  const sorted = order.map((g, i) => ({ g, s: spread[i]! })).sort((a, b) => b.s - a.s).map((e) => e.g); // stable: ties keep the shuffle
  const foldCounts = Array.from({ length: k }, () => new Float64Array(2));
  const foldRows = new Float64Array(k);
  const foldOf = new Int32Array(nGroups);
  for (const g of sorted) {
    let best = -1, bestEval = Infinity;
    for (let f = 0; f < k; f++) {
      foldCounts[f]![0]! += counts[g]![0]!;
      foldCounts[f]![1]! += counts[g]![1]!;
      let e = 0;
      for (let c = 0; c < 2; c++) e += std(foldCounts.map((fc) => fc[c]! / classTotal[c]!));
      e /= 2;
      foldCounts[f]![0]! -= counts[g]![0]!;
      foldCounts[f]![1]! -= counts[g]![1]!;
      if (e < bestEval - 1e-12 || (Math.abs(e - bestEval) <= 1e-12 && foldRows[f]! < foldRows[best]!)) {
        best = f;
        bestEval = e;
      }
    }
    foldOf[g] = best;
    foldCounts[best]![0]! += counts[g]![0]!;
    foldCounts[best]![1]! += counts[g]![1]!;
    foldRows[best]! += counts[g]![0]! + counts[g]![1]!;
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test: number[] = [], train: number[] = [];
    for (let i = 0; i < y.length; i++) (foldOf[groups[i]!] === f ? test : train).push(i);
    folds.push({ repeat: 0, fold: f, train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return { scheme: 'stratified-group-k-fold', k, repeats: 1, folds };
}

/**
 * One fold per group: train on every other group, test on it.
 * @example leaveOneGroupOutPlan(rowGroups(sites).codes).folds[0].test // the rows of the first group
 */
export function leaveOneGroupOutPlan(groups: Int32Array): FoldPlan {
  let nGroups = 0;
  for (const g of groups) nGroups = Math.max(nGroups, g + 1);
  const folds: Fold[] = [];
  for (let g = 0; g < nGroups; g++) {
    const test: number[] = [], train: number[] = [];
    for (let i = 0; i < groups.length; i++) (groups[i] === g ? test : train).push(i);
    folds.push({ repeat: 0, fold: g, train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return { scheme: 'leave-one-group-out', k: nGroups, repeats: 1, folds };
}
