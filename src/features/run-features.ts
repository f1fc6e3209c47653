/**
 * `features` as one library call (what the command and the pipeline's features stage run): event files, or
 * an events table already in memory, and typed options in; the session feature table and a summary of the
 * run out. Prints nothing, writes nothing: the caller writes the table
 * (`writeSessions(out, run.table, { metadata: sessionsFileMetadata(…) })`).
 */
import { DataError } from '../errors.js';
import { conflictingLabelsWarning } from '../events/session-index.js';
import type { EventsTable } from '../events/table.js';
import type { CompressionName } from '../io/parquet.js';
import { DEFAULT_FEATURE_OPTIONS } from './compute.js';
import { featuresFromFiles, type FeaturesRunSummary } from './features-from-files.js';
import { featuresFromTable } from './from-table.js';
import { loadExperimentLabels } from './labels.js';
import { expandFeatureInputs } from './load-input.js';
import type { FeatureSetName } from './registry.js';
import type { SessionTable } from './session-table.js';
import { loadPriceLogs } from './shown-prices.js';

export interface FeaturesOptions {
  featureSet: FeatureSetName;
  /** inactivity timeout T in seconds: longer gaps do not count toward session_duration_sec */
  timeoutSec: number;
  /** replace null features with this number; null keeps nulls */
  fillMissing: number | null;
  /** price logs file (adds shown_price_mean and shown_markup_mean); null = none */
  priceLogs: string | null;
  /** experiments table labelling events (is_agent = NOT xp_human_only); null = none */
  experimentsFrom: string | null;
  /** label for events still unlabelled; null = leave them */
  labelValue: 'human' | 'agent' | null;
  /** worker threads for several input files */
  workers: number;
  /** DataError (nothing written) if any raw record is rejected */
  strict: boolean;
  /** Parquet compression of the written table */
  compression: CompressionName;
  onStage?: (stage: string) => void;
}

/** Defaults of every option (the command's flag defaults come from here). */
export const FEATURES_DEFAULTS = {
  featureSet: DEFAULT_FEATURE_OPTIONS.featureSet, timeoutSec: DEFAULT_FEATURE_OPTIONS.timeoutSec, fillMissing: DEFAULT_FEATURE_OPTIONS.fillMissing,
  priceLogs: null, experimentsFrom: null, labelValue: null, workers: 1, strict: false, compression: 'zstd' as CompressionName,
} satisfies FeaturesOptions;

/**
 * An events table already in memory (the pipeline's export), with the path and footer metadata of the
 * file it was written to: its features equal those of that file.
 */
export interface EventsInMemory { path: string; table: EventsTable; footer: Record<string, string> }

export interface FeaturesRun {
  table: SessionTable;
  summary: FeaturesRunSummary;
  /** the input files after expanding folders and globs (the in-memory table's file) */
  files: string[];
  /** raw records rejected, all reasons */
  rejected: number;
  /** sessions labelled agent */
  agentSessions: number;
}

/**
 * Session features of event files, folders or globs, or of an events table in memory (docs/features.md).
 * @example const run = await runFeatures(['events.parquet'], FEATURES_DEFAULTS); run.table.nSessions
 */
export async function runFeatures(inputs: readonly string[] | EventsInMemory, o: FeaturesOptions): Promise<FeaturesRun> {
  const inMemory = 'table' in inputs ? inputs : null;
  const files = inMemory !== null ? [inMemory.path] : await expandFeatureInputs(inputs as readonly string[]);
  o.onStage?.(inMemory !== null ? 'features: events in memory' : `features: reading ${files.length} file${files.length > 1 ? 's' : ''}`);
  const priceLogs = o.priceLogs === null ? null : await loadPriceLogs(o.priceLogs);
  const experiments = o.experimentsFrom === null ? null : await loadExperimentLabels(o.experimentsFrom);
  const opts = {
    featureSet: o.featureSet, timeoutSec: o.timeoutSec, fillMissing: o.fillMissing, priceLogs,
    labels: { experiments, label: o.labelValue === null ? null : o.labelValue === 'agent' },
  };
  const { table, summary } = inMemory !== null ? featuresFromTable(inMemory.table, opts, inMemory.footer)
    : await featuresFromFiles(files, opts, o.workers, (done) => o.onStage?.(`features: ${done}/${files.length} files`));
  const rejected = Object.values(summary.raw?.rejected ?? {}).reduce((a: number, b) => a + (b ?? 0), 0);
  if (o.strict && rejected > 0) throw new DataError(`${rejected} raw record${rejected > 1 ? 's' : ''} rejected (${JSON.stringify(summary.raw!.rejected)}); nothing written`);
  let agentSessions = 0;
  for (let s = 0; s < table.nSessions; s++) if (table.isAgent[s] === 1) agentSessions++;
  return { table, summary, files, rejected, agentSessions };
}

/** The key-value metadata sessions.parquet carries about how it was made. */
export function sessionsFileMetadata(o: Pick<FeaturesOptions, 'timeoutSec' | 'fillMissing'>, summary: Pick<FeaturesRunSummary, 'events'>): Record<string, string> {
  return { 'phantom.timeout_sec': String(o.timeoutSec), 'phantom.fill_missing': o.fillMissing === null ? 'none' : String(o.fillMissing), 'phantom.events': String(summary.events) };
}

/** The warnings a run's summary calls for, in the order the command prints them. */
export function featuresWarnings(run: FeaturesRun): string[] {
  const s = run.summary, out: string[] = [];
  if (s.conflictingLabels > 0) out.push(conflictingLabelsWarning(s.conflictingLabels));
  if (s.unknownEvents > 0) out.push(`${s.unknownEvents} event(s) with names outside the vocabulary (kept, counted in unknown_events)`);
  if (s.rowsWithoutSession > 0) out.push(`${s.rowsWithoutSession} row(s) without a sessionId were skipped`);
  if (run.rejected > 0) out.push(`${run.rejected} raw record(s) rejected: ${JSON.stringify(s.raw!.rejected)}`);
  return out;
}
