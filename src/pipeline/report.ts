/**
 * report.html of `phantom pipeline`: headline cards, the quality gates, then one section per stage
 * (data and event mix, kernels, separability, classifier, leakage audit, distilled rules) and the
 * reproducibility facts. Every number shown comes from the same run as summary.json.
 */
import type { PipelineResult } from './run-pipeline.js';
import type { PipelineSummary } from './summary.js';
import { renderReport, type ReportSection } from '../report/html.js';
import { eventMixSvg, evaluationFigures, gapScoresSvg, importanceSvg, kernelHeatmaps, leakageSvg } from './report-figures.js';
import { fmt } from '../report/table.js';
import { absorbingChartSvg as absorbingSvg, divergenceRows } from '../report/kernels-extras.js';
import { PIPELINE_CLUSTERS } from './clickstream-stage.js';
import { formatPValue, gapAuc } from '../report/headline-numbers.js';

const pct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)}%`);
const n = (x: number): string => x.toLocaleString('en-US');

function headline(r: PipelineResult, s: PipelineSummary): Parameters<typeof renderReport>[0]['headline'] {
  const h = s.headline, sep = r.kernels.separability.test, e = r.classifier.result.evaluation, d = r.distill.run.document;
  const failed = new Set(r.gates.filter((g) => !g.passed).map((g) => g.gate));
  const sessions = h.sessions!;
  return [
    { label: 'sessions', value: n(sessions.value ?? 0), note: `${n(sessions.human as number)} human · ${n(sessions.agent as number)} agent` },
    { label: 'separability p (Mann–Whitney)', value: formatPValue(sep.pvalue, sep.z, 3), note: `AUC of the gap predicting agent ${fmt(gapAuc(sep), 3)}`, bad: failed.has('fail-if-p-above') },
    { label: 'KL(human ‖ agent)', value: fmt(r.kernels.kernels.divergence.klHumanAgent, 3), note: `split-half null p ${fmt(r.kernels.kernels.null.klHumanAgent.p, 2)}` },
    {
      label: 'classifier ROC-AUC', value: e ? fmt(e.metrics.rocAuc, 3) : '–', bad: failed.has('fail-under-auc'),
      note: e ? `95% CI ${fmt(e.metrics.rocAucCi.lower, 3)}–${fmt(e.metrics.rocAucCi.upper, 3)} (DeLong)` : 'not evaluated',
    },
    { label: 'precision at 80% recall', value: e ? fmt(e.metrics.precisionAtRecall.precision, 3) : '–', note: 'study target > 0.85' },
    ...(r.classifier.result.calibration ? [{
      label: 'calibration error (ECE)', value: fmt(r.classifier.result.calibration.after.ece, 3),
      note: `${r.classifier.result.calibration.method}, out of fold; raw booster ${fmt(r.classifier.result.calibration.before.ece, 3)}`,
    }] : []),
    {
      label: 'leakage audit', value: r.classifier.result.leakage.flagged.length === 0 ? 'clean' : `${r.classifier.result.leakage.flagged.length} flagged`,
      note: r.classifier.result.leakage.flagged.join(', ') || `no feature ≥ ${r.classifier.result.leakage.threshold} alone`, bad: r.classifier.result.leakage.flagged.length > 0,
    },
    { label: 'pricing rules', value: `${d.student.leaves} rules`, note: d.fidelity.heldOut ? `held-out R² ${fmt(d.fidelity.heldOut.r2, 3)}` : 'no holdout' },
    ...(r.gates.length > 0 ? [{ label: 'quality gates', value: failed.size === 0 ? 'passed' : `${failed.size} failed`, note: r.gates.map((g) => g.gate).join(', '), bad: failed.size > 0 }] : []),
  ];
}

/** The confound audit, first in the report: its warnings, and the AUC with and without context features. */
function confoundSection(r: PipelineResult): ReportSection {
  const a = r.classifier.audit, b = a.behaviourOnly;
  return {
    id: 'confound', title: 'Confound audit',
    lead: 'Does the classifier rest on how the data was collected (time of day, browser, user-agent flags: the context features) rather than on behaviour? The behaviour-only AUC repeats the same evaluation, same folds and seeds, without the context features (docs/classifier.md).',
    ...(a.warnings.length > 0 ? { alert: a.warnings.map((w) => `${w.code}: ${w.message}`).join(' · ') } : {}),
    tables: [{
      head: ['measure', 'value'], align: ['left', 'left'],
      rows: b === null ? [['evaluation', 'none (cv 0): no AUC to compare']] : [
        ['ROC-AUC, all features', fmt(b.fullAuc)], ['ROC-AUC, behaviour only', b.auc === null ? `– (${b.note})` : fmt(b.auc)],
        ['context features left out', b.excluded.join(', ') || 'none'], ['warnings', a.warnings.map((w) => `${w.code}: ${w.feature}`).join('; ') || 'none'],
      ],
    }],
  };
}

function gatesSection(r: PipelineResult): ReportSection[] {
  if (r.gates.length === 0) return [];
  const failed = r.gates.filter((g) => !g.passed);
  return [{
    id: 'gates', title: 'Quality gates', lead: 'The checks this run was asked to enforce; a failed gate makes phantom pipeline exit with code 4 after writing every artefact.',
    ...(failed.length > 0 ? { alert: failed.map((g) => g.reason).join(' · ') } : {}),
    tables: [{ head: ['gate', 'threshold', 'observed', 'result'], rows: r.gates.map((g) => [g.gate, String(g.threshold), Array.isArray(g.observed) ? g.observed.join(', ') || 'none' : fmt(g.observed), g.passed ? 'passed' : 'FAILED']) }],
  }];
}

function dataSection(r: PipelineResult): ReportSection {
  const x = r.export.summary, mix = r.kernels.mix;
  const rows: [string, string | number][] = [
    ['source', x.source], ['records read', x.records_read], ['events written', x.records_written], ['dead-lettered', x.dead_lettered.total],
    ['duplicates dropped', x.duplicates.total], ['unknown event names', x.unknown_events.total], ['sessions', x.sessions],
    ['events labelled agent / human / none', `${n(x.labels.agent)} / ${n(x.labels.human)} / ${n(x.labels.unlabelled)}`],
    ['first event', x.time_range.from ?? '–'], ['last event', x.time_range.to ?? '–'],
  ];
  const reasons = Object.entries(x.dead_lettered.by_reason);
  return {
    id: 'data', title: 'Data', lead: `Exported from ${x.source} into events.parquet; the event mix shows each class's share of events by name (${n(mix.totals.human)} human and ${n(mix.totals.agent)} agent events).`,
    row: true,
    tables: [{ head: ['export', 'value'], rows }, ...(reasons.length > 0 ? [{ caption: 'dead letters by reason', head: ['reason', 'records'], rows: reasons }] : [])],
    figures: [eventMixSvg(mix)],
  };
}

function kernelsSection(r: PipelineResult): ReportSection {
  const k = r.kernels.kernels, d = k.divergence, nl = k.null;
  return {
    id: 'kernels', title: 'Transition kernels',
    lead: `Markov kernels P(next | current) per class over ${k.vocabulary.length} ${k.params.state} states (${k.params.pooling} counts, smoothing α = ${k.params.smoothing}, ${k.params.weighting}-weighted divergences); p-values from a split-half null of ${nl.replicates} replicates (seed ${r.config.kernels.seed}).`,
    tables: [{ head: ['divergence', 'observed', 'null mean', 'p', 'lift'], rows: divergenceRows(d, nl) }],
    figures: kernelHeatmaps(k),
  };
}

function clickstreamSections(r: PipelineResult): ReportSection[] {
  const x = r.kernels.clickstream;
  if (!x) return [];
  const out: ReportSection[] = [];
  if (x.absorbing) {
    const classes = (['human', 'agent'] as const).filter((c) => x.absorbing![c]);
    const first = x.absorbing[classes[0]!]!;
    out.push({
      id: 'absorbing', title: 'Absorbing chains: what leads to a purchase',
      lead: `purchase_complete and <end> absorbing in each class's first-order kernel (α = ${r.kernels.kernels.params.smoothing}); P(purchase | <start>): ${classes.map((c) => `${c} ${fmt(x.absorbing![c]!.conversion, 3)}`).join(', ')}. Removal effect = share of purchases lost when the state is removed (docs/method.md §8).`,
      tables: [{ head: ['state', ...classes.flatMap((c) => [`P(purchase) ${c}`, `removal effect ${c}`])], rows: first.vocabulary.map((s, k) => [s, ...classes.flatMap((c) => [x.absorbing![c]!.purchaseProbability[k]!, x.absorbing![c]!.removalEffect[k]!])]).filter((_, k) => first.expectedSteps[k]! > 0) }],
      figures: [absorbingSvg(x.absorbing)],
    });
  }
  const cl = x.clusters;
  out.push({
    id: 'clusters', title: 'Session clusters without labels',
    lead: `A mixture of first-order Markov chains fitted by EM without the labels (k = ${cl.model.k} by BIC over ${PIPELINE_CLUSTERS.ks.join(', ')}, ${PIPELINE_CLUSTERS.restarts} restarts, seed ${r.config.kernels.seed}); adjusted Rand index vs the labels ${fmt(cl.adjustedRand, 3)} (docs/method.md §10).`,
    tables: [{ head: ['cluster', 'sessions', 'weight π', 'agent share', 'share of all agents'], rows: cl.clusters.map((c) => [c.cluster, c.sessions, c.weight, c.agentShare, c.shareOfAgents]) }],
    ...(x.absorbingSkipped ? { alert: `absorbing-chain analysis skipped: ${x.absorbingSkipped}` } : {}),
  });
  return out;
}

function separabilitySection(r: PipelineResult): ReportSection {
  const s = r.kernels.separability, t = s.test, g = s.groups;
  const row = (name: string, x: typeof g.human) => [name, x.n, x.mean, x.std1, x.median, x.iqr];
  return {
    id: 'separability', title: 'Separability of gap scores',
    lead: `Each session's own kernel against ${s.params.inSample ? 'in-sample' : 'leave-one-out'} class centroids: gap = KL(P_s‖Q_H) − KL(P_s‖Q_A), positive = agent-like; Mann–Whitney U (${t.method}, ${t.alternative}${t.continuity ? ', continuity-corrected' : ''}) of human vs agent gaps. ${s.counts.scored} of ${s.counts.sessions} sessions scored (${s.counts.tooShort} with fewer than 2 events).`,
    tables: [
      { head: ['group', 'n', 'mean', 'sd', 'median', 'IQR'], rows: [row('human', g.human), row('agent', g.agent)] },
      { head: ['test', 'value'], rows: [['AUC: gap predicts agent', gapAuc(t)], ['p', formatPValue(t.pvalue, t.z)], ['U (human)', t.statistic], ["U' (agent) = n1·n2 − U", t.statisticOther], ['P(human gap > agent gap) = U/(n1·n2)', t.effect.auc], ["rank-biserial (Cliff's δ)", t.effect.rankBiserial], ['Hodges–Lehmann shift', t.effect.hodgesLehmann]] },
    ],
    row: true,
    figures: [gapScoresSvg(s)],
  };
}

function classifierSection(r: PipelineResult, s: PipelineSummary): ReportSection {
  const c = r.classifier.result, e = c.evaluation, m = e?.metrics;
  const roc = s.headline.roc_auc!;
  return {
    id: 'classifier', title: 'Agent classifier',
    lead: `${roc.method}. ${c.rounds.final} trees in the shipped model (${c.rounds.chosenBy}); seed ${r.config.classifier.seed}.`,
    row: true,
    tables: m ? [{ head: ['metric', 'value'], rows: [
      ['ROC-AUC', m.rocAuc], ['95% CI (DeLong)', `${fmt(m.rocAucCi.lower)} – ${fmt(m.rocAucCi.upper)}`], ['PR-AUC (average precision)', m.prAuc],
      ['precision at 80% recall', m.precisionAtRecall.precision], [`threshold (${m.threshold.rule})`, m.threshold.value],
      ['accuracy', m.accuracy], ['precision', m.precision], ['recall', m.recall], ['F1', m.f1], ['specificity', m.specificity], ['Brier score', m.brier],
      ['confusion (tp / fp / tn / fn)', `${m.confusion.tp} / ${m.confusion.fp} / ${m.confusion.tn} / ${m.confusion.fn}`],
    ] }, ...(c.calibration ? [calibrationTable(c.calibration)] : [])] : [],
    figures: [...evaluationFigures(c, r.classifier.data.y), importanceSvg(c.importance)],
  };
}

/** Before/after calibration of the out-of-fold probabilities (the chosen method and every candidate). */
function calibrationTable(k: NonNullable<PipelineResult['classifier']['result']['calibration']>) {
  const row = (name: string, q: typeof k.before) => [name, q.ece, q.brier, q.logLoss, `${fmt(q.min)} – ${fmt(q.max)}`];
  return {
    caption: `calibration, out of fold (${k.folds}-fold cross-fit; chosen: ${k.method}, lowest log-loss)`, head: ['probabilities', 'ECE', 'Brier', 'log-loss', 'range'],
    rows: [row('raw booster (before)', k.before), row('Platt', k.candidates.platt), row('isotonic', k.candidates.isotonic), row(`shipped: ${k.method} (after)`, k.after)],
  };
}

function leakageSection(r: PipelineResult): ReportSection {
  const a = r.classifier.result.leakage;
  return {
    id: 'leakage', title: 'Leakage audit',
    lead: `How well each feature alone separates the classes: single-feature ROC-AUC (missing values ranked lowest); a feature at max(AUC, 1 − AUC) ≥ ${a.threshold} is flagged — a model leaning on it learns how the label was made, not behaviour.`,
    ...(a.flagged.length > 0 ? { alert: `Flagged: ${a.flagged.join(', ')}. Exclude with classifier.exclude unless honestly available when scoring.` } : {}),
    row: true,
    tables: [{ head: ['feature', 'AUC', 'max(AUC, 1 − AUC)', 'missing', 'flagged'], rows: a.features.slice(0, 15).map((f) => [f.feature, f.auc, f.separation, pct(f.missing), f.flagged ? 'yes' : '']) }],
    figures: [leakageSvg(a)],
  };
}

function rulesSection(r: PipelineResult): ReportSection {
  const d = r.distill.run.document, h = d.fidelity.heldOut, rev = d.revenue;
  const cond = (c: (typeof d.rules)[number]['conditions'][number]) => `${c.feature} ${c.op} ${fmt(c.threshold)}${c.orMissing ? ' (or missing)' : ''}`;
  return {
    id: 'rules', title: 'Distilled pricing rules',
    lead: `A CART ${d.student.criterion} tree (depth ≤ ${r.config.distill.maxDepth}, ≥ ${d.student.minSamplesLeaf.used} sessions per leaf) reproducing the teacher ${d.teacher.formula ?? d.teacher.target}${d.teacher.coefficients ? ` with a = ${d.teacher.coefficients.a}, b = ${d.teacher.coefficients.b}, lo = ${d.teacher.coefficients.lo}, hi = ${d.teacher.coefficients.hi}` : ''}; fidelity on ${h?.rows ?? 0} held-out sessions. Seed ${d.seeds.seed}.${rev ? ` Revenue impact on ${rev.basis} (${rev.priceColumn}): ${rev.assumption}.` : ''}`,
    tables: [
      { head: ['fidelity', 'R²', 'MAE', 'max |error|', 'rows'], rows: [
        ['held out', h?.r2, h?.mae, h?.maxAbsError, h?.rows], ['training', d.fidelity.train.r2, d.fidelity.train.mae, d.fidelity.train.maxAbsError, d.fidelity.train.rows],
      ] },
      ...(rev ? [{ caption: `revenue impact, ${rev.label}`, head: ['prices', 'revenue', 'change'], rows: [['base', rev.baseRevenue, '–'], ['teacher markup', rev.teacherRevenue, pct(rev.teacherChange)], ['rules', rev.studentRevenue, pct(rev.studentChange)]] }] : []),
      {
        caption: 'rules: sessions = all sessions reaching the leaf', head: ['rule', 'markup', 'sessions', 'mean p_agent', 'IF'], align: ['left', 'right', 'right', 'right', 'left'],
        rows: d.rules.map((x) => [x.rule, x.markup, x.sessions, x.meanPAgent, x.conditions.map(cond).join(' AND ')]),
      },
    ],
    row: true,
    details: { summary: 'rules.txt (the same rules as an indented IF/THEN tree; samples = training sessions)', text: r.distill.run.text },
  };
}

function reproducibilitySection(r: PipelineResult, s: PipelineSummary): ReportSection {
  return {
    id: 'reproducibility', title: 'Reproducibility',
    lead: 'Every artefact of this run, the time each stage took and the effective configuration (phantom pipeline --print-config); summary.json records each headline number with its method, parameters and seed.',
    ...(r.warnings.length > 0 ? { alert: `Warnings: ${r.warnings.join(' · ')}` } : {}),
    row: true,
    tables: [
      { caption: `in ${r.config.out}/`, head: ['artefact', 'file'], align: ['left', 'left'], rows: Object.entries(s.artefacts).filter(([, p]) => p !== null).map(([k, p]) => [k, p]) },
      { caption: 'time per stage', head: ['stage', 'seconds'], rows: Object.entries(s.timings_sec).map(([k, v]) => [k, Number(v.toFixed(2))]) },
    ],
    details: { summary: 'effective configuration (phantom pipeline --print-config)', text: JSON.stringify(s.config, null, 2) },
  };
}

/**
 * The whole report as one self-contained HTML document.
 * @example await atomicWriteFile('phantom-out/report.html', renderPipelineReport(result, summary));
 */
export function renderPipelineReport(r: PipelineResult, s: PipelineSummary): string {
  return renderReport({
    title: 'phantom — human vs agent report',
    subtitle: `${r.export.summary.source} source · ${n(r.features.table.nSessions)} sessions · config ${s.config_file ?? 'default (bundled fixtures)'} · ${r.startedAt}`,
    headline: headline(r, s),
    sections: [confoundSection(r), ...gatesSection(r), dataSection(r), kernelsSection(r), ...clickstreamSections(r), separabilitySection(r), classifierSection(r, s), leakageSection(r), rulesSection(r), reproducibilitySection(r, s)],
    footer: `phantom ${s.phantom_version} · pipeline ran in ${r.seconds.toFixed(1)} s · numbers and their methods: summary.json`,
  });
}
