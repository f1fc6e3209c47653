/**
 * `--database-url` resolved to a connection string and a printable server label, and the connection
 * defaults: the parts of pg-connection.ts that need no pg, so `phantom export` loads pg only when it
 * reads from Postgres (docs/perf/pgstart.md).
 */
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

/** How long `connectClient` keeps retrying an unreachable server, and the longest one attempt may take (docs/export.md). */
export const PG_CONNECT_DEFAULTS = Object.freeze({ timeoutMs: 30_000, firstAttemptMs: 2_000, maxAttemptMs: 10_000, firstBackoffMs: 250, maxBackoffMs: 2_000 });
