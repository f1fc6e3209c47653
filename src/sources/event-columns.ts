/**
 * Which table column feeds which event field (docs/contract.md §1), for the Postgres and PostgREST sources.
 * Identifiers are validated against a strict pattern before they are quoted into SQL or a PostgREST
 * query, so a column or table name can never carry SQL; values always travel as bound parameters.
 */
import { UsageError } from '../errors.js';

/** The event fields a table may provide; `id` (an integer key) orders the read and becomes `src_offset`. */
export const EVENT_FIELDS = [
  'sessionId', 'experimentId', 'eventName', 'ts', 'page', 'productId', 'storeMode', 'userAgent', 'metadata', 'is_agent', 'id',
] as const;
export type EventField = (typeof EVENT_FIELDS)[number];
export type ColumnMapping = Partial<Record<EventField, string>>;

/** A field must have a column; the others are null when the table lacks them. */
export const REQUIRED_FIELDS: readonly EventField[] = ['sessionId', 'eventName', 'ts'];

// Tried in order when `--columns` does not name a column: the field itself, its snake_case spelling,
// Postgres' lower-case folding of an unquoted camelCase name, and Supabase's `created_at` for ts.
const CANDIDATES: Record<EventField, readonly string[]> = {
  sessionId: ['sessionId', 'session_id', 'sessionid'],
  experimentId: ['experimentId', 'experiment_id', 'experimentid'],
  eventName: ['eventName', 'event_name', 'eventname'],
  ts: ['ts', 'timestamp', 'created_at'],
  page: ['page'],
  productId: ['productId', 'product_id', 'productid'],
  storeMode: ['storeMode', 'store_mode', 'storemode'],
  userAgent: ['userAgent', 'user_agent', 'useragent'],
  metadata: ['metadata', 'meta'],
  is_agent: ['is_agent', 'isAgent', 'isagent'],
  id: ['id'],
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Check a column/table name (letters, digits, `_`, at most 63 characters) and return it double-quoted. */
export function quoteIdentifier(name: string, flag: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new UsageError(`${flag}: "${name.slice(0, 80)}" is not a valid identifier (letters, digits and _, not starting with a digit, at most 63 characters)`);
  }
  return `"${name}"`;
}

/** A table name, optionally schema-qualified (`public.events`), quoted part by part. */
export function quoteTableName(name: string, flag = '--table'): string {
  const parts = name.split('.');
  if (parts.length > 2) throw new UsageError(`${flag}: "${name.slice(0, 80)}" has more than one dot (use schema.table)`);
  return parts.map((p) => quoteIdentifier(p, flag)).join('.');
}

/**
 * Parse `--columns sessionId=session_id,ts=created_at` (or take an object); every name is validated.
 * @example parseColumnMapping('ts=created_at,metadata=meta') // { ts: 'created_at', metadata: 'meta' }
 */
export function parseColumnMapping(spec: string | ColumnMapping | undefined): ColumnMapping {
  if (spec === undefined) return {};
  const pairs: [string, string][] =
    typeof spec === 'string'
      ? spec.split(',').filter((p) => p.trim() !== '').map((p) => {
          const eq = p.indexOf('=');
          if (eq < 0) throw new UsageError(`--columns: "${p.trim()}" is not field=column`);
          return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
        })
      : Object.entries(spec).filter((e): e is [string, string] => typeof e[1] === 'string');
  const out: ColumnMapping = {};
  for (const [field, column] of pairs) {
    if (!(EVENT_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`--columns: unknown field "${field.slice(0, 40)}" (fields: ${EVENT_FIELDS.join(', ')})`);
    }
    quoteIdentifier(column, `--columns ${field}`);
    out[field as EventField] = column;
  }
  return out;
}

/**
 * Match event fields to the columns a table has: explicit mapping first, then the usual spellings.
 * Throws UsageError naming what is missing (a mapped column that does not exist, or a required field).
 * @example resolveEventColumns(['session_id', 'event_name', 'created_at'], {}) // { sessionId: 'session_id', … }
 */
export function resolveEventColumns(available: readonly string[], mapping: ColumnMapping, table: string): ColumnMapping {
  const have = new Set(available);
  const out: ColumnMapping = {};
  for (const field of EVENT_FIELDS) {
    const explicit = mapping[field];
    if (explicit !== undefined) {
      if (!have.has(explicit)) {
        throw new UsageError(`--columns ${field}=${explicit}: table ${table} has no column "${explicit}" (columns: ${available.join(', ')})`);
      }
      out[field] = explicit;
      continue;
    }
    const found = CANDIDATES[field].find((c) => have.has(c));
    if (found !== undefined) out[field] = found;
    else if (REQUIRED_FIELDS.includes(field)) {
      throw new UsageError(
        `table ${table} has no column for ${field} (looked for ${CANDIDATES[field].join(', ')}); map one with --columns ${field}=COLUMN (columns: ${available.join(', ')})`,
      );
    }
  }
  return out;
}
