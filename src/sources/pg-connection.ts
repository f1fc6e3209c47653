/**
 * Postgres connections for the Supabase/Postgres source: `--database-url` given as a URL or as the name
 * of an environment variable holding one, a client with phantom's type parsers, and errors that name the
 * server (`host:port/db`) but never the password — every message is scrubbed before it leaves here.
 */
import pg from './pg-module.js';
import { UsageError } from '../errors.js';
import { PG_CONNECT_DEFAULTS, type ResolvedDatabase } from './pg-url.js';

// pg-free, so `export --help` and non-Postgres exports need not load pg (docs/perf/pgstart.md)
export { PG_CONNECT_DEFAULTS, resolveDatabaseUrl, type ResolvedDatabase } from './pg-url.js';

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


/** One failed attempt, told to `onRetry` before the next. */
export interface ConnectRetry {
  attempt: number;
  elapsedMs: number;
  timeoutMs: number;
  /** why it failed, one line, password scrubbed */
  reason: string;
}

export interface ConnectOptions {
  /** give up after this long (default PG_CONNECT_DEFAULTS.timeoutMs) */
  timeoutMs?: number;
  onRetry?: (retry: ConnectRetry) => void;
  /** stops the retries (and the attempt in flight): connectClient then rejects with ConnectAborted */
  signal?: AbortSignal;
}

/** connectClient was stopped by its signal (e.g. SIGINT while a server was being retried). */
export class ConnectAborted extends UsageError {
  constructor(server: string) {
    super(`stopped while connecting to Postgres at ${server}`);
  }
}

// a server that is down, starting, unreachable or silent may come back; a wrong password or database will not
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN', '57P03']);
function retryable(err: unknown): boolean {
  const e = err as { message?: string; code?: string };
  return RETRYABLE_CODES.has(String(e.code)) || /timeout|terminated unexpectedly|Connection terminated/i.test(e.message ?? '');
}

async function attempt(db: ResolvedDatabase, ms: number, signal?: AbortSignal): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: db.url,
    connectionTimeoutMillis: Math.max(1, Math.round(ms)),
    keepAlive: true,
    application_name: 'phantom',
    types: typeParsers,
  });
  // an 'error' event without a listener would crash the process; failures surface through the queries
  client.on('error', () => undefined);
  // pg's connect() does not settle when the client is ended mid-handshake: race it with the signal
  let abort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => { abort = () => reject(new ConnectAborted(db.label)); });
  const connecting = client.connect();
  connecting.catch(() => undefined); // settles after an abort too; nobody waits for it then
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await Promise.race([connecting, aborted]);
    return client;
  } catch (err) {
    await closeClient(client, 200);
    throw err;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * A connected client. An unreachable server (refused, timed out, silent, starting up) is retried with
 * backoff (250 ms doubling to 2 s) while the connect timeout lasts; an attempt may take 2 s, doubling to 10 s
 * (so a silent server is reported within about 2 s, and a slow distant one still gets its time). A retry is
 * made only when at least `firstBackoffMs` of the timeout remains after its backoff (the last backoff is
 * shortened to fit), so every failure told to `onRetry` is followed by another attempt. When the time is up,
 * or at once for errors that retrying cannot fix (password, database), a UsageError naming the server;
 * when `signal` aborts, a ConnectAborted at once.
 * @example const client = await connectClient(resolveDatabaseUrl('DATABASE_URL'), { timeoutMs: 5000, onRetry: (r) => console.error(r.reason) });
 */
export async function connectClient(db: ResolvedDatabase, options: ConnectOptions | number = {}): Promise<pg.Client> {
  const o = typeof options === 'number' ? { timeoutMs: options } : options;
  const timeoutMs = o.timeoutMs ?? PG_CONNECT_DEFAULTS.timeoutMs;
  const t0 = Date.now();
  let backoff: number = PG_CONNECT_DEFAULTS.firstBackoffMs, attemptMs: number = PG_CONNECT_DEFAULTS.firstAttemptMs;
  for (let n = 1; ; n++) {
    if (o.signal?.aborted) throw new ConnectAborted(db.label);
    try {
      return await attempt(db, Math.min(attemptMs, Math.max(1, timeoutMs - (Date.now() - t0))), o.signal);
    } catch (err) {
      if (o.signal?.aborted) throw new ConnectAborted(db.label);
      const why = describePgError(err, db);
      if (!retryable(err)) throw new UsageError(`cannot connect to Postgres at ${db.label}: ${why}`);
      const elapsedMs = Date.now() - t0;
      const wait = Math.min(backoff, timeoutMs - elapsedMs - PG_CONNECT_DEFAULTS.firstBackoffMs);
      if (wait < 0) {
        throw new UsageError(`cannot connect to Postgres at ${db.label}: ${why} (gave up after ${n} attempt${n > 1 ? 's' : ''}, connect timeout ${formatSeconds(timeoutMs)})`);
      }
      o.onRetry?.({ attempt: n, elapsedMs, timeoutMs, reason: why });
      await pause(wait, o.signal);
      backoff = Math.min(PG_CONNECT_DEFAULTS.maxBackoffMs, backoff * 2);
      attemptMs = Math.min(PG_CONNECT_DEFAULTS.maxAttemptMs, attemptMs * 2);
    }
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** One line for a pg / socket error, password scrubbed. */
export function describePgError(err: unknown, db: ResolvedDatabase): string {
  const e = err as { message?: string; code?: string };
  let text = e.message && e.message.trim() !== '' ? e.message : String(e.code ?? err);
  if (/timeout/i.test(text) && e.code === undefined) text = 'no answer (connection timeout)';
  if (e.code === 'ECONNREFUSED') text = 'connection refused (is the server running and the port right?)';
  else if (e.code === 'ENOTFOUND') text = 'host not found';
  else if (e.code === 'ECONNRESET' || e.code === 'EPIPE') text = `connection lost (${text})`;
  return scrub(text, db.secrets);
}

/** Close a client, never waiting more than `ms` (a dead server must not hang the caller). */
export async function closeClient(client: pg.Client, ms = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    client.end().then(() => true, () => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  // a silent server never answers the goodbye: its open socket would keep the process alive
  if (!ended) client.connection.stream.destroy();
}
