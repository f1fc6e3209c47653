/**
 * The pipeline's export stage: the configured source (any of docs/export.md) → `<out>/events.parquet`
 * (+ price-logs.parquet, + events.dead-letter.jsonl when records were rejected), through the same
 * library calls as `phantom export`. The rows written are also kept in memory, with the file's footer
 * metadata, for the features and kernels stages (events.parquet is an output, never read back).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { commandLine } from '../events/events-parquet.js';
import { loadLabels, openExportSource, type SourceSpec } from '../export/open-source.js';
import { runExport } from '../export/lazy-sources.js';
import { SessionLabels } from '../events/session-labels.js';
import { EventsTableCollector } from '../events/collect-tables.js';
import type { EventsTable } from '../events/table.js';
import { UsageError } from '../errors.js';
import type { ExportSummary } from '../export/types.js';
import { parseIsoMs } from '../io/timestamp.js';
import type { ConnectRetry } from '../sources/pg-connection.js';
import type { PipelineConfig, SourceConfig } from './config-schema.js';

export interface ExportStageResult {
  summary: ExportSummary;
  eventsPath: string;
  /** the rows of events.parquet, as a reader of the file would see them */
  events: EventsTable;
  /** footer metadata written at the end of events.parquet (the `--labels` pass-through columns) */
  footer: Record<string, string>;
  /** price-logs.parquet when the source carries price logs, else null */
  pricePath: string | null;
}

const ms = (iso: string | null): number | undefined => (iso === null ? undefined : parseIsoMs(iso));

/** The config's source as the export library's source description. */
export function sourceSpec(s: SourceConfig, labels: SessionLabels | null = null, onConnectRetry?: (r: ConnectRetry) => void): SourceSpec {
  const limit = s.maxMessages === null ? {} : { maxMessages: s.maxMessages };
  if (s.from === 'file') return { from: 'file', inputs: s.inputs, ...(s.priceInputs.length > 0 ? { priceInputs: s.priceInputs } : {}), ...limit };
  if (s.from === 'access-log') {
    return {
      from: 'access-log', inputs: s.inputs, logFormat: s.logFormat, inactivityMs: s.inactivityMinutes * 60_000, timezone: s.timezone, keepClientAddress: s.keepClientAddress, labels, ...limit,
      ...(s.sessionBy !== null ? { sessionBy: s.sessionBy } : {}), ...(s.sessionKeyEnv !== null ? { sessionKeyEnv: s.sessionKeyEnv } : {}),
      ...(s.eventRules !== null ? { eventRules: s.eventRules } : {}), ...(s.resourceRules !== null ? { resourceRules: s.resourceRules } : {}),
    };
  }
  const window = { ...(s.since !== null ? { sinceMs: ms(s.since)! } : {}), ...(s.until !== null ? { untilMs: ms(s.until)! } : {}) };
  if (s.from === 'kafka') {
    return {
      from: 'kafka', brokers: s.brokers, topic: s.topic, ...(s.priceTopic !== null ? { priceTopic: s.priceTopic } : {}), ...window, ...limit,
      ...(s.sasl !== null ? { sasl: s.sasl } : {}), ...(s.ssl !== false ? { ssl: s.ssl } : {}),
    };
  }
  return {
    from: 'supabase', table: s.table, ...window, ...limit,
    ...(s.databaseUrl !== null ? { databaseUrl: s.databaseUrl } : {}), ...(s.supabaseUrl !== null ? { supabaseUrl: s.supabaseUrl } : {}),
    ...(s.supabaseKeyEnv !== null ? { supabaseKeyEnv: s.supabaseKeyEnv } : {}), ...(s.columns !== null ? { columns: s.columns } : {}),
    ...(onConnectRetry ? { connect: { onRetry: onConnectRetry } } : {}),
  };
}

function hasPrices(s: SourceConfig): boolean {
  return (s.from === 'file' && s.priceInputs.length > 0) || (s.from === 'kafka' && s.priceTopic !== null);
}

/**
 * Export the configured source into the output folder. Optional artefacts a previous run left there
 * (price logs, dead letters) are removed, so the folder always matches this run's summary.
 * @example const { summary, eventsPath } = await exportStage(config, { onWarning: warn });
 */
export async function exportStage(c: PipelineConfig, hooks: {
  onWarning?: (m: string) => void; onProgress?: (recordsRead: number) => void;
  /** each failed attempt to reach a Postgres source before the next (docs/export.md) */
  onConnectRetry?: (r: ConnectRetry) => void;
} = {}): Promise<ExportStageResult> {
  const eventsPath = join(c.out, 'events.parquet');
  const pricePath = join(c.out, 'price-logs.parquet');
  const deadLetter = join(c.out, 'events.dead-letter.jsonl');
  const s = c.source;
  const conn = s.from === 'supabase'
    ? { ...(s.databaseUrl !== null ? { databaseUrl: s.databaseUrl } : {}), ...(s.supabaseUrl !== null ? { supabaseUrl: s.supabaseUrl } : {}), ...(s.supabaseKeyEnv !== null ? { supabaseKeyEnv: s.supabaseKeyEnv } : {}) }
    : {};
  const connect = hooks.onConnectRetry ? { connect: { onRetry: hooks.onConnectRetry } } : {};
  const experiments = c.labels.experimentsFrom === null ? null : await loadLabels(c.labels.experimentsFrom, { ...conn, experimentsTable: c.labels.experimentsTable, ...connect });
  const sessionLabels = c.labels.sessions === null ? null : await SessionLabels.load(c.labels.sessions);
  if (sessionLabels?.hasClientRows && s.from !== 'access-log') throw new UsageError(`labels.sessions ${c.labels.sessions}: rows keyed by client_address work only with source.from "access-log"`);
  const source = await openExportSource(sourceSpec(s, sessionLabels, hooks.onConnectRetry), hooks.onWarning);
  const withPrices = hasPrices(s);
  const collected = new EventsTableCollector();
  const summary = await runExport(source, {
    out: eventsPath, deadLetter, partitionBy: 'none', compression: c.export.compression, rowGroupSize: c.export.rowGroupSize, flushRecords: 500_000, flushIntervalMs: null,
    metadata: { 'phantom.command': commandLine().replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@') },
    label: c.labels.label === null ? null : c.labels.label === 'agent', experiments, dedupe: s.from === 'file' && s.dedupe,
    sessionLabels, ...(sessionLabels === null ? {} : { finalMetadata: () => sessionLabels.footer() }),
    ...((s.from === 'file' || s.from === 'access-log') && s.since !== null ? { sinceMs: ms(s.since)! } : {}), ...((s.from === 'file' || s.from === 'access-log') && s.until !== null ? { untilMs: ms(s.until)! } : {}),
    ...(s.maxMessages !== null ? { maxMessages: s.maxMessages } : {}),
    withPrices, ...(hooks.onWarning ? { onWarning: hooks.onWarning } : {}),
    onProgress: (p) => hooks.onProgress?.(p.recordsRead), onEventsChunk: (chunk) => collected.add(chunk),
  });
  if (summary.dead_letter_file === null) await rm(deadLetter, { force: true });
  if (!withPrices) await rm(pricePath, { force: true });
  return { summary, eventsPath, events: collected.table(), footer: sessionLabels?.footer() ?? {}, pricePath: withPrices ? pricePath : null };
}
