/**
 * The optional Redis connection behind shared state, and whether it is usable right now. Commands never
 * wait for a lost connection (no offline queue, no per-command retries, a short command timeout): when
 * Redis is unreachable they fail at once and the server answers from local state, reporting `degraded`.
 * The client keeps reconnecting in the background; `onUp` listeners run each time it is back, which is
 * where pending writes are replayed and shared state is pulled again.
 */
import { Redis } from 'ioredis';

export type RedisState = 'off' | 'up' | 'down';

export interface RedisLink {
  /** null when serve runs without --redis */
  client: Redis | null;
  prefix: string;
  state(): RedisState;
  /**
   * Run `fn` every time the connection becomes ready (also the first time). `restarted` is true when
   * the server's run_id changed since the last connection: a restarted Redis may have lost its data.
   */
  onUp(fn: (restarted: boolean) => void): void;
  close(): Promise<void>;
}

/** A link that is always off (no --redis). */
export function noRedis(prefix: string): RedisLink {
  return { client: null, prefix, state: () => 'off', onUp: () => {}, close: async () => {} };
}

/**
 * Connect to Redis (in the background; the link is `down` until the first connection is ready).
 * `log` receives one line per change of state, never the URL's password.
 * @example const link = connectRedis('redis://127.0.0.1:6379', 'phantom:', 100, (m) => process.stderr.write(m + '\n'))
 */
export function connectRedis(url: string, prefix: string, timeoutMs: number, log: (message: string) => void): RedisLink {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(1000, timeoutMs),
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
  });
  let state: RedisState = 'down';
  let closing = false;
  const listeners: ((restarted: boolean) => void)[] = [];
  const where = safeUrl(url);
  let runId: string | null = null, restarted = false;
  client.on('ready', () => {
    void client.info('server').catch(() => '').then((text) => {
      if (client.status !== 'ready') return; // lost again while asking
      const id = /run_id:(\w+)/.exec(text)?.[1] ?? null;
      restarted = runId !== null && id !== null && id !== runId;
      runId = id ?? runId;
      state = 'up';
      log(`redis: connected to ${where}${restarted ? ' (the server restarted; re-sharing local state)' : ''}; sharing state`);
      for (const fn of listeners) fn(restarted);
    });
  });
  const lost = (why: string): void => {
    if (state === 'up' && !closing) log(`redis: ${why}; degraded, answering from local state until it is back`);
    state = 'down';
  };
  client.on('close', () => lost('connection closed'));
  client.on('end', () => lost('connection ended'));
  let lastError = '';
  client.on('error', (err: Error) => {
    if (state !== 'up' && err.message !== lastError && !closing) log(`redis: ${where} unreachable (${err.message}); degraded`);
    lastError = err.message;
  });
  client.connect().catch(() => {});
  return {
    client, prefix,
    state: () => state,
    onUp(fn) {
      listeners.push(fn);
      if (state === 'up') fn(false);
    },
    async close() {
      closing = true;
      try {
        if (state === 'up') await client.quit();
        else client.disconnect();
      } catch {
        client.disconnect();
      }
    },
  };
}

/** The URL without its password, for log lines. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'redis (unparseable URL)';
  }
}
