/**
 * `phantom pipeline` as one library call (docs/pipeline.md): export → features → kernels → separability →
 * train-classifier → distill in one process, every artefact in the output folder, then the quality
 * gates, summary.json and report.html. Gates are evaluated, never thrown here: the caller decides
 * (the command exits 4 after everything is written).
 */
import { join } from 'node:path';
import { atomicWriteFile } from '../io/atomic.js';
import { leakageWarnings } from '../models/classifier/render.js';
import { auditWarningLines } from '../models/classifier/render-audit.js';
import { renderPipelineReport } from './report.js';
import { classifierStage, type ClassifierStageResult } from './classifier-stage.js';
import type { PipelineConfig } from './config-schema.js';
import { distillStage, type DistillStageResult } from './distill-stage.js';
import { exportStage, type ExportStageResult } from './export-stage.js';
import { featuresStage, type FeaturesStageResult } from './features-stage.js';
import { evaluateGates, type GateResult } from './gates.js';
import { jsonText, kernelsStage, type KernelsStageResult } from './kernels-stage.js';
import { pipelineSummary, summaryJson, type PipelineSummary } from './summary.js';
import { ensureDir } from '../io/ensure-dir.js';
import { pValueInMessage } from '../report/headline-numbers.js';
import { conflictingLabelsWarning } from '../events/session-index.js';

export const STAGES = ['export', 'features', 'kernels', 'classifier', 'distill', 'report'] as const;
export type StageName = (typeof STAGES)[number];

export interface PipelineHooks {
  /** a stage begins (index from 1) */
  onStageStart?: (stage: StageName, index: number, total: number) => void;
  /** a stage ended, with a one-line account of what it produced */
  onStageDone?: (stage: StageName, seconds: number, detail: string) => void;
  /** progress inside a stage (spinner text) */
  onStep?: (text: string) => void;
  onWarning?: (message: string) => void;
  /** informational notes of the stages (what distill left out, …) */
  onNote?: (message: string) => void;
  /** clock (tests); default Date.now */
  now?: () => number;
}

export interface PipelineResult {
  config: PipelineConfig;
  configFile: string | null;
  startedAt: string;
  seconds: number;
  timings: Record<StageName, number>;
  export: ExportStageResult;
  features: FeaturesStageResult;
  kernels: KernelsStageResult;
  classifier: ClassifierStageResult;
  distill: DistillStageResult;
  gates: GateResult[];
  /** every warning the stages raised, in order */
  warnings: string[];
  paths: { summary: string; report: string };
}

const n = (x: number): string => x.toLocaleString('en-US');

// The stages' messages name the stand-alone commands' flags; here the config keys do that job.
const CONFIG_TERMS: [RegExp, string][] = [
  [/pass --min-samples-leaf/g, 'set distill.minSamplesLeaf'], [/--min-samples-leaf/g, 'distill.minSamplesLeaf'], [/--allow-outcome-columns/g, 'distill.allowOutcomeColumns'], [/--exclude/g, 'classifier.exclude'],
];
const inConfigTerms = (m: string): string => CONFIG_TERMS.reduce((t, [re, key]) => t.replace(re, key), m);

/**
 * Run the whole pipeline on an effective config (see loadPipelineConfig).
 * @example const { result, summary } = await runPipeline((await loadPipelineConfig(null)).config, null);
 *          summary.headline.roc_auc.value; result.gates.every((g) => g.passed);
 */
export async function runPipeline(config: PipelineConfig, configFile: string | null, hooks: PipelineHooks = {}): Promise<{ result: PipelineResult; summary: PipelineSummary }> {
  const now = hooks.now ?? Date.now;
  const t0 = now();
  const warnings: string[] = [];
  const warn = (raw: string) => {
    const m = inConfigTerms(raw);
    warnings.push(m);
    hooks.onWarning?.(m);
  };
  const note = (m: string) => hooks.onNote?.(inConfigTerms(m));
  const timings = {} as Record<StageName, number>;
  const step = hooks.onStep ?? (() => {});
  async function stage<T>(name: StageName, work: () => Promise<T>, detail: (r: T) => string): Promise<T> {
    hooks.onStageStart?.(name, STAGES.indexOf(name) + 1, STAGES.length);
    const start = now();
    const r = await work();
    timings[name] = (now() - start) / 1000;
    hooks.onStageDone?.(name, timings[name], detail(r));
    return r;
  }
  await ensureDir(config.out);

  const exp = await stage('export', () => exportStage(config, {
    onWarning: warn, onProgress: (k) => step(`export: ${n(k)} records`),
    onConnectRetry: (r) => step(`export: cannot reach the database yet (${r.reason}; attempt ${r.attempt}, ${Math.round(r.elapsedMs / 1000)} s of ${Math.round(r.timeoutMs / 1000)} s)`),
  }),
    (r) => `${n(r.summary.records_written)} events, ${n(r.summary.sessions)} sessions${r.summary.dead_lettered.total > 0 ? `, ${n(r.summary.dead_lettered.total)} dead-lettered` : ''} → ${r.eventsPath}`);
  // the tables go on in memory: events → features and kernels, sessions → classifier and distill
  const features = await stage('features', () => featuresStage(config, { path: exp.eventsPath, table: exp.events, footer: exp.footer }, exp.pricePath),
    (r) => `${n(r.summary.sessions)} sessions × ${r.table.features.length} features → ${r.sessionsPath}`);
  // features and kernels share one session index and label policy (events/session-index.ts): one warning
  if (features.summary.conflictingLabels > 0) warn(conflictingLabelsWarning(features.summary.conflictingLabels));
  const kernels = await stage('kernels', () => kernelsStage(config, exp.events, exp.eventsPath, step),
    (r) => `KL(H‖A) ${r.kernels.divergence.klHumanAgent.toFixed(3)}, separability p = ${pValueInMessage(r.separability.test.pvalue, r.separability.test.z)} → ${r.paths.kernels}, ${r.paths.scores}`);
  const sessions = { path: features.sessionsPath, sha256: features.sha256, table: features.data };
  const classifier = await stage('classifier', () => classifierStage(config, sessions, (s) => step(`classifier: ${s}`)),
    (r) => `ROC-AUC ${r.result.evaluation ? r.result.evaluation.metrics.rocAuc.toFixed(4) : 'not evaluated'}, ${r.result.rounds.final} trees → ${r.paths.model}`);
  for (const line of classifier.notes) note(line);
  for (const line of leakageWarnings(classifier.result.leakage)) warn(line);
  for (const line of auditWarningLines(classifier.audit.warnings)) warn(line);
  const model = { path: classifier.paths.model, ...classifier.file };
  const distill = await stage('distill', () => distillStage(config, sessions, model, (s) => step(`distill: ${s}`)),
    (r) => `${r.run.document.student.leaves} rules${r.run.document.fidelity.heldOut ? `, held-out R² ${r.run.document.fidelity.heldOut.r2?.toFixed(3) ?? '–'}` : ''} → ${r.paths.rules}`);
  for (const w of distill.run.document.warnings) warn(w);
  for (const line of distill.run.document.notes) note(line);

  const gates = evaluateGates(config.gates, {
    pValue: kernels.separability.test.pvalue, rocAuc: classifier.result.evaluation?.metrics.rocAuc ?? null,
    leakageFlagged: classifier.result.leakage.flagged, leakageThreshold: classifier.result.leakage.threshold,
  });
  const paths = { summary: join(config.out, 'summary.json'), report: join(config.out, 'report.html') };
  const result: PipelineResult = {
    config, configFile, startedAt: new Date(t0).toISOString(), seconds: 0, timings, export: exp, features, kernels, classifier, distill, gates, warnings, paths,
  };
  let summary!: PipelineSummary;
  await stage('report', async () => {
    result.seconds = (now() - t0) / 1000;
    summary = pipelineSummary(result);
    await atomicWriteFile(paths.report, renderPipelineReport(result, summary));
    result.seconds = (now() - t0) / 1000;
    summary = pipelineSummary(result);
    await atomicWriteFile(paths.summary, jsonText(summaryJson(summary)));
  }, () => `${paths.report}, ${paths.summary}`);
  return { result, summary };
}
