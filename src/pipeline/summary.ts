/**
 * summary.json (format `phantom.pipeline-summary`, version 1; documented in docs/pipeline.md): every
 * headline number with the statistic, method, parameters and seed behind it, then one block per stage.
 * PipelineSummary's keys are snake_case and mapped explicitly here, so renaming a library field cannot change
 * the file; the file and `pipeline --json` are summaryJson(): camelCase keys, the snake_case ones kept beside
 * them for one release (docs/contract.md, "JSON key casing").
 */
import { phantomVersion } from '../models/classifier/model-file.js';
import { STATIC_DEMAND_LABEL } from '../distill/revenue.js';
import { redactConfig, displayPath } from './load-config.js';
import type { PipelineResult, StageName } from './run-pipeline.js';
import { relative } from 'node:path';
import { formatPValue, gapAuc } from '../report/headline-numbers.js';
import { withSnakeCaseAliases } from '../report/json-keys.js';
import { EXPORT_SUMMARY_DATA_MAPS } from '../export/summary.js';

export const SUMMARY_FORMAT = 'phantom.pipeline-summary';
export const SUMMARY_VERSION = 1;

/** One headline number and how it was made. Extra numbers that belong to it (a CI, a null p) sit beside `value`. */
export interface HeadlineNumber {
  value: number | null;
  /** what the number is, in words */
  statistic: string;
  stage: StageName;
  method: string;
  params: Record<string, unknown>;
  /** the seed that fixed its randomness; null when it involves none */
  seed: number | null;
  [extra: string]: unknown;
}

export interface PipelineSummary {
  format: typeof SUMMARY_FORMAT;
  version: typeof SUMMARY_VERSION;
  phantom_version: string;
  started_at: string;
  config_file: string | null;
  config: unknown;
  /** artefact paths relative to the output folder (null: not produced by this run) */
  artefacts: Record<string, string | null>;
  headline: Record<string, HeadlineNumber>;
  export: Record<string, unknown>;
  features: Record<string, unknown>;
  kernels: Record<string, unknown>;
  separability: Record<string, unknown>;
  classifier: Record<string, unknown>;
  distill: Record<string, unknown>;
  gates: { passed: boolean; results: unknown[] };
  warnings: string[];
  timings_sec: Record<string, number>;
}

const nullable = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

function fidelity(f: PipelineResult['distill']['run']['document']['fidelity']['train']): Record<string, number | null> {
  return { rows: f.rows, r2: f.r2, mae: f.mae, max_abs_error: f.maxAbsError, ...(f.accuracy !== undefined ? { accuracy: f.accuracy } : {}) };
}

function artefacts(r: PipelineResult): Record<string, string | null> {
  const rel = (p: string | null) => (p === null ? null : relative(r.config.out, p) || p);
  return {
    events: rel(r.export.eventsPath), price_logs: rel(r.export.pricePath), dead_letters: rel(r.export.summary.dead_letter_file),
    sessions: rel(r.features.sessionsPath), kernels: rel(r.kernels.paths.kernels), separability: rel(r.kernels.paths.separability),
    scores: rel(r.kernels.paths.scores), model: rel(r.classifier.paths.model), metrics: rel(r.classifier.paths.metrics),
    rules: rel(r.distill.paths.rules), rules_text: rel(r.distill.paths.text), summary: rel(r.paths.summary), report: rel(r.paths.report),
  };
}

function kernelHeadline(r: PipelineResult): Record<string, HeadlineNumber> {
  const k = r.kernels.kernels, c = r.config.kernels;
  const params = { state: c.state, boundary: c.boundary, pooling: c.pooling, smoothing: c.smoothing, weighting: c.weighting, bootstrap: c.bootstrap };
  const method = `${c.pooling === 'pooled' ? 'pooled-count MLE' : 'mean-of-rows'} kernels, additive smoothing α = ${c.smoothing}, ${c.weighting}-weighted mean over shared source states; p from a split-half null of ${k.null.replicates} replicates: (#{null ≥ observed} + 1)/(B + 1)`;
  const one = (statistic: string, value: number, cmp: typeof k.null.js): HeadlineNumber => ({
    value: nullable(value), statistic, stage: 'kernels', method, params, seed: c.seed, null_mean: nullable(cmp.nullMean), null_p: nullable(cmp.p), lift: nullable(cmp.lift),
  });
  return {
    kl_human_agent: one('KL(human ‖ agent) between the class transition kernels, nats', k.divergence.klHumanAgent, k.null.klHumanAgent),
    kl_agent_human: one('KL(agent ‖ human) between the class transition kernels, nats', k.divergence.klAgentHuman, k.null.klAgentHuman),
    js_divergence: one('Jensen–Shannon divergence between the class transition kernels, nats', k.divergence.js, k.null.js),
  };
}

function separabilityHeadline(r: PipelineResult): Record<string, HeadlineNumber> {
  const s = r.kernels.separability, c = r.config.separability, t = s.test;
  const params = {
    state: s.params.state, boundary: s.params.boundary, pooling: s.params.pooling, smoothing: s.params.smoothing, weighting: s.params.weighting,
    centroids: s.params.inSample ? 'in-sample' : 'leave-one-out', temperature: s.params.temperature, alternative: t.alternative, method: c.method, continuity: c.continuity,
  };
  const method = `Mann–Whitney U (${t.method}${t.continuity ? ', continuity-corrected' : ''}, ${t.alternative}) on gap = KL(P_s‖Q_H) − KL(P_s‖Q_A), ${params.centroids} centroids`;
  const seed = t.method === 'permutation' ? c.seed : null;
  return {
    separability_p: { value: nullable(t.pvalue), statistic: 'p-value: human vs agent per-session gap scores', stage: 'kernels', method, params, seed, u: t.statistic, u_prime: t.statisticOther, n_human: t.n1, n_agent: t.n2 },
    separability_gap_auc: {
      value: nullable(gapAuc(t)), statistic: "AUC of the gap score predicting agent: U'/(n1·n2) = P(agent gap > human gap) + ½·P(tie)", stage: 'kernels', method, params, seed,
      u_agent: t.statisticOther, p_text: formatPValue(t.pvalue, t.z), z: t.z ?? null,
    },
    // kept for one release: the same effect oriented the other way (P(human gap > agent gap))
    separability_auc: {
      value: nullable(t.effect.auc), statistic: 'common-language effect size U/(n1·n2): P(human gap > agent gap)', stage: 'kernels', method, params, seed,
      rank_biserial: nullable(t.effect.rankBiserial), hodges_lehmann: nullable(t.effect.hodgesLehmann),
    },
  };
}

function classifierHeadline(r: PipelineResult): Record<string, HeadlineNumber> {
  const cr = r.classifier.result, e = cr.evaluation, c = r.config.classifier;
  const basis = e === null ? 'not evaluated (cv 0)' : e.scheme === 'holdout' ? `stratified holdout of ${e.testSize}` : `${e.scheme}, k = ${e.k} × ${e.repeats} repeat(s), out-of-fold probabilities`;
  const params = { ...cr.params, rounds_final: cr.rounds.final, rounds_chosen_by: cr.rounds.chosenBy, threshold: cr.threshold.value, threshold_rule: cr.threshold.rule, excluded: c.exclude };
  const m = e?.metrics;
  const method = `gradient-boosted trees (xgboost hist semantics, binary:logistic); early stopping on a validation slice of each training fold; ${basis}`;
  const h = (statistic: string, value: number | undefined, extra: Record<string, unknown> = {}): HeadlineNumber => ({ value: nullable(value), statistic, stage: 'classifier', method, params, seed: c.seed, ...extra });
  return {
    roc_auc: h('ROC-AUC of held-out predictions', m?.rocAuc, { ci_lower: nullable(m?.rocAucCi.lower), ci_upper: nullable(m?.rocAucCi.upper), ci_level: m?.rocAucCi.level ?? null, ci_method: m ? 'DeLong' : null }),
    behaviour_only_roc_auc: h('ROC-AUC of held-out predictions without the context features (confound audit, docs/classifier.md)', r.classifier.audit.behaviourOnly?.auc ?? undefined, {
      excluded_context: r.classifier.audit.behaviourOnly?.excluded ?? [], warnings: r.classifier.audit.warnings.map((w) => `${w.code}: ${w.feature}`),
    }),
    pr_auc: h('PR-AUC (average precision) of held-out predictions', m?.prAuc),
    precision_at_80_recall: h('precision at 80% recall (the study target: > 0.85)', m?.precisionAtRecall.precision, { threshold: nullable(m?.precisionAtRecall.threshold) }),
    f1: h(`F1 at threshold ${cr.threshold.value.toPrecision(3)} (${cr.threshold.rule})`, m?.f1, { precision: nullable(m?.precision), recall: nullable(m?.recall), accuracy: nullable(m?.accuracy) }),
    calibration_ece: calibrationHeadline(cr, c.seed),
    leakage_flagged: {
      value: cr.leakage.flagged.length, statistic: 'features that alone separate the classes (single-feature max(AUC, 1 − AUC) ≥ threshold)', stage: 'classifier',
      method: 'leakage audit: single-feature ROC-AUC, missing ranked lowest', params: { threshold: cr.leakage.threshold }, seed: null, features: cr.leakage.flagged,
    },
  };
}

/** ECE of the shipped (calibrated) held-out probabilities, with the raw booster's beside it. */
function calibrationHeadline(cr: PipelineResult['classifier']['result'], seed: number | null): HeadlineNumber {
  const k = cr.calibration;
  return {
    value: nullable(k?.after.ece), statistic: 'expected calibration error (10 bins) of the calibrated out-of-fold probabilities', stage: 'classifier',
    method: k === null ? 'not evaluated (cv 0): no calibration' : `calibration ${k.method}: ${k.chosenBy}`, params: { method: k?.method ?? 'none', folds: k?.folds ?? 0 }, seed,
    before: nullable(k?.before.ece), brier_before: nullable(k?.before.brier), brier_after: nullable(k?.after.brier),
    log_loss_before: nullable(k?.before.logLoss), log_loss_after: nullable(k?.after.logLoss),
  };
}

function distillHeadline(r: PipelineResult): Record<string, HeadlineNumber> {
  const d = r.distill.run.document, c = r.config.distill;
  const params = { mode: d.mode, max_depth: c.maxDepth, min_samples_leaf: d.student.minSamplesLeaf.used, test_size: c.testSize, formula: d.teacher.formula, coefficients: d.teacher.coefficients, tiers: c.tiers };
  const method = `CART ${d.student.criterion} student of the teacher ${d.teacher.target}; fidelity on held-out sessions`;
  const h = d.fidelity.heldOut;
  return {
    rules_fidelity_r2: { value: nullable(h?.r2), statistic: 'held-out R² of the rules against the teacher markup', stage: 'distill', method, params, seed: c.seed, mae: nullable(h?.mae), rows: h?.rows ?? 0 },
    rules_leaves: { value: d.student.leaves, statistic: 'rules (leaves of the student tree)', stage: 'distill', method, params, seed: c.seed, depth: d.student.depth },
    rules_revenue_change: {
      value: nullable(d.revenue?.studentChange), statistic: `relative revenue change under the rules vs base prices, ${STATIC_DEMAND_LABEL}`, stage: 'distill',
      method: d.revenue?.assumption ?? 'no price column: not computed', params: { price_column: d.revenue?.priceColumn ?? null, basis: d.revenue?.basis ?? null }, seed: null,
      teacher_change: nullable(d.revenue?.teacherChange),
    },
  };
}

/**
 * Assemble summary.json from a pipeline run.
 * @example JSON.stringify(pipelineSummary(result).headline.separability_p)
 */
export function pipelineSummary(r: PipelineResult): PipelineSummary {
  const x = r.export.summary, f = r.features, k = r.kernels.kernels, s = r.kernels.separability, cr = r.classifier.result, d = r.distill.run.document;
  const e = cr.evaluation;
  const sessions = r.features.table.nSessions, agents = r.features.table.isAgent.reduce((a, v) => a + (v === 1 ? 1 : 0), 0);
  const human = r.features.table.isAgent.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
  return {
    format: SUMMARY_FORMAT, version: SUMMARY_VERSION, phantom_version: phantomVersion(), started_at: r.startedAt,
    config_file: r.configFile === null ? null : displayPath(r.configFile), config: redactConfig(r.config), artefacts: artefacts(r),
    headline: {
      sessions: {
        value: sessions, statistic: 'sessions (one row per sessionId)', stage: 'features', method: 'labels: is_agent from the export (experiments join or label)',
        params: { feature_set: r.config.features.featureSet, timeout_sec: r.config.features.timeoutSec }, seed: null, human, agent: agents, unlabelled: sessions - human - agents,
      },
      ...kernelHeadline(r), ...separabilityHeadline(r), ...classifierHeadline(r), ...distillHeadline(r),
    },
    export: {
      source: x.source, records_read: x.records_read, records_written: x.records_written, dead_lettered: x.dead_lettered, duplicates: x.duplicates,
      outside_window: x.outside_window, unknown_events: x.unknown_events, ts_from_broker: x.ts_from_broker, sessions: x.sessions, labels: x.labels,
      time_range: x.time_range, price_logs: x.price_logs,
    },
    features: {
      feature_set: r.config.features.featureSet, timeout_sec: r.config.features.timeoutSec, fill_missing: r.config.features.fillMissing,
      events: f.summary.events, sessions: f.summary.sessions, columns: f.table.features.length, unknown_events: f.summary.unknownEvents,
      label_conflicts: f.summary.conflictingLabels, unlabelled_sessions: f.summary.unlabeledSessions, shown_prices: r.export.pricePath !== null,
    },
    kernels: {
      params: k.params, bootstrap: r.config.kernels.bootstrap, seed: r.config.kernels.seed, states: k.vocabulary.length,
      classes: { human: { sessions: k.classes.human.sessions, transitions: k.classes.human.transitions }, agent: { sessions: k.classes.agent.sessions, transitions: k.classes.agent.transitions } },
      divergence: { kl_human_agent: k.divergence.klHumanAgent, kl_agent_human: k.divergence.klAgentHuman, js: k.divergence.js, shared_states: k.divergence.sharedStates },
      null: {
        replicates: k.null.replicates,
        ...Object.fromEntries((['klHumanAgent', 'klAgentHuman', 'js'] as const).map((key, i) => [['kl_human_agent', 'kl_agent_human', 'js'][i]!, {
          observed: k.null[key].observed, null_mean: k.null[key].nullMean, p: k.null[key].p, lift: k.null[key].lift,
        }])),
      },
    },
    separability: {
      params: { ...s.params, alternative: s.test.alternative, method: r.config.separability.method, continuity: r.config.separability.continuity }, seed: r.config.separability.seed,
      counts: { sessions: s.counts.sessions, scored: s.counts.scored, too_short: s.counts.tooShort, undefined_gap: s.counts.undefinedGap, unlabelled: s.counts.unlabelled },
      groups: s.groups,
      test: { u: s.test.statistic, u_prime: s.test.statisticOther, p: s.test.pvalue, method: s.test.method, alternative: s.test.alternative, continuity: s.test.continuity, z: s.test.z ?? null, n_human: s.test.n1, n_agent: s.test.n2 },
      effect: { auc: s.test.effect.auc, rank_biserial: s.test.effect.rankBiserial, hodges_lehmann: s.test.effect.hodgesLehmann },
    },
    classifier: {
      label: r.config.classifier.label, rows: r.classifier.data.X.nRows, positives: r.classifier.data.fingerprint.positives, features: r.classifier.data.X.nCols,
      excluded: r.config.classifier.exclude, params: cr.params, seed: r.config.classifier.seed, rounds: { final: cr.rounds.final, chosen_by: cr.rounds.chosenBy },
      threshold: cr.threshold,
      evaluation: e === null ? null : {
        scheme: e.scheme, k: e.k, repeats: e.repeats, test_size: e.testSize, validation_fraction: e.validationFraction, repeat_auc: e.repeatAuc,
        roc_auc: e.metrics.rocAuc, roc_auc_ci: { lower: e.metrics.rocAucCi.lower, upper: e.metrics.rocAucCi.upper, level: e.metrics.rocAucCi.level, method: 'DeLong' },
        pr_auc: e.metrics.prAuc, brier: e.metrics.brier, accuracy: e.metrics.accuracy, precision: e.metrics.precision, recall: e.metrics.recall, f1: e.metrics.f1,
        specificity: e.metrics.specificity, precision_at_80_recall: e.metrics.precisionAtRecall.precision, confusion: e.metrics.confusion, ece: e.metrics.calibration.ece,
      },
      importance: cr.importance.slice(0, 10).map((i) => ({ feature: i.feature, gain: i.gain, cover: i.cover, weight: i.weight, gain_share: i.gainShare })),
      leakage: { threshold: cr.leakage.threshold, flagged: cr.leakage.flagged, top: cr.leakage.features.slice(0, 10).map((l) => ({ feature: l.feature, auc: l.auc, separation: l.separation, missing: l.missing })) },
    },
    distill: {
      mode: d.mode, seed: d.seeds.seed, teacher: { kind: d.teacher.kind, formula: d.teacher.formula, coefficients: d.teacher.coefficients, p_purchase: d.teacher.pPurchase?.source ?? null },
      student: { criterion: d.student.criterion, max_depth: r.config.distill.maxDepth, min_samples_leaf: d.student.minSamplesLeaf.used, leaves: d.student.leaves, depth: d.student.depth },
      split: { test_size: d.split.testSize, train_rows: d.split.trainRows, test_rows: d.split.testRows },
      fidelity: { held_out: d.fidelity.heldOut === null ? null : fidelity(d.fidelity.heldOut), train: fidelity(d.fidelity.train) },
      revenue: d.revenue === null ? null : { label: d.revenue.label, price_column: d.revenue.priceColumn, basis: d.revenue.basis, teacher_change: d.revenue.teacherChange, student_change: d.revenue.studentChange },
    },
    gates: { passed: r.gates.every((g) => g.passed), results: r.gates },
    warnings: r.warnings,
    timings_sec: { ...r.timings, total: r.seconds },
  };
}

/**
 * summary.json and `pipeline --json` as written: camelCase keys, then the snake_case keys of version 1's
 * first release with the same values, kept for one release (docs/contract.md, "JSON key casing"). Data keys
 * keep their spelling: dead-letter reason codes and event names (`export.dead_lettered.by_reason`,
 * `by_name`), and XGBoost's parameter names (`classifier.params`, `config.classifier.params`, and in the
 * classifier headlines' `params`, beside phantom's own `rounds_final` → `roundsFinal`).
 * @example (summaryJson(pipelineSummary(result)) as { headline: { separabilityGapAuc: { value: number } } }).headline.separabilityGapAuc.value
 */
export function summaryJson(s: PipelineSummary): unknown {
  const xgboost = new Set(Object.keys(s.classifier.params as Record<string, unknown>));
  return withSnakeCaseAliases(s, (path, key) => {
    const at = path.join('.');
    if (at === 'classifier.params' || at === 'config.classifier.params') return true;
    if (path.length === 3 && path[0] === 'headline' && path[2] === 'params') return s.headline[path[1]!]?.stage === 'classifier' && xgboost.has(key);
    return path.length > 0 && path[0] === 'export' && EXPORT_SUMMARY_DATA_MAPS.has(path[path.length - 1]!);
  });
}
