/**
 * Human output of `distill` on stdout: a summary (teacher, split, student, fidelity, revenue) and the
 * rules table, one row per leaf in the order of rules.txt.
 */
import { formatNumber } from '../models/cart/index.js';
import { fmt, renderKeyValues, renderTable, type Cell } from '../report/table.js';
import type { RulesDocument } from './rules-document.js';
import type { RevenueLine } from './revenue.js';

const pct = (x: number | null): string => (x === null ? '–' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}%`);

function revenueCell(r: RevenueLine): string {
  return `${fmt(r.baseRevenue)} → teacher ${fmt(r.teacherRevenue)} (${pct(r.teacherChange)}), rules ${fmt(r.studentRevenue)} (${pct(r.studentChange)})`;
}

/** The summary key/value table. @example process.stdout.write(renderDistillSummary(run.document)) */
export function renderDistillSummary(doc: RulesDocument): string {
  const t = doc.teacher;
  const teacher = t.kind === 'markup'
    ? `${t.formula} (a ${t.coefficients!.a}, b ${t.coefficients!.b}, lo ${t.coefficients!.lo}, hi ${t.coefficients!.hi})`
    : t.kind === 'tiers' ? `tiers of ${t.target}: ${doc.tiers!.map((x) => `${x.minScore ?? '-inf'}→${x.markup}`).join(', ')}` : t.target;
  const p = t.pPurchase;
  const pairs: [string, Cell][] = [
    ['teacher', teacher],
    ['p_agent', t.pAgent ? `${t.pAgent.path}${t.pAgent.calibration !== 'none' ? ` (calibrated: ${t.pAgent.calibration})` : ''}` : '–'],
  ];
  if (p !== null) pairs.push(['p_purchase', p.source === 'model' ? p.path : p.source === 'fitted' ? `booster fitted on purchased (${p.rounds} rounds${p.excluded.length > 0 ? `, without ${p.excluded.join(', ')}` : ''})` : `0 (${p.reason})`]);
  const h = doc.fidelity.heldOut, tr = doc.fidelity.train;
  const fidelity = (f: typeof tr) => (doc.mode === 'tiers' ? `accuracy ${fmt(f.accuracy ?? null)}, markup MAE ${fmt(f.mae)}` : `R² ${fmt(f.r2)}, MAE ${fmt(f.mae)}`);
  pairs.push(
    ['sessions (train / held out)', `${doc.split.trainRows.toLocaleString('en-US')} / ${doc.split.testRows.toLocaleString('en-US')}`],
    ['student', `${doc.mode === 'tiers' ? 'classification (gini)' : 'regression (squared error)'}, depth ${doc.student.depth}, ${doc.student.leaves} rules, min-samples-leaf ${doc.student.minSamplesLeaf.used}`],
    ['fidelity, held out', h === null ? '– (no held-out sessions)' : fidelity(h)],
    ['fidelity, training', fidelity(tr)],
  );
  if (doc.revenue !== null) {
    const r = doc.revenue;
    pairs.push([`revenue, ${r.label} (${r.priceColumn}, ${r.basis})`, revenueCell(r)]);
    if (r.byClass) pairs.push(['  human sessions', revenueCell(r.byClass.human)], ['  agent sessions', revenueCell(r.byClass.agent)]);
  }
  const g = doc.humanSafe;
  if (g) {
    const u = g.unguarded, h = g.heldOutCheck;
    const score = (x: number | null) => `${doc.mode === 'tiers' ? 'accuracy' : 'R²'} ${fmt(x)}`;
    const grown = g.method === 'guard' ? `${g.guardedRules.training + g.guardedRules.table} rules grown (${g.guardedRules.table} in the table pass), ` : '';
    pairs.push([`human-safe (p_agent < ${g.maxPAgent} → markup <= ${g.maxMarkup})`,
      `${g.clearSessions.toLocaleString('en-US')} clear sessions, max markup ${fmt(g.maxClearMarkup)}; ${grown}${g.cappedLeaves.length} rules at the bound (${g.repricedSessions.toLocaleString('en-US')} sessions)`]);
    if (h !== null) pairs.push(['  held-out check (training pass)', `${h.overBound} of ${h.clearSessions.toLocaleString('en-US')} clear sessions over ${g.maxMarkup} (max ${fmt(h.maxClearMarkup)}), R² ${fmt(h.r2)}`]);
    pairs.push(['  without it', `${u.rules} rules, held out ${score(u.heldOut)}; ${u.clearOverBound.toLocaleString('en-US')} clear sessions over ${g.maxMarkup} (max ${fmt(u.maxClearMarkup)})`]);
    if (g.revenueCost !== null) {
      const c = g.revenueCost;
      pairs.push(['  rules revenue, with it / without it', `${fmt(c.total.guaranteedRules)} / ${fmt(c.total.fittedRules)}${c.agent ? ` (agents ${fmt(c.agent.guaranteedRules)} / ${fmt(c.agent.fittedRules)})` : ''}, ${c.label}`]);
    }
  }
  pairs.push(['seed', doc.seeds.seed]);
  return renderKeyValues(pairs);
}

/** One row per rule: markup, coverage, p_agent and the conditions joined with AND. @example renderRulesTable(run.document) */
export function renderRulesTable(doc: RulesDocument): string {
  const d = doc.text.decimals;
  const rows = doc.rules.map((r): Cell[] => [
    r.rule, formatNumber(r.markup, d), r.sessions, r.samples, r.meanPAgent === null ? '–' : formatNumber(r.meanPAgent, 3),
    r.conditions.map((c) => `${c.feature} ${c.op} ${formatNumber(c.threshold, d)}${c.orMissing ? ' (or missing)' : ''}`).join(' AND ') || '(all sessions)',
  ]);
  return renderTable(['rule', 'markup', 'sessions', 'train', 'p_agent', 'conditions'], rows);
}
