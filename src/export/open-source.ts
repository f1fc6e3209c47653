/**
 * From a plain description of where to read (what `phantom export` flags say) to an `ExportSource`
 * and the experiment labels, with every usage mistake reported before anything is read.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { expandEventInputs, expandFilePatterns } from '../io/input-paths.js';
import type { KafkaConnection } from '../sources/kafka-client.js';
import type { ExperimentLabels } from '../sources/experiments.js';
import { readFiles, readPostgres, readSupabaseRest, kafkaExportSource, streamSource, openAccessLogSource } from './lazy-sources.js'; // each source loads its client when opened
import type { ConnectOptions } from '../sources/pg-connection.js';
import type { RawBatch } from '../sources/types.js';
import type { AccessLogSpec } from './access-log-source.js';
import type { ExportSource, StreamKind } from './types.js';

export type SourceSpec =
  | (KafkaConnection & {
      from: 'kafka';
      topic: string;
      priceTopic?: string;
      group?: string;
      follow?: boolean;
      fromBeginning?: boolean;
      sinceMs?: number;
      untilMs?: number;
      maxMessages?: number;
      sessionTimeoutMs?: number;
    })
  | { from: 'supabase'; databaseUrl?: string; supabaseUrl?: string; supabaseKeyEnv?: string; table?: string; columns?: string; sinceMs?: number; untilMs?: number; maxMessages?: number;
      /** --database-url: keep retrying an unreachable server this long, telling each failed attempt */
      connect?: ConnectOptions }
  | { from: 'file'; inputs: string[]; priceInputs?: string[]; maxMessages?: number }
  | (AccessLogSpec & { from: 'access-log'; maxMessages?: number });

/**
 * Open the source. Kafka connects (and fails with a UsageError naming the brokers when it cannot).
 * @example const src = await openExportSource({ from: 'file', inputs: ['fixtures/events.jsonl'] });
 */
export async function openExportSource(spec: SourceSpec, onWarning?: (m: string) => void): Promise<ExportSource> {
  if (spec.from === 'kafka') {
    const topics = spec.priceTopic === undefined ? [spec.topic] : [spec.topic, spec.priceTopic];
    if (spec.priceTopic === spec.topic) throw new UsageError('--price-topic must differ from --topic');
    const { from: _from, topic: _topic, ...rest } = spec;
    return kafkaExportSource({ ...rest, topics, ...(onWarning ? { onWarning } : {}) });
  }
  if (spec.from === 'access-log') return openAccessLogSource(spec, spec.maxMessages);
  if (spec.from === 'file') {
    if (spec.inputs.length === 0) throw new UsageError('--from file: name at least one input file (globs allowed)');
    const inputs = await expandEventInputs(spec.inputs); // files, globs and folders, as every events reader
    const prices = spec.priceInputs && spec.priceInputs.length > 0 ? await expandFilePatterns(spec.priceInputs) : [];
    const streams: { stream: StreamKind; open: () => AsyncGenerator<RawBatch> }[] = [{ stream: 'events', open: () => readFiles(inputs) }];
    if (prices.length > 0) streams.push({ stream: 'prices', open: () => readFiles(prices) });
    return streamSource('file', streams, spec.maxMessages);
  }
  const window = { ...(spec.sinceMs !== undefined ? { sinceMs: spec.sinceMs } : {}), ...(spec.untilMs !== undefined ? { untilMs: spec.untilMs } : {}) };
  const table = spec.table ?? 'events';
  if (spec.databaseUrl !== undefined) {
    const url = spec.databaseUrl;
    return streamSource('postgres', [{ stream: 'events', open: () => readPostgres({ databaseUrl: url, table, acceptedValues: false, ...(spec.columns ? { columns: spec.columns } : {}), ...window, ...connectOf(spec.connect) }) }], spec.maxMessages);
  }
  if (spec.supabaseUrl !== undefined) {
    if (spec.supabaseKeyEnv === undefined) throw new UsageError('--supabase-url needs --supabase-key-env VAR (the API key is read from that environment variable)');
    const opts = { supabaseUrl: spec.supabaseUrl, keyEnv: spec.supabaseKeyEnv, table, ...(spec.columns ? { columns: spec.columns } : {}), ...window };
    return streamSource('supabase-rest', [{ stream: 'events', open: () => readSupabaseRest(opts) }], spec.maxMessages);
  }
  throw new UsageError('--from supabase needs --database-url URL|ENV_VAR or --supabase-url URL --supabase-key-env VAR');
}

/** readPostgres's connection options from a spec's `connect`. */
function connectOf(c: ConnectOptions | undefined): { connectTimeoutMs?: number; onConnectRetry?: ConnectOptions['onRetry']; connectSignal?: AbortSignal } {
  return {
    ...(c?.timeoutMs !== undefined ? { connectTimeoutMs: c.timeoutMs } : {}), ...(c?.onRetry ? { onConnectRetry: c.onRetry } : {}), ...(c?.signal ? { connectSignal: c.signal } : {}),
  };
}

/**
 * Load `--experiments-from`: "supabase" reads the experiments table over the connection the flags name
 * (`--database-url`, else `--supabase-url`); anything else is a CSV/JSON export of that table.
 * @example await loadLabels('fixtures/experiments.csv', {}) // Map(experimentId → is_agent)
 */
export async function loadLabels(from: string, conn: { databaseUrl?: string; supabaseUrl?: string; supabaseKeyEnv?: string; experimentsTable?: string; connect?: ConnectOptions }): Promise<ExperimentLabels> {
  const { loadExperimentLabels } = await import('../sources/experiments.js'); // its file readers only for --experiments-from
  if (from !== 'supabase') return loadExperimentLabels({ kind: 'file', path: from });
  const table = conn.experimentsTable ?? 'experiments';
  if (conn.databaseUrl !== undefined) return loadExperimentLabels({ kind: 'postgres', databaseUrl: conn.databaseUrl, table, ...(conn.connect ? { connect: conn.connect } : {}) });
  if (conn.supabaseUrl !== undefined && conn.supabaseKeyEnv !== undefined) {
    return loadExperimentLabels({ kind: 'supabase-rest', supabaseUrl: conn.supabaseUrl, keyEnv: conn.supabaseKeyEnv, table });
  }
  throw new UsageError('--experiments-from supabase needs --database-url or --supabase-url with --supabase-key-env');
}

/**
 * A one-shot export's identity: a hash of what it reads and how (source, inputs resolved against the
 * working directory, table, window, labelling options). Only the hash is stored (`.staging/done-<hash>.json`),
 * so a password inside a URL never reaches the disk.
 * @example exportIdentity({ from: 'file', inputs: ['events.jsonl'] }, { label: null }) // '3f1c…' (32 hex digits)
 */
export function exportIdentity(spec: SourceSpec, options: Record<string, unknown>): string {
  const where = spec.from === 'file' ? { ...spec, inputs: spec.inputs.map((p) => resolve(p)), priceInputs: (spec.priceInputs ?? []).map((p) => resolve(p)) }
    : spec.from === 'access-log' ? { ...spec, inputs: spec.inputs.map((p) => (p === '-' ? p : resolve(p))) }
      : spec.from === 'supabase' ? { ...spec, connect: undefined } : spec; // how long to wait for the server is not what is read
  // a file's size and modification time are part of its identity: an appended or rewritten log is a new export
  const files = spec.from === 'file' || spec.from === 'access-log' ? spec.inputs.map(fileVersion) : [];
  return createHash('sha256').update(JSON.stringify({ where, options, files })).digest('hex').slice(0, 32);
}

/** Size and modification time of an input path (null for a glob, stdin or a missing file). */
function fileVersion(path: string): { size: number; mtimeMs: number } | null {
  try {
    const st = statSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return null;
  }
}
