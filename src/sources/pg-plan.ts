/**
 * The SELECT the Postgres source runs, planned from the table's real columns and their types (one
 * `SELECT * … LIMIT 0` tells both): fields in a fixed order for array-mode rows, times converted to
 * epoch ms on the server, the `--since/--until` window as bound parameters, ordered by an integer id
 * when the table has one (so `src_offset` is that id and reruns read rows in the same order).
 */
import { UsageError } from '../errors.js';
import { type ColumnMapping, type EventField, quoteIdentifier, resolveEventColumns } from './event-columns.js';

/** The fields of each array-mode row, in SELECT order; `id` (when used) comes last. */
export const ROW_FIELDS = [
  'sessionId', 'experimentId', 'eventName', 'ts', 'page', 'productId', 'storeMode', 'userAgent', 'metadata', 'is_agent',
] as const satisfies readonly EventField[];

export interface ColumnInfo {
  name: string;
  /** Postgres type OID (domains arrive as their base type). */
  dataTypeID: number;
}

export interface PostgresReadPlan {
  sql: string;
  values: number[];
  /** Field → column actually used. */
  columns: ColumnMapping;
  /** The integer id column whose value is `src_offset`, or null (then it is the 0-based row number). */
  offsetColumn: string | null;
}

const OID = { bool: 16, int8: 20, int2: 21, int4: 23, text: 25, json: 114, float4: 700, float8: 701, varchar: 1043, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700, jsonb: 3802 } as const;
const INTEGER: readonly number[] = [OID.int2, OID.int4, OID.int8];
const NUMERIC: readonly number[] = [...INTEGER, OID.float4, OID.float8, OID.numeric];
const TIME: readonly number[] = [OID.timestamptz, OID.timestamp, OID.date];
const METADATA_AS_IS: readonly number[] = [OID.json, OID.jsonb, OID.text, OID.varchar];

export interface PlanOptions {
  table: string;
  /** The table name already validated and quoted. */
  tableSql: string;
  columns: ColumnMapping;
  sinceMs?: number;
  untilMs?: number;
}

/**
 * Plan the read of an events table from its columns.
 * @example planPostgresRead([{ name: 'session_id', dataTypeID: 25 }, …], { table: 'events', tableSql: '"events"', columns: {} })
 */
export function planPostgresRead(available: readonly ColumnInfo[], opts: PlanOptions): PostgresReadPlan {
  const columns = resolveEventColumns(available.map((c) => c.name), opts.columns, opts.table);
  const typeOf = (col: string): number => available.find((c) => c.name === col)!.dataTypeID;
  const select: string[] = [];
  for (const field of ROW_FIELDS) {
    const col = columns[field];
    if (col === undefined) {
      select.push('NULL');
      continue;
    }
    const q = quoteIdentifier(col, `--columns ${field}`);
    const type = typeOf(col);
    if (field === 'ts') {
      // extract(epoch …) of a timestamp without zone reads it as UTC, as parseIsoMs does for zone-less text
      select.push(TIME.includes(type) ? `floor(extract(epoch from ${q}) * 1000)::float8` : NUMERIC.includes(type) || type === OID.text || type === OID.varchar ? q : `${q}::text`);
    } else if (field === 'metadata') {
      select.push(METADATA_AS_IS.includes(type) ? q : `${q}::text`);
    } else if (field === 'is_agent') {
      if (type === OID.bool) select.push(q);
      else if (INTEGER.includes(type)) select.push(`(${q} <> 0)`);
      else throw new UsageError(`column ${col} (is_agent) of ${opts.table} is neither boolean nor integer; map another with --columns is_agent=COLUMN`);
    } else {
      select.push(`${q}::text`);
    }
  }
  const idCol = columns.id !== undefined && INTEGER.includes(typeOf(columns.id)) ? columns.id : null;
  if (idCol !== null) select.push(`${quoteIdentifier(idCol, '--columns id')}::int8`);

  const where: string[] = [];
  const values: number[] = [];
  if (opts.sinceMs !== undefined || opts.untilMs !== undefined) {
    const tsCol = columns.ts!;
    const q = quoteIdentifier(tsCol, '--columns ts');
    const type = typeOf(tsCol);
    const bound = (p: string): string =>
      type === OID.timestamptz ? `to_timestamp(${p}::float8 / 1000)`
      : TIME.includes(type) ? `(to_timestamp(${p}::float8 / 1000) AT TIME ZONE 'UTC')`
      : NUMERIC.includes(type) ? `${p}::float8`
      : '';
    if (bound('$1') === '') {
      throw new UsageError(`--since/--until need a time or epoch-ms column for ts; ${opts.table}.${tsCol} is text (map a timestamptz column with --columns ts=COLUMN)`);
    }
    // half-open window, as for Kafka: since <= ts < until
    if (opts.sinceMs !== undefined) {
      values.push(opts.sinceMs);
      where.push(`${q} >= ${bound(`$${values.length}`)}`);
    }
    if (opts.untilMs !== undefined) {
      values.push(opts.untilMs);
      where.push(`${q} < ${bound(`$${values.length}`)}`);
    }
  }
  const sql =
    `SELECT ${select.join(', ')} FROM ${opts.tableSql}` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    (idCol !== null ? ` ORDER BY ${quoteIdentifier(idCol, '--columns id')}` : '');
  return { sql, values, columns, offsetColumn: idCol };
}
