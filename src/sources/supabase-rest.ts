/**
 * Supabase REST source (docs/export.md `--supabase-url URL --supabase-key-env VAR`): the events table through
 * PostgREST, paged, for projects where only the API is reachable. The slower path; the direct Postgres
 * connection (`readPostgres`) streams a snapshot and is preferred when a database URL is available.
 *
 *   for await (const batch of readSupabaseRest({ supabaseUrl: 'https://xyz.supabase.co',
 *     keyEnv: 'SUPABASE_SERVICE_KEY', table: 'events', sinceMs: Date.parse('2025-01-01') })) { … }
 *
 * Columns are found from one probe row (PostgREST's schema endpoint needs more privileges than a table
 * read), then renamed in the select list (`sessionId:session_id`), so each row arrives as a flat event.
 * Paging is by offset over a total order: the integer `id` when the table has one (then `src_offset` =
 * id), otherwise every selected column but metadata (then `src_offset` = row number); rows that tie on all
 * of those differ at most in metadata. Offset paging is not a snapshot: rows written during the read may
 * be missed or read twice, which the direct connection avoids.
 */
import { UsageError } from '../errors.js';
import { type ColumnMapping, EVENT_FIELDS, parseColumnMapping, quoteTableName, resolveEventColumns } from './event-columns.js';
import { openSupabase, restPages } from './supabase-client.js';
import type { RawBatch, RawRecord } from './types.js';

export interface SupabaseRestOptions {
  /** Project URL, e.g. https://xyz.supabase.co (PostgREST at /rest/v1). */
  supabaseUrl: string;
  /** NAME of the environment variable holding the API key (service or anon key with read access). */
  keyEnv: string;
  table?: string;
  columns?: string | ColumnMapping;
  /** Half-open window on the ts column (since <= ts < until, epoch ms), as PostgREST filters. */
  sinceMs?: number;
  untilMs?: number;
  /** Rows per request (default 1000, Supabase's default max-rows); also the batch size. */
  pageSize?: number;
  /** Per-request time limit (default 60 s). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  onPlan?: (plan: { server: string; table: string; select: string; orderBy: string[]; columns: ColumnMapping }) => void;
}

/**
 * Read an events table over PostgREST as batches of raw records.
 * @example for await (const b of readSupabaseRest({ supabaseUrl, keyEnv: 'SUPABASE_KEY' })) n += b.length;
 */
export async function* readSupabaseRest(opts: SupabaseRestOptions): AsyncGenerator<RawBatch> {
  const table = opts.table ?? 'events';
  quoteTableName(table);
  const mapping = parseColumnMapping(opts.columns);
  const pageSize = opts.pageSize ?? 1000;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new UsageError(`page size must be a positive integer, got ${pageSize}`);
  if (opts.sinceMs !== undefined && opts.untilMs !== undefined && opts.sinceMs >= opts.untilMs) throw new UsageError('--since must be earlier than --until');
  const conn = openSupabase(opts.supabaseUrl, opts.keyEnv, opts.env);
  const timeoutMs = opts.timeoutMs ?? 60_000;

  let probe: Record<string, unknown> | undefined;
  for await (const rows of restPages(conn, { table, select: '*', orderBy: [], pageSize: 1, timeoutMs })) {
    probe = rows[0];
    break;
  }
  if (probe === undefined) return; // an empty table: nothing to read
  const columns = resolveEventColumns(Object.keys(probe), mapping, table);
  const idCol = columns.id !== undefined && Number.isSafeInteger(probe[columns.id]) ? columns.id : null;
  const select = EVENT_FIELDS.filter((f) => f !== 'id' && columns[f] !== undefined).map((f) => (f === columns[f] ? f : `${f}:${columns[f]}`));
  if (idCol !== null) select.push(idCol === 'id' ? 'id' : `id:${idCol}`); // kept in the row: normalise ignores it
  const orderBy = idCol !== null ? [idCol] : EVENT_FIELDS.filter((f) => f !== 'id' && f !== 'metadata' && columns[f] !== undefined).map((f) => columns[f]!);
  let window: { column: string; gte?: string | number; lt?: string | number } | undefined;
  if (opts.sinceMs !== undefined || opts.untilMs !== undefined) {
    // the probe tells how ts is stored: a number is epoch ms, text is a timestamp PostgREST casts from ISO
    const asNumber = typeof probe[columns.ts!] === 'number';
    const bound = (ms: number | undefined): string | number | undefined => (ms === undefined ? undefined : asNumber ? ms : new Date(ms).toISOString());
    window = { column: columns.ts!, gte: bound(opts.sinceMs), lt: bound(opts.untilMs) };
  }
  opts.onPlan?.({ server: conn.origin, table, select: select.join(','), orderBy, columns });

  let rowNumber = 0;
  for await (const rows of restPages(conn, { table, select: select.join(','), orderBy, window, pageSize, timeoutMs })) {
    const batch: RawBatch = new Array<RawRecord>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const value = rows[i]!;
      const offset = idCol !== null ? (value['id'] as number) : rowNumber + i;
      batch[i] = { value, provenance: { topic: table, partition: null, offset, timestamp: null } };
    }
    rowNumber += rows.length;
    yield batch;
  }
}
