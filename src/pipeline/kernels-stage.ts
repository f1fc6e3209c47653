/**
 * The pipeline's kernels and separability stages on the exported events (in memory), as `phantom kernels`
 * and `phantom separability` compute them on events.parquet: kernels.json, separability.json and the per-session
 * scores.parquet, plus the event mix by class for the report. Config → options → runKernels / runSeparability,
 * the same library calls as the commands.
 */
import { join } from 'node:path';
import { atomicWriteFile } from '../io/atomic.js';
import type { KernelParams, KernelsReport } from '../kernels/fit-kernels.js';
import type { EventsTable } from '../events/table.js';
import { kernelsToJson } from '../kernels/kernels-file.js';
import { writeScores } from '../kernels/scores-file.js';
import { KERNELS_DEFAULTS, runKernels } from '../kernels/run-kernels.js';
import { runSeparability } from '../kernels/run-separability.js';
import type { SeparabilityResult } from '../kernels/separability.js';
import { clickstreamStage, type ClickstreamStageResult } from './clickstream-stage.js';
import type { PipelineConfig } from './config-schema.js';
import { eventMix, type EventMix } from './event-mix.js';
import { withOldConflictKey } from '../events/session-index.js';

export interface KernelsStageResult {
  kernels: KernelsReport;
  separability: SeparabilityResult;
  mix: EventMix;
  paths: { kernels: string; separability: string; scores: string };
  /** absorbing-chain analysis and unsupervised clusters for the report */
  clickstream?: ClickstreamStageResult;
}

/** The kernel parameters of the config (shared by both stages, as the two commands share their flags). */
export function kernelParams(c: PipelineConfig): KernelParams {
  const k = c.kernels;
  return { state: k.state, boundary: k.boundary, pooling: k.pooling, smoothing: k.smoothing, weighting: k.weighting };
}

/** JSON text with NaN/±Infinity as null (as --json prints them). */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/**
 * Fit the kernels (with the split-half null), score every session and test human vs agent gaps, on the
 * exported events in memory (labels: their is_agent); `eventsPath` is recorded in kernels.json.
 * @example const { kernels, separability } = await kernelsStage(config, exp.events, exp.eventsPath);
 */
export async function kernelsStage(c: PipelineConfig, table: EventsTable, eventsPath: string, onStep?: (step: string) => void): Promise<KernelsStageResult> {
  const flags = table.isAgent;
  const params = kernelParams(c);
  onStep?.(`fitting kernels, ${c.kernels.bootstrap} split-half replicates`);
  const events = { table, flags };
  const kernels = runKernels(events, { ...KERNELS_DEFAULTS, ...params, bootstrap: c.kernels.bootstrap, seed: c.kernels.seed, order: 1, absorbing: false, evaluateNext: false }).report;
  const paths = { kernels: join(c.out, 'kernels.json'), separability: join(c.out, 'separability.json'), scores: join(c.out, 'scores.parquet') };
  await atomicWriteFile(paths.kernels, `${JSON.stringify(kernelsToJson(kernels, { input: [eventsPath], seed: c.kernels.seed }))}\n`);
  onStep?.('scoring sessions against leave-one-out centroids');
  const s = c.separability;
  const sep = runSeparability(events, {
    ...params, kernels: null, inSample: s.inSample, temperature: s.temperature,
    alternative: s.alternative, method: s.method, continuity: s.continuity, permutations: s.permutations, seed: s.seed, order: 1,
  });
  await writeScores(paths.scores, sep);
  await atomicWriteFile(paths.separability, jsonText({ params: sep.params, counts: withOldConflictKey(sep.counts), groups: sep.groups, test: sep.test }));
  onStep?.('absorbing chains and session clusters');
  const clickstream = clickstreamStage(table, flags, params, c.kernels.seed, kernels.vocabulary);
  return { kernels, separability: sep, mix: eventMix(table, flags), paths, clickstream };
}
