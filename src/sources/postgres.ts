/**
 * Supabase/Postgres source (docs/export.md `--from supabase --database-url …`): streams an events table through
 * a server-side cursor (pg + pg-cursor) in one read-only REPEATABLE READ transaction, so memory is one
 * batch whatever the table size and the rows form one consistent snapshot. The cursor reads binary rows
 * (pg-binary-cursor.ts) when every selected column has a binary decoder — the usual case — and text rows
 * through pg-cursor otherwise; the rows are the same either way. Rows become flat event
 * objects (`normalise()` input) with provenance (table name, integer id or row number).
 *
 *   for await (const batch of readPostgres({ databaseUrl: 'DATABASE_URL', table: 'events',
 *     columns: 'sessionId=session_id,ts=created_at', sinceMs: Date.parse('2025-01-01') })) { … }
 *
 * Failures: bad flags, an unreachable server, a missing table or column → UsageError (exit 2), before
 * any batch. The server failing after reading began (killed, connection lost, backend terminated) →
 * SourceFailed (exit 1) carrying how many rows were delivered: nothing is committed by this source, and
 * the caller must discard what it wrote. Messages name `host:port/db`, never the password.
 */
import type pg from 'pg';
import { PhantomError, UsageError } from '../errors.js';
import { type ColumnMapping, parseColumnMapping, quoteTableName } from './event-columns.js';
import { closeClient, ConnectAborted, connectClient, describePgError, type ConnectRetry, type ResolvedDatabase, resolveDatabaseUrl } from './pg-connection.js';
import { planPostgresRead, type PostgresReadPlan } from './pg-plan.js';
import { SourceFailed } from './source-failed.js';
import { BinaryCursor, binaryDecoders } from './pg-binary-cursor.js';
import { RowCursor } from './pg-row-cursor.js';
import { pgRowsToRecords } from './pg-rows.js';
import type { RawBatch } from './types.js';

export interface PostgresSourceOptions {
  /** A postgres:// URL or the name of an environment variable holding one. */
  databaseUrl: string;
  /** Table or view, optionally schema-qualified (default `events`). */
  table?: string;
  /** Non-standard column names: `sessionId=session_id,ts=created_at` or an object. */
  columns?: string | ColumnMapping;
  /** Half-open window on the ts column: since <= ts < until (epoch ms), evaluated by the server. */
  sinceMs?: number;
  untilMs?: number;
  /**
   * Rows per cursor read and per yielded batch (default 2,000: measured here, 1M rows cost 2.0 s of client
   * CPU at 2,000 and 3.3 s at 10,000, mostly GC of rows promoted out of the young generation). Raise it
   * for a distant server, where each read costs a round trip.
   */
  batchSize?: number;
  /** Keep retrying an unreachable server this long (default PG_CONNECT_DEFAULTS.timeoutMs, 30 s). */
  connectTimeoutMs?: number;
  /** Told each failed connection attempt before the next (src/commands/connect-progress.ts words it). */
  onConnectRetry?: (retry: ConnectRetry) => void;
  /** Stops a connection still being retried (SIGINT): the read then ends with no rows. */
  connectSignal?: AbortSignal;
  /** Longest one cursor read may take before the server counts as lost (default 300 s). */
  readTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Give accepted rows' records their flat event as `value` (default true). The export reads only an
   * accepted record's `parsed` row and passes false: one object less per row.
   */
  acceptedValues?: boolean;
  /** Told once, before the first batch, which columns and which SQL are used. */
  onPlan?: (plan: PostgresReadPlan & { server: string; table: string }) => void;
}

type Row = unknown[];
/** What the source needs of a cursor (pg-binary-cursor.ts or pg-row-cursor.ts). */
interface RowReader {
  read(rows: number): Promise<Row[]>;
  close(): Promise<void>;
}

/**
 * Stream an events table as batches of raw records.
 * @example for await (const batch of readPostgres({ databaseUrl: 'postgres://u:p@localhost/db' })) count += batch.length;
 */
export async function* readPostgres(opts: PostgresSourceOptions): AsyncGenerator<RawBatch> {
  const table = opts.table ?? 'events';
  const tableSql = quoteTableName(table);
  const columns = parseColumnMapping(opts.columns);
  const batchSize = opts.batchSize ?? 2_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new UsageError(`batch size must be a positive integer, got ${batchSize}`);
  if (opts.sinceMs !== undefined && opts.untilMs !== undefined && opts.sinceMs >= opts.untilMs) {
    throw new UsageError('--since must be earlier than --until');
  }
  const db = resolveDatabaseUrl(opts.databaseUrl, opts.env);
  let client: pg.Client;
  try {
    client = await connectClient(db, {
      ...(opts.connectTimeoutMs !== undefined ? { timeoutMs: opts.connectTimeoutMs } : {}), ...(opts.onConnectRetry ? { onRetry: opts.onConnectRetry } : {}),
      ...(opts.connectSignal ? { signal: opts.connectSignal } : {}),
    });
  } catch (err) {
    if (err instanceof ConnectAborted) return; // the caller stopped: it says so itself
    throw err;
  }
  let delivered = 0;
  let reading = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const probe = await client.query(`SELECT * FROM ${tableSql} LIMIT 0`);
    const plan = planPostgresRead(probe.fields, { table, tableSql, columns, sinceMs: opts.sinceMs, untilMs: opts.untilMs });
    opts.onPlan?.({ ...plan, server: db.label, table });
    // the result's column types decide the read: binary rows when every type has a binary decoder
    const shape = await client.query({ text: `${plan.sql} LIMIT 0`, values: plan.values });
    const decoders = binaryDecoders(shape.fields);
    reading = true;
    const cursor: RowReader = client.query(decoders !== null ? new BinaryCursor(plan.sql, plan.values, decoders) : new RowCursor(plan.sql, plan.values));
    const hasId = plan.offsetColumn !== null;
    const acceptedValues = opts.acceptedValues ?? true;
    const readTimeoutMs = opts.readTimeoutMs ?? 300_000;
    const next = (): Promise<Row[]> => {
      const p = readWithin(cursor, batchSize, readTimeoutMs, client);
      p.catch(() => undefined); // awaited below; this only keeps an abandoned prefetch from being "unhandled"
      return p;
    };
    // one read ahead: the server produces the next batch while the caller handles this one
    let pending = next();
    for (;;) {
      const rows = await pending;
      if (rows.length === 0) break;
      pending = next();
      const batch = pgRowsToRecords(rows, table, hasId, delivered, acceptedValues);
      delivered += rows.length;
      yield batch;
    }
    await cursor.close();
    await client.query('COMMIT');
  } catch (err) {
    throw classify(err, db, table, reading, delivered);
  } finally {
    await closeClient(client);
  }
}

/** A cursor read that fails instead of hanging when the server stops answering. */
async function readWithin(cursor: RowReader, rows: number, ms: number, client: pg.Client): Promise<Row[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // ending the socket makes pg fail the cursor too, so nothing is left waiting on it
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      reject(new Error(`no answer for ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  try {
    return await Promise.race([cursor.read(rows), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// SQLSTATE classes that mean "your flags point at something that is not there / not yours"
const USAGE_CODES: Record<string, string> = { '42P01': 'no such table', '42501': 'permission denied', '3F000': 'no such schema' };

function classify(err: unknown, db: ResolvedDatabase, table: string, reading: boolean, delivered: number): PhantomError {
  if (err instanceof PhantomError) return err;
  const code = (err as { code?: string }).code ?? '';
  const what = describePgError(err, db);
  if (!reading && USAGE_CODES[code] !== undefined) return new UsageError(`--table ${table}: ${USAGE_CODES[code]} at ${db.label} (${what})`);
  return new SourceFailed(
    `Postgres at ${db.label} failed while reading ${table} after ${delivered} rows: ${what}; the read is incomplete and nothing from it should be kept`,
    delivered,
  );
}
