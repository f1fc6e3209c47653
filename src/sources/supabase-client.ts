/**
 * PostgREST access for the Supabase REST path (docs/export.md `--supabase-url URL --supabase-key-env VAR`):
 * a supabase-js client (2.109, the last for Node 20; `ws` is its realtime transport because Node 20 has
 * no WebSocket and `createClient` throws without one, though no socket is ever opened here) and a pager
 * that reads a table page by page with `.range()` (offset/limit; PostgREST answers with Content-Range).
 * postgrest-js retries network errors and 503/520 itself (1 s, 2 s, 4 s, honouring Retry-After).
 * The key comes from an environment variable and is scrubbed from every message.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { type PhantomError, UsageError } from '../errors.js';
import { quoteIdentifier } from './event-columns.js';
import { scrub } from './pg-connection.js';
import { SourceFailed } from './source-failed.js';

export interface SupabaseConnection {
  client: SupabaseClient;
  /** The project URL's origin, safe to print. */
  origin: string;
  secrets: string[];
}

/**
 * A client for `--supabase-url` with the key held in `env[keyEnv]`.
 * @example const conn = openSupabase('https://xyz.supabase.co', 'SUPABASE_SERVICE_KEY');
 */
export function openSupabase(url: string, keyEnv: string, env: NodeJS.ProcessEnv = process.env): SupabaseConnection {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv)) throw new UsageError(`--supabase-key-env takes the NAME of an environment variable, got "${keyEnv.slice(0, 8)}…"`);
  const key = env[keyEnv];
  if (key === undefined || key.trim() === '') throw new UsageError(`--supabase-key-env: environment variable ${keyEnv} is not set`);
  let origin: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
    origin = u.origin;
  } catch {
    throw new UsageError(`--supabase-url: "${url.slice(0, 80)}" is not an http(s) URL (e.g. https://xyz.supabase.co)`);
  }
  const client = createClient(url, key.trim(), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as NonNullable<NonNullable<Parameters<typeof createClient>[2]>['realtime']>['transport'] },
  });
  return { client, origin, secrets: [key, key.trim()] };
}

export interface PageRequest {
  /** Table, optionally `schema.table` (sent as Accept-Profile). */
  table: string;
  /** PostgREST select list, e.g. `sessionId:session_id,ts`. */
  select: string;
  /** Real column names to order by (a total order keeps offset paging exact). */
  orderBy: string[];
  /** Range filters on a column: gte (since) and lt (until). */
  window?: { column: string; gte?: string | number; lt?: string | number };
  pageSize: number;
  /** Per-request time limit, ms. */
  timeoutMs: number;
  /** The flag that named the table, for messages (default `--table`). */
  flag?: string;
}

type Row = Record<string, unknown>;

/**
 * Pages of rows until an empty page. Errors before the first page → UsageError; after → SourceFailed.
 * @example for await (const rows of restPages(conn, { table: 'experiments', select: 'id,xp_human_only', orderBy: ['id'], pageSize: 1000, timeoutMs: 60000 })) …
 */
export async function* restPages(conn: SupabaseConnection, req: PageRequest): AsyncGenerator<Row[]> {
  const [schema, name] = req.table.includes('.') ? req.table.split('.') as [string, string] : [null, req.table];
  quoteIdentifier(name, req.flag ?? '--table');
  if (schema !== null) quoteIdentifier(schema, req.flag ?? '--table');
  let offset = 0;
  for (;;) {
    const from = schema === null ? conn.client.from(name) : conn.client.schema(schema).from(name);
    let q = from.select(req.select);
    if (req.window?.gte !== undefined) q = q.gte(req.window.column, req.window.gte);
    if (req.window?.lt !== undefined) q = q.lt(req.window.column, req.window.lt);
    for (const col of req.orderBy) q = q.order(col, { ascending: true });
    const res = await q.range(offset, offset + req.pageSize - 1).abortSignal(AbortSignal.timeout(req.timeoutMs));
    if (res.error !== null) throw restError(conn, req, res.status, res.error, offset);
    if (!Array.isArray(res.data)) throw new SourceFailed(`${conn.origin}: ${req.table} answered with something other than a JSON array`, offset);
    const rows = res.data as unknown as Row[];
    if (rows.length === 0) return;
    offset += rows.length; // the server may cap a page below pageSize (Supabase max-rows): follow what came
    yield rows;
  }
}

function restError(conn: SupabaseConnection, req: PageRequest, status: number, error: { message?: string; code?: string; hint?: string | null }, delivered: number): PhantomError {
  const code = error.code ?? '';
  let what = (error.message ?? '').split('\n')[0]!;
  if (/AbortError|aborted/i.test(what)) what = `no answer for ${Math.round(req.timeoutMs / 1000)} s`;
  else if (status === 0) what = `cannot reach the server (${what})`;
  const detail = scrub(`${status > 0 ? `HTTP ${status}${code ? ` ${code}` : ''}: ` : ''}${what}`, conn.secrets);
  if (status === 401 || status === 403 || code === '42501') return new UsageError(`${conn.origin}: the key in --supabase-key-env was refused for ${req.table} (${detail})`);
  if (status === 404 || code === '42P01' || code === 'PGRST205') return new UsageError(`${req.flag ?? '--table'} ${req.table}: not found at ${conn.origin} (${detail})`);
  if (code === '42703' || code === 'PGRST100') return new UsageError(`${conn.origin}: ${req.table}: ${detail}`);
  if (delivered === 0) return new UsageError(`${conn.origin}: cannot read ${req.table}: ${detail}`);
  return new SourceFailed(`${conn.origin} failed while reading ${req.table} after ${delivered} rows: ${detail}; the read is incomplete and nothing from it should be kept`, delivered);
}
