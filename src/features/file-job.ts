/**
 * One input file → its session table: load, label, compute. The unit of work that runs in the main
 * thread or in a worker thread (worker.ts), so both paths do exactly the same thing.
 */
import { computeSessionFeatures, type FeatureOptions, type FeatureRunStats } from './compute.js';
import { applyLabels, type LabelOptions } from './labels.js';
import { loadFeatureInput, type RawLoadStats } from './load-input.js';
import type { SessionTable } from './session-table.js';

export interface FileJobOptions extends FeatureOptions {
  labels: LabelOptions;
}

export interface FileJobResult {
  path: string;
  table: SessionTable;
  stats: FeatureRunStats;
  raw: RawLoadStats | null;
  labelled: { fromExperiments: number; fromLabel: number };
}

/**
 * Compute one file's session features.
 * @example const r = await runFileJob('part-0.parquet', { ...DEFAULT_FEATURE_OPTIONS, labels: { experiments: null, label: null } })
 */
export async function runFileJob(path: string, opts: FileJobOptions): Promise<FileJobResult> {
  const { events, raw } = await loadFeatureInput(path, opts.featureSet === 'original', true);
  const labelled = applyLabels(events, opts.labels);
  // the events are this job's own: computing may reorder them where they lie
  const { table, stats } = computeSessionFeatures(events, opts, true);
  return { path, table, stats, raw, labelled };
}

/** The buffers of a result's typed arrays, to transfer (not copy) them out of a worker. */
export function transferList(r: FileJobResult): ArrayBuffer[] {
  const t = r.table;
  const arrays: ArrayBufferView[] = [t.isAgent, t.purchased, ...Object.values(t.columns), ...Object.values(t.categories).map((c) => c.codes)];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
