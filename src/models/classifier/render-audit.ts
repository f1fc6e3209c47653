/**
 * Text of the confound audit and the grouped evaluation (docs/classifier.md), for the commands.
 */
import { fmt, renderKeyValues, renderTable, type Cell } from '../../report/table.js';
import type { ClassifierAudit } from './audit-run.js';
import type { AuditWarning } from './confound-audit.js';
import type { GroupMetrics } from './group-metrics.js';

/**
 * One line per warning, for stderr and the top of the report.
 * @example for (const line of auditWarningLines(audit.warnings)) warn(line);
 */
export function auditWarningLines(warnings: readonly AuditWarning[]): string[] {
  return warnings.map((w) => `CONFOUND (${w.code}): ${w.message}`);
}

/** A per-group metrics table, groups in name order. */
export function renderGroupMetrics(rows: readonly GroupMetrics[], head: string): string {
  return renderTable([head, 'rows', 'positive', 'ROC-AUC', 'flagged', 'recall', 'specificity', 'precision'],
    [...rows].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0)).map((r): Cell[] => [r.group, r.n, r.positives, r.auc, r.flagged, r.recall, r.specificity, r.precision]));
}

/**
 * The audit block: warnings, full vs behaviour-only AUC, per-group and leave-one-group-out tables, recall by column.
 * @example process.stdout.write(renderAudit(audit));
 */
export function renderAudit(a: ClassifierAudit): string {
  const out: string[] = [];
  if (a.behaviourOnly !== null) {
    const b = a.behaviourOnly;
    out.push(`confound audit\n${renderKeyValues([
      ['ROC-AUC, all features', b.fullAuc],
      ['ROC-AUC, behaviour only', b.auc === null ? `– (${b.note})` : fmt(b.auc)],
      ['context features left out', b.excluded.length === 0 ? 'none' : b.excluded.join(', ')],
      ['how', b.note],
      ['warnings', a.warnings.length === 0 ? 'none' : a.warnings.map((w) => `${w.code}: ${w.feature}`).join('; ')],
    ])}`);
  } else if (a.warnings.length > 0) out.push(`confound audit\n${auditWarningLines(a.warnings).join('\n')}`);
  if (a.grouped !== null) {
    const g = a.grouped;
    out.push(`held-out metrics per ${g.column} (${g.groups} groups, no group on both sides of a fold)\n${renderGroupMetrics(g.perGroup, g.column)}`);
    const l = g.leaveOneGroupOut;
    out.push(l.skipped !== null
      ? `leave-one-${g.column}-out: skipped (${l.skipped})`
      : `leave-one-${g.column}-out (each row: fitted on all other groups; pooled ROC-AUC ${fmt(l.pooledAuc)})\n${renderGroupMetrics(l.rows, g.column)}`);
  }
  for (const r of a.recallBy) out.push(`recall by ${r.column} at the chosen threshold (held-out predictions)\n${renderGroupMetrics(r.rows, r.column)}`);
  return out.join('\n\n');
}
