/**
 * Text rendering of classifier results for the commands (tables via src/report/table.ts): metrics with
 * the AUC interval, the confusion matrix, calibration, importance and the leakage audit.
 */
import { fmt, renderKeyValues, renderTable, type Cell } from '../../report/table.js';
import type { ImportanceRow } from './importance-table.js';
import type { LeakageAudit } from './leakage.js';
import type { BinaryMetrics } from './metrics.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');

/**
 * Metrics, confusion matrix and calibration as three tables.
 * @example process.stdout.write(renderMetrics(result.evaluation.metrics, 'out-of-fold, 5-fold CV'));
 */
export function renderMetrics(m: BinaryMetrics, basis: string): string {
  const ci = m.rocAucCi;
  const summary = renderKeyValues([
    ['evaluated on', `${basis}: ${fmt(m.n)} rows (${fmt(m.positives)} positive)`],
    ['ROC-AUC (95% CI, DeLong)', `${fmt(m.rocAuc)} (${fmt(ci.lower)} – ${fmt(ci.upper)})`],
    ['PR-AUC (average precision)', m.prAuc],
    ['precision at 80% recall', `${fmt(m.precisionAtRecall.precision)} (threshold ${fmt(m.precisionAtRecall.threshold)})`],
    ['Brier score', m.brier],
    ['threshold', `${fmt(m.threshold.value)} (${/^[a-z]/.test(m.threshold.rule) ? `max ${m.threshold.rule === 'f1' ? 'F1' : "Youden's J"}` : 'fixed'})`],
    ['accuracy', m.accuracy], ['precision', m.precision], ['recall (sensitivity)', m.recall], ['specificity', m.specificity], ['F1', m.f1],
    ['calibration error (ECE)', m.calibration.ece],
  ]);
  const c = m.confusion;
  const confusion = renderTable(['', 'predicted positive', 'predicted negative'], [
    ['actual positive', c.tp, c.fn], ['actual negative', c.fp, c.tn],
  ]);
  const calibration = renderTable(['probability bin', 'rows', 'mean predicted', 'observed positive'],
    m.calibration.bins.map((b): Cell[] => [`${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`, b.count, Number.isFinite(b.meanPredicted) ? b.meanPredicted : null, Number.isFinite(b.fractionPositive) ? b.fractionPositive : null]));
  return `${summary}\n\nconfusion matrix at threshold ${fmt(m.threshold.value)}\n${confusion}\n\ncalibration (10 bins)\n${calibration}`;
}

/**
 * The importance table (gain, cover, weight, share of total gain).
 * @example renderImportance(result.importance.slice(0, 20));
 */
export function renderImportance(rows: ImportanceRow[]): string {
  return renderTable(['feature', 'gain', 'cover', 'weight (splits)', 'share of gain'], rows.map((r) => [r.feature, r.gain, r.cover, r.weight, pct(r.gainShare)]));
}

/**
 * The most separating features of the audit (flagged ones always shown, marked).
 * @example renderLeakage(result.leakage, 10);
 */
export function renderLeakage(a: LeakageAudit, top = 10): string {
  const shown = a.features.filter((f, i) => i < top || f.flagged);
  return renderTable(['feature', 'single-feature AUC', 'max(AUC, 1−AUC)', 'missing', `≥ ${a.threshold}`],
    shown.map((f) => [f.feature, f.auc, f.separation, pct(f.missing), f.flagged ? 'LEAK?' : '']));
}

/**
 * One loud line per flagged feature, for stderr (shown even with --quiet).
 * @example for (const line of leakageWarnings(result.leakage)) warn(line);
 */
export function leakageWarnings(a: LeakageAudit): string[] {
  return a.features.filter((f) => f.flagged).map((f) =>
    `LEAKAGE: '${f.feature}' alone separates the classes (single-feature AUC ${fmt(f.auc)}, max(AUC, 1−AUC) = ${fmt(f.separation)} ≥ ${a.threshold}). `
    + `A model leaning on it learns how the label was made, not behaviour; --exclude it unless it is honestly available when scoring.`);
}
