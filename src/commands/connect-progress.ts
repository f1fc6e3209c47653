/**
 * Retry progress while a broker or database cannot be reached: kafkajs retries a refused or timed-out
 * connection for about a minute (8 retries, 300 ms doubling to 30 s) before giving up; without a word the
 * command looks hung. One line per failed attempt, at most every `everyMs`, says what is happening.
 */

import type { ConnectRetry } from '../sources/pg-connection.js';

const CONNECT_FAILURE = /Connection (error|timeout)|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Connection closed/i;

/**
 * A kafkajs log sink that reports failed connection attempts through `say`, rate-limited.
 * @example kafkaConnectProgress('127.0.0.1:9092', (m) => info(flags, m))
 */
export function kafkaConnectProgress(brokers: string, say: (message: string) => void, everyMs = 2000, now: () => number = Date.now): (level: 'error' | 'warn', message: string) => void {
  let attempts = 0, last = -Infinity;
  const t0 = now();
  return (_level, message) => {
    if (!CONNECT_FAILURE.test(message)) return;
    attempts++;
    if (now() - last < everyMs) return;
    last = now();
    const why = /(ECONN\w+|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|timeout)/i.exec(message)?.[1] ?? 'connection failed';
    say(`kafka: cannot reach ${brokers} yet (${why}; ${attempts} connection error${attempts > 1 ? 's' : ''} in ${Math.round((now() - t0) / 1000)} s); retrying for up to about a minute (Ctrl-C to stop)`);
  };
}

/**
 * Progress for `connectClient`'s retries (src/sources/pg-connection.ts): one line per failed attempt, at most
 * every `everyMs`, naming the server (host:port/db, never the password) and how long is left.
 * @example connectClient(db, { timeoutMs: 30_000, onRetry: postgresConnectProgress(db.label, (m) => info(flags, m)) })
 */
export function postgresConnectProgress(server: string, say: (message: string) => void, everyMs = 2000, now: () => number = Date.now): (retry: ConnectRetry) => void {
  let last = -Infinity;
  return (r) => {
    if (now() - last < everyMs) return;
    last = now();
    say(`postgres: cannot reach ${server} yet (${r.reason}; attempt ${r.attempt}, ${Math.round(r.elapsedMs / 1000)} s of --connect-timeout ${Math.round(r.timeoutMs / 1000)} s); retrying (Ctrl-C to stop)`);
  };
}
