/**
 * Postgres connections for the Supabase/Postgres source: `--database-url` given as a URL or as the name
 * of an environment variable holding one, a client with phantom's type parsers, and errors that name the
 * server (`host:port/db`) but never the password — every message is scrubbed before it leaves here.
 */
import pg from 'pg';
import { UsageError } from '../errors.js';

export interface ResolvedDatabase {
  /** The connection string itself: pass it to pg, never print it. */
  url: string;
  /** `host:port/database`, safe to print. */
  label: string;
  /** Secrets to scrub from any message (password, raw and URL-decoded). */
  secrets: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Resolve `--database-url`: a `postgres://` / `postgresql://` URL, or the name of an env var holding one.
 * @example resolveDatabaseUrl('DATABASE_URL') // { url: process.env.DATABASE_URL, label: 'db.example:5432/postgres', … }
 */
export function resolveDatabaseUrl(value: string, env: NodeJS.ProcessEnv = process.env): ResolvedDatabase {
  let url = value.trim();
  let from = '--database-url';
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    if (!ENV_NAME.test(url)) {
      throw new UsageError('--database-url: give a postgres://user:password@host:port/db URL or the name of an environment variable holding one');
    }
    const held = env[url];
    if (held === undefined || held.trim() === '') throw new UsageError(`--database-url: environment variable ${url} is not set`);
    from = `--database-url (environment variable ${url})`;
    url = held.trim();
    if (!/^postgres(ql)?:\/\//i.test(url)) throw new UsageError(`${from}: the value is not a postgres:// URL`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${from}: not a valid URL (expected postgres://user:password@host:port/db)`);
  }
  const secrets = parsed.password === '' ? [] : [parsed.password, safeDecode(parsed.password)];
  // node-pg also takes secrets from the query (?password=…, ?sslpassword=…): scrub those too
  for (const [k, v] of parsed.searchParams) if (v !== '' && /pass|pwd|token|secret|sslkey/i.test(k)) secrets.push(v, encodeURIComponent(v));
  const db = parsed.pathname.replace(/^\//, '') || parsed.username || 'postgres';
  return { url, label: `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${safeDecode(db)}`, secrets };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Replace every secret in a message with `***`. */
export function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
}

// int8 → number (ids and epoch-ms fit in 2^53); everything else keeps pg's parsers (jsonb → object).
const INT8 = 20;
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A connected client; connection failures become UsageError naming the server. */
export async function connectClient(db: ResolvedDatabase, connectTimeoutMs = 10_000): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: db.url,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    application_name: 'phantom',
    types: typeParsers,
  });
  // an 'error' event without a listener would crash the process; failures surface through the queries
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new UsageError(`cannot connect to Postgres at ${db.label}: ${describePgError(err, db)}`);
  }
  return client;
}

/** One line for a pg / socket error, password scrubbed. */
export function describePgError(err: unknown, db: ResolvedDatabase): string {
  const e = err as { message?: string; code?: string };
  let text = e.message && e.message.trim() !== '' ? e.message : String(e.code ?? err);
  if (e.code === 'ECONNREFUSED') text = 'connection refused (is the server running and the port right?)';
  else if (e.code === 'ENOTFOUND') text = 'host not found';
  else if (e.code === 'ECONNRESET' || e.code === 'EPIPE') text = `connection lost (${text})`;
  return scrub(text, db.secrets);
}

/** Close a client, never waiting more than `ms` (a dead server must not hang the caller). */
export async function closeClient(client: pg.Client, ms = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
