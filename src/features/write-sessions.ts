/**
 * Write the session table (docs/contract.md §4) as sessions.parquet — sessionId, experimentId, is_agent, purchased,
 * then the features in registry order, int → Int32, float → Float64, bool → Bool, category →
 * Dictionary<Int32, Utf8>, null where undefined — or as CSV (the same batches, src/io/table-file.ts) or a
 * JSON array. Every output is atomic.
 */
import * as arrow from '../io/arrow.js';
import { commandLine } from '../events/events-parquet.js';
import { dictValue } from '../io/arrow-columns.js';
import { boolData, dictionaryData, recordBatch, utf8Data } from '../io/arrow-vectors.js';
import type { CompressionName } from '../io/parquet.js';
import { writeTable } from '../io/table-file.js';
import { writeTextStream } from '../io/text-out.js';
import { LABEL_COLUMNS_KEY } from './label-columns.js';
import { featureCategory, featureColumn, type SessionTable } from './session-table.js';

export const SESSIONS_SCHEMA_VERSION = '1';
export const OUTPUT_FORMATS = ['parquet', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const BATCH_ROWS = 262_144;

/** Validity bitmap (1 = valid) of a float column, NaN = null; null when all are valid. */
function validOf(v: Float64Array): { nullBitmap?: Uint8Array; nullCount: number } {
  let nullCount = 0;
  const bits = new Uint8Array((v.length + 7) >> 3);
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== v[i]) nullCount++;
    else bits[i >> 3]! |= 1 << (i & 7);
  }
  return nullCount === 0 ? { nullCount } : { nullBitmap: bits, nullCount };
}

function int32FromFloat(v: Float64Array): arrow.Data<arrow.Int32> {
  const data = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) data[i] = v[i] === v[i] ? v[i]! : 0;
  return arrow.makeData({ type: new arrow.Int32(), length: v.length, data, ...validOf(v) });
}

function boolFromFloat(v: Float64Array): arrow.Data<arrow.Bool> {
  const data = new Uint8Array((v.length + 7) >> 3);
  for (let i = 0; i < v.length; i++) if (v[i] === v[i] && v[i] !== 0) data[i >> 3]! |= 1 << (i & 7);
  return arrow.makeData({ type: new arrow.Bool(), length: v.length, data, ...validOf(v) });
}

/** `view`: the batch reads the table's own column (for writers, which only read); else a copy. */
function float64FromFloat(v: Float64Array, view: boolean): arrow.Data<arrow.Float64> {
  return arrow.makeData({ type: new arrow.Float64(), length: v.length, data: view ? v : v.slice(), ...validOf(v) });
}

/**
 * One record batch of rows [lo, hi); the pass-through label columns only where the footer names them (Parquet).
 * With `views`, its float columns are views of the table's (a Parquet row group holds its batches until it
 * encodes them: copies were ~250 MB more at the peak of a 10M-event `features`, docs/perf/binshared.md).
 */
function sessionsBatch(t: SessionTable, lo: number, hi: number, metadata: Map<string, string>, labelColumns: boolean, views: boolean): arrow.RecordBatch {
  const cols: { name: string; data: arrow.Data; nullable: boolean }[] = [
    { name: 'sessionId', data: utf8Data(t.sessionIds.slice(lo, hi)), nullable: false },
    { name: 'experimentId', data: utf8Data(t.experimentIds.slice(lo, hi)), nullable: true },
    { name: 'is_agent', data: boolData(t.isAgent.subarray(lo, hi)), nullable: true },
    { name: 'purchased', data: boolData(t.purchased.subarray(lo, hi)), nullable: true },
    ...Object.entries(labelColumns ? t.labelColumns ?? {} : {}).map(([name, v]) => ({ name, data: utf8Data(v.slice(lo, hi)) as arrow.Data, nullable: true })),
  ];
  t.features.forEach((f, k) => {
    if (f.dtype === 'category') {
      const c = featureCategory(t, f.name);
      cols.push({ name: f.name, data: dictionaryData(c.codes.slice(lo, hi), c.dict, k), nullable: true });
      return;
    }
    const v = featureColumn(t, f.name).subarray(lo, hi);
    const data = f.dtype === 'int' ? int32FromFloat(v) : f.dtype === 'bool' ? boolFromFloat(v) : float64FromFloat(v, views);
    cols.push({ name: f.name, data, nullable: true });
  });
  if (t.site !== undefined) cols.push({ name: 'site', data: utf8Data(t.site.slice(lo, hi)), nullable: true });
  if (t.sessionDate !== undefined) cols.push({ name: 'session_date', data: utf8Data(t.sessionDate.slice(lo, hi)), nullable: true });
  return recordBatch(cols, metadata);
}

export interface SessionsWriteOptions {
  format: OutputFormat;
  compression?: CompressionName;
  /** extra key/value metadata (feature set, timeout, …) */
  metadata?: Record<string, string>;
  /** the whole footer, when the caller built it already (sessionsFooter) */
  footer?: Record<string, string>;
}

/** Text of one value for JSON: integers and floats as JavaScript prints them, bools as true/false. */
function cellValue(t: SessionTable, name: string, dtype: string, s: number): number | boolean | string | null {
  if (dtype === 'category') {
    return dictValue(featureCategory(t, name), s);
  }
  const v = featureColumn(t, name)[s] ?? NaN;
  if (v !== v) return null;
  return dtype === 'bool' ? v !== 0 : v;
}

function* jsonPieces(t: SessionTable): Generator<string> {
  yield '[';
  const flag = (x: number): boolean | null => (x < 0 ? null : x === 1);
  let chunk = '';
  for (let s = 0; s < t.nSessions; s++) {
    const row: Record<string, unknown> = { sessionId: t.sessionIds[s], experimentId: t.experimentIds[s], is_agent: flag(t.isAgent[s]!), purchased: flag(t.purchased[s]!) };
    for (const f of t.features) row[f.name] = cellValue(t, f.name, f.dtype, s);
    if (t.site !== undefined) row['site'] = t.site[s];
    if (t.sessionDate !== undefined) row['session_date'] = t.sessionDate[s];
    chunk += `${s === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}\n]\n`;
}

/**
 * The footer metadata of sessions.parquet: schema version, kind, feature set, command line, session count,
 * the caller's keys, and the pass-through label columns.
 * @example sessionsFooter(table, { 'phantom.timeout_sec': '900' })['phantom.sessions'] // '300'
 */
export function sessionsFooter(t: SessionTable, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'phantom.schema_version': SESSIONS_SCHEMA_VERSION, 'phantom.kind': 'sessions', 'phantom.feature_set': t.featureSet,
    'phantom.command': commandLine(), 'phantom.sessions': String(t.nSessions), ...extra,
    ...(t.labelColumns === undefined ? {} : { [LABEL_COLUMNS_KEY]: JSON.stringify(Object.keys(t.labelColumns)) }),
  };
}

/**
 * The record batches of sessions.parquet (one per 262,144 sessions; one empty batch for an empty table).
 * The CSV form leaves out the pass-through label columns: without the Parquet footer that names them, a
 * reader would take them for features.
 */
function* sessionsBatches(t: SessionTable, footer: Record<string, string>, labelColumns = true, views = false): Generator<arrow.RecordBatch> {
  const metadata = new Map(Object.entries(footer));
  if (t.nSessions === 0) yield sessionsBatch(t, 0, 0, metadata, labelColumns, views);
  for (let lo = 0; lo < t.nSessions; lo += BATCH_ROWS) yield sessionsBatch(t, lo, Math.min(t.nSessions, lo + BATCH_ROWS), metadata, labelColumns, views);
}

/**
 * The session table as the Arrow table sessions.parquet holds (same columns, types and footer), for
 * readers that take it in memory instead of from the file (the pipeline's classifier and distill).
 * @example tableFromArrow(sessionsArrowTable(table, sessionsFooter(table))) // = readDataTable('sessions.parquet')
 */
export function sessionsArrowTable(t: SessionTable, footer: Record<string, string>): arrow.Table {
  return new arrow.Table([...sessionsBatches(t, footer)]);
}

/**
 * Write the session table to `path` in the chosen format; Parquet footer metadata records the schema
 * version, feature set, command line and session count (sessionsFooter). Returns the SHA-256 of the
 * Parquet file written (null for CSV and JSON).
 * @example await writeSessions('sessions.parquet', table, { format: 'parquet', metadata: { 'phantom.timeout_sec': '900' } })
 */
export async function writeSessions(path: string, t: SessionTable, opts: SessionsWriteOptions): Promise<{ sha256: string | null }> {
  if (opts.format === 'json') {
    await writeTextStream(path, jsonPieces(t));
    return { sha256: null };
  }
  const footer = opts.footer ?? sessionsFooter(t, opts.metadata);
  // sessionId and the numeric features are mostly distinct per session: dictionary encoding them cost ~35 %
  // of the write for a file 3 % smaller (docs/perf/features-speed.md); categories and the string columns keep it
  const plainColumns = ['sessionId', ...t.features.filter((f) => f.dtype !== 'category').map((f) => f.name)];
  // the writers only read the batches: float columns as views of the table, not copies
  const { sha256 } = await writeTable(path, sessionsBatches(t, footer, opts.format === 'parquet', true), {
    format: opts.format, compression: opts.compression ?? 'zstd', rowGroupSize: 1_000_000, metadata: footer, plainColumns,
  });
  return { sha256 };
}
