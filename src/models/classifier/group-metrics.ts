/**
 * Metrics broken down by a column's values (docs/classifier.md): per group of `--group-by` (AUC, recall,
 * specificity, precision at the chosen threshold over the held-out predictions), the leave-one-group-out
 * table, and recall per pass-through label (`--recall-by kind`: which bot types the detector catches).
 */
import { rocAuc } from '../../stats/roc.js';
import { createRng } from '../../stats/rng.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { resolveParams } from '../gbdt/params.js';
import { crossValidate } from './cross-validate.js';
import { leaveOneGroupOutPlan, MAX_LOGO_GROUPS, type RowGroups } from './group-folds.js';

export interface GroupMetrics {
  group: string;
  n: number;
  positives: number;
  negatives: number;
  /** ROC-AUC within the group; null when it holds one class only */
  auc: number | null;
  /** rows with p ≥ threshold */
  flagged: number;
  /** flagged positives / positives; null without positives */
  recall: number | null;
  /** unflagged negatives / negatives; null without negatives */
  specificity: number | null;
  /** flagged positives / flagged; null when nothing is flagged */
  precision: number | null;
}

/**
 * Metrics of each group at `threshold` (a row is flagged when p ≥ threshold); rows with a NaN p are skipped.
 * @example metricsByGroup(y, oof, rowGroups(sites), 0.5)[0].recall
 */
export function metricsByGroup(y: ArrayLike<number>, p: ArrayLike<number>, groups: RowGroups, threshold: number): GroupMetrics[] {
  const members = groups.names.map((): number[] => []);
  for (let i = 0; i < y.length; i++) if (p[i] === p[i]) members[groups.codes[i]!]!.push(i);
  return groups.names.map((group, g) => {
    const rows = members[g]!;
    let positives = 0, flagged = 0, tp = 0, tn = 0;
    for (const i of rows) {
      const pos = y[i] === 1, flag = p[i]! >= threshold;
      if (pos) positives++;
      if (flag) flagged++;
      if (pos && flag) tp++;
      if (!pos && !flag) tn++;
    }
    const negatives = rows.length - positives;
    const auc = positives > 0 && negatives > 0 ? rocAuc(rows.map((i) => y[i]!), rows.map((i) => p[i]!)) : null;
    return {
      group, n: rows.length, positives, negatives, auc, flagged,
      recall: positives > 0 ? tp / positives : null, specificity: negatives > 0 ? tn / negatives : null, precision: flagged > 0 ? tp / flagged : null,
    };
  }).filter((r) => r.n > 0);
}

export interface LeaveOneGroupOut {
  /** one row per held-out group: a model fitted on all other groups, tested on it */
  rows: GroupMetrics[];
  /** AUC of all held-out predictions pooled; null when skipped */
  pooledAuc: number | null;
  /** why the table was not computed */
  skipped: string | null;
}

/**
 * Fit on all groups but one, test on it, for every group (seeds from `seed`, as in cross-validation).
 * @example const t = await leaveOneGroupOut(X, y, rowGroups(sites), { seed: 42 }, 0.5); t.rows[0].auc
 */
export async function leaveOneGroupOut(
  X: FeatureMatrix, y: Uint8Array, groups: RowGroups, recipe: { params?: Readonly<Record<string, unknown>>; seed: number; workers?: number }, threshold: number,
): Promise<LeaveOneGroupOut> {
  if (groups.names.length > MAX_LOGO_GROUPS) return { rows: [], pooledAuc: null, skipped: `${groups.names.length} groups (more than ${MAX_LOGO_GROUPS}): one fit per group is too many` };
  if (groups.names.length < 2) return { rows: [], pooledAuc: null, skipped: 'one group only' };
  const base: Record<string, unknown> = { ...resolveParams(recipe.params ?? {}) };
  const run = await crossValidate(X, y, leaveOneGroupOutPlan(groups.codes), base, { rng: createRng(recipe.seed).fork(), workers: recipe.workers ?? 1 });
  return { rows: metricsByGroup(y, run.oof, groups, threshold), pooledAuc: rocAuc(y, run.oof), skipped: null };
}
