/**
 * What `train-classifier`, `evaluate` and the pipeline add after fitting (docs/classifier.md): the confound
 * audit (warnings and the behaviour-only AUC), the grouped evaluation of `--group-by` (per-group metrics
 * and a leave-one-group-out table) and recall per pass-through column (`--recall-by`).
 */
import { UsageError } from '../../errors.js';
import { dictValue } from '../../io/arrow-columns.js';
import type { DataTable } from '../dataset/data-table.js';
import { NEVER_FEATURES } from '../dataset/encoding.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { behaviourOnlyAuc, confoundWarnings, type AuditWarning, type BehaviourOnly, type EvaluationRecipe } from './confound-audit.js';
import { rowGroups, type RowGroups } from './group-folds.js';
import { leaveOneGroupOut, metricsByGroup, type GroupMetrics, type LeaveOneGroupOut } from './group-metrics.js';
import type { ClassifierResult } from './train-classifier.js';

export interface GroupedEvaluation {
  column: string;
  groups: number;
  /** metrics of the held-out (grouped CV) predictions within each group */
  perGroup: GroupMetrics[];
  leaveOneGroupOut: LeaveOneGroupOut;
}

export interface ClassifierAudit {
  warnings: AuditWarning[];
  /** the evaluation AUC and the same evaluation without context features; null without an evaluation */
  behaviourOnly: (BehaviourOnly & { fullAuc: number }) | null;
  grouped: GroupedEvaluation | null;
  recallBy: { column: string; rows: GroupMetrics[] }[];
}

/**
 * A column's values on `rows` as group names (numbers as text, null kept); UsageError when the table lacks it.
 * @example columnGroups(table, 'site', data.rows)
 */
export function columnGroups(t: DataTable, name: string, rows: Int32Array, flag: string): RowGroups {
  const c = t.columns.find((x) => x.name === name);
  if (c === undefined) throw new UsageError(`${flag} ${name}: the data has no column '${name}' (columns: ${t.columns.map((x) => x.name).join(', ')})`);
  const values = Array.from(rows, (r): string | null => {
    if (c.kind === 'category') return dictValue(c, r);
    const v = c.values[r]!;
    return v !== v ? null : c.boolean ? String(v === 1) : String(v);
  });
  return rowGroups(values);
}

/**
 * Columns to leave out of the features because they split or break down the evaluation.
 * @example withBreakdownExcluded(['is_headless'], 'site', ['kind']) // ['is_headless', 'kind'] (site is never a feature)
 */
export function withBreakdownExcluded(exclude: readonly string[], groupBy: string | undefined, recallBy: readonly string[], t: DataTable): string[] {
  const out = [...exclude];
  for (const c of [...(groupBy !== undefined ? [groupBy] : []), ...recallBy]) {
    if (!NEVER_FEATURES.includes(c) && !out.includes(c) && t.columns.some((x) => x.name === c)) out.push(c);
  }
  return out;
}

/**
 * Audit a trained classifier and break its evaluation down.
 * @example const audit = await auditClassifier(d.X, d.y, result, { recipe: { cv: 5, seed: 42 }, groups: null, recallBy: [] })
 */
export async function auditClassifier(
  X: FeatureMatrix, y: Uint8Array, result: ClassifierResult,
  opts: { recipe: EvaluationRecipe; groups: { column: string; groups: RowGroups } | null; recallBy: { column: string; groups: RowGroups }[] },
): Promise<ClassifierAudit> {
  const warnings = confoundWarnings(result.importance);
  const e = result.evaluation;
  if (e === null) return { warnings, behaviourOnly: null, grouped: null, recallBy: [] };
  const fullAuc = e.metrics.rocAuc;
  const behaviour = await behaviourOnlyAuc(X, y, opts.recipe, fullAuc);
  const t = result.threshold.value;
  let grouped: GroupedEvaluation | null = null;
  if (opts.groups !== null) {
    const g = opts.groups;
    grouped = {
      column: g.column, groups: g.groups.names.length, perGroup: metricsByGroup(y, e.predictions, g.groups, t),
      leaveOneGroupOut: await leaveOneGroupOut(X, y, g.groups, { ...(opts.recipe.params ? { params: opts.recipe.params } : {}), seed: opts.recipe.seed, workers: opts.recipe.workers ?? 1 }, t),
    };
  }
  const recallBy = opts.recallBy.map((r) => ({ column: r.column, rows: metricsByGroup(y, e.predictions, r.groups, t) }));
  return { warnings, behaviourOnly: { ...behaviour, fullAuc }, grouped, recallBy };
}
