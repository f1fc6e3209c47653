/**
 * Several input files (docs/export.md): each is processed on its own (in parallel with `--workers`) and the
 * session tables are concatenated in file order. A session that appears in more than one file is split:
 * its rows from every file are gathered, its features computed once from the combined events, and the
 * result placed where the session first appears — so the output equals that of the concatenated input,
 * and no session is counted twice.
 */
import { computeSessionFeatures, type FeatureRunStats } from './compute.js';
import { concatFeatureEvents } from './feature-events.js';
import type { FileJobOptions, FileJobResult } from './file-job.js';
import { attachLabelColumns } from './label-columns.js';
import { applyLabels } from './labels.js';
import { loadFeatureInput, type RawLoadStats } from './load-input.js';
import { pickSessions, type SessionTable } from './session-table.js';
import { runFileJobs } from './worker-pool.js';
import { UsageError } from '../errors.js';

export interface FeaturesRunSummary extends Omit<FeatureRunStats, 'conflictingLabelSessions'> {
  files: number;
  /** sessions found in more than one file, merged and computed once */
  splitSessions: number;
  /** sessions whose rows carry both is_agent values, left unlabelled (docs/contract.md §3.1) */
  conflictingLabels: number;
  /** raw (non-Parquet) inputs: records read and rejected by reason */
  raw: RawLoadStats | null;
  labelled: { fromExperiments: number; fromLabel: number };
}

/** sessionId → indices of the files holding it, for sessions in more than one file. */
function findSplitSessions(results: readonly FileJobResult[]): Map<string, number[]> {
  const firstFile = new Map<string, number>();
  const split = new Map<string, number[]>();
  results.forEach((r, f) => {
    for (const id of r.table.sessionIds) {
      const first = firstFile.get(id);
      if (first === undefined) firstFile.set(id, f);
      else {
        const files = split.get(id) ?? [first];
        if (files[files.length - 1] !== f) files.push(f);
        split.set(id, files);
      }
    }
  });
  return split;
}

/** Features of the split sessions from their combined rows (files re-read in order). */
async function recomputeSplit(paths: readonly string[], split: Map<string, number[]>, opts: FileJobOptions): Promise<{ table: SessionTable; stats: FeatureRunStats }> {
  const files = [...new Set([...split.values()].flat())].sort((a, b) => a - b);
  const parts = [];
  for (const f of files) {
    const { events } = await loadFeatureInput(paths[f]!, opts.featureSet === 'original');
    applyLabels(events, opts.labels);
    const wanted = Uint8Array.from(events.sessionId.dict, (id) => (split.has(id) ? 1 : 0));
    const rows: number[] = [];
    for (let i = 0; i < events.length; i++) if (events.sessionId.codes[i]! >= 0 && wanted[events.sessionId.codes[i]!] === 1) rows.push(i);
    parts.push({ events, rows: Uint32Array.from(rows) });
  }
  return computeSessionFeatures(concatFeatureEvents(parts, opts.featureSet === 'original'), opts);
}

function addRaw(a: RawLoadStats | null, b: RawLoadStats | null): RawLoadStats | null {
  if (b === null) return a;
  if (a === null) return { records: b.records, rejected: { ...b.rejected }, tsFromBroker: b.tsFromBroker };
  a.records += b.records;
  a.tsFromBroker += b.tsFromBroker;
  for (const [k, v] of Object.entries(b.rejected) as [keyof RawLoadStats['rejected'], number][]) a.rejected[k] = (a.rejected[k] ?? 0) + v;
  return a;
}

/**
 * Session features of one or more input files.
 * @example const { table, summary } = await featuresFromFiles(['p0.parquet', 'p1.parquet'], { ...DEFAULT_FEATURE_OPTIONS, labels: { experiments: null, label: null } }, 2)
 */
export async function featuresFromFiles(paths: readonly string[], opts: FileJobOptions, workers = 1, onFileDone?: (done: number) => void): Promise<{ table: SessionTable; summary: FeaturesRunSummary }> {
  const results = await runFileJobs(paths, opts, workers, onFileDone);
  const names = (r: FileJobResult): string => r.table.features.map((f) => f.name).join(',');
  const [first] = results;
  if (first === undefined) throw new UsageError('features: no input files');
  const odd = results.find((r) => names(r) !== names(first));
  if (odd !== undefined) {
    throw new UsageError(`${odd.path} and ${first.path} give different feature columns (one has request columns such as resource_kind, status or path, the other not): compute their features separately`);
  }
  const split = results.length > 1 ? findSplitSessions(results) : new Map<string, number[]>();
  const parts = results.map((r) => r.table);
  const conflicts = new Set<string>();
  for (const r of results) for (const id of r.stats.conflictingLabelSessions) if (!split.has(id)) conflicts.add(id);
  let mergedIndex = new Map<string, number>();
  if (split.size > 0) {
    const merged = await recomputeSplit(paths, split, opts);
    for (const id of merged.stats.conflictingLabelSessions) conflicts.add(id);
    mergedIndex = new Map(merged.table.sessionIds.map((id, k) => [id, k]));
    parts.push(merged.table);
  }
  const partOf: number[] = [], rowOf: number[] = [];
  results.forEach((r, f) => {
    r.table.sessionIds.forEach((id, k) => {
      const files = split.get(id);
      if (files === undefined) {
        partOf.push(f);
        rowOf.push(k);
      } else if (files[0] === f) {
        partOf.push(results.length);
        rowOf.push(mergedIndex.get(id)!);
      }
    });
  });
  const template = { featureSet: opts.featureSet, features: first.table.features };
  const table = split.size === 0 && parts.length === 1 ? first.table : pickSessions(parts, Int32Array.from(partOf), Int32Array.from(rowOf), template);
  let unlabeled = 0;
  for (let s = 0; s < table.nSessions; s++) if (table.isAgent[s] === -1) unlabeled++;
  const summary: FeaturesRunSummary = {
    files: paths.length, events: 0, sessions: table.nSessions, rowsWithoutSession: 0, unknownEvents: 0, conflictingLabels: conflicts.size,
    unlabeledSessions: unlabeled, splitSessions: split.size, raw: null, labelled: { fromExperiments: 0, fromLabel: 0 },
  };
  for (const r of results) {
    summary.events += r.stats.events;
    summary.rowsWithoutSession += r.stats.rowsWithoutSession;
    summary.unknownEvents += r.stats.unknownEvents;
    summary.raw = addRaw(summary.raw, r.raw);
    summary.labelled.fromExperiments += r.labelled.fromExperiments;
    summary.labelled.fromLabel += r.labelled.fromLabel;
  }
  await attachLabelColumns(table, paths);
  return { table, summary };
}
