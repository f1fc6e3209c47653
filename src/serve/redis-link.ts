/**
 * The optional Redis connection behind shared state, and whether it is usable right now. Commands never
 * wait for a lost connection (no offline queue, no per-command retries, a short command timeout): when
 * Redis is unreachable they fail at once and the server answers from local state, reporting `degraded`.
 * The client keeps reconnecting in the background; `onUp` listeners run each time it is back, which is
 * where pending writes are replayed and shared state is pulled again.
 *
 * A hung server (SIGSTOP, a stalled network) keeps the TCP connection open, so it is found by latency: a
 * PING every `probeMs` that is not answered within `slowMs` turns the link `slow`, which every user treats
 * as `down` (local state, writes queued), and /healthz reports degraded; the first PING answered within
 * the bound makes it `up` again and runs the `onUp` listeners. Request-path calls are also capped by
 * `withinBudget` (a few ms), so a request never waits on Redis longer than that, hung or not.
 */
import { Redis } from 'ioredis';
import { UsageError } from '../errors.js';
import { fromEnvIndirection, maskSecrets } from '../io/mask-secrets.js';

export type RedisState = 'off' | 'up' | 'down' | 'slow';

export interface RedisLink {
  /** null when serve runs without --redis */
  client: Redis | null;
  prefix: string;
  state(): RedisState;
  /** the last PING round trip in ms (null before the first, or without Redis) */
  latencyMs(): number | null;
  /**
   * `p` if it settles within the request budget, else a rejection (the command may still run later on
   * the server: callers fall back to local state and anything they write must be idempotent).
   */
  withinBudget<T>(p: Promise<T>): Promise<T>;
  /**
   * Run `fn` every time the connection becomes ready (also the first time). `restarted` is true when
   * the server's run_id changed since the last connection: a restarted Redis may have lost its data.
   */
  onUp(fn: (restarted: boolean) => void): void;
  close(): Promise<void>;
}

/** A link that is always off (no --redis). */
export function noRedis(prefix: string): RedisLink {
  return { client: null, prefix, state: () => 'off', latencyMs: () => null, withinBudget: (p) => p, onUp: () => {}, close: async () => {} };
}

/**
 * Connect to Redis (in the background; the link is `down` until the first connection is ready).
 * `log` receives one line per change of state, never the URL's password.
 * @example const link = connectRedis('redis://127.0.0.1:6379', 'phantom:', 100, (m) => process.stderr.write(m + '\n'))
 */
export interface LinkTimings {
  /** command timeout of the client (background work) */
  timeoutMs: number;
  /** a PING slower than this makes the link `slow` */
  slowMs: number;
  /** how often the PING is sent */
  probeMs: number;
  /** longest a request waits on Redis */
  budgetMs: number;
}

/** Rejection of a request-path call that ran past its budget. */
export class RedisBudgetExceeded extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within the ${ms} ms request budget`);
  }
}

/**
 * `p`, or a rejection after `ms`. When the timer fires, the rejection waits one setImmediate so a reply
 * already sitting in the socket (an event loop busy past the budget) is read first and wins.
 */
export function raceBudget<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => setImmediate(() => {
      if (!settled) {
        settled = true;
        reject(new RedisBudgetExceeded(ms));
      }
    }), ms);
    p.then((v) => {
      clearTimeout(timer);
      if (!settled) (settled = true), resolve(v);
    }, (err: unknown) => {
      clearTimeout(timer);
      if (!settled) (settled = true), reject(err);
    });
  });
}

export function connectRedis(url: string, prefix: string, timing: number | LinkTimings, log: (message: string) => void): RedisLink {
  const t: LinkTimings = typeof timing === 'number' ? { timeoutMs: timing, slowMs: 50, probeMs: 50, budgetMs: 10 } : timing;
  const timeoutMs = t.timeoutMs;
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
  // latency probe: one PING at a time; unanswered past slowMs → slow; answered within it → up again
  let latency: number | null = null, probing = false;
  const probe = (): void => {
    if (probing || closing || (state !== 'up' && state !== 'slow')) return;
    probing = true;
    const t0 = performance.now();
    let answered = false;
    // deferred one setImmediate: a reply already waiting in the socket (a busy event loop, not a slow
    // Redis) is read first and counts as in time
    const late = setTimeout(() => setImmediate(() => {
      if (!answered && state === 'up') {
        state = 'slow';
        log(`redis: no answer to PING within ${t.slowMs} ms; degraded, answering from local state until it answers in time`);
      }
    }), t.slowMs);
    client.ping().then(() => {
      answered = true;
      latency = performance.now() - t0;
      if (state === 'slow' && latency <= t.slowMs) {
        state = 'up';
        log(`redis: answering again (PING ${latency.toFixed(1)} ms); sharing state`);
        for (const fn of listeners) fn(false);
      }
    }, () => {}).finally(() => {
      clearTimeout(late);
      probing = false;
    });
  };
  const prober = setInterval(probe, t.probeMs);
  prober.unref();
  const lost = (why: string): void => {
    if ((state === 'up' || state === 'slow') && !closing) log(`redis: ${why}; degraded, answering from local state until it is back`);
    state = 'down';
  };
  client.on('close', () => lost('connection closed'));
  client.on('end', () => lost('connection ended'));
  let lastError = '';
  client.on('error', (err: Error) => {
    if (state === 'down' && err.message !== lastError && !closing) log(`redis: ${where} unreachable (${err.message}); degraded`);
    lastError = err.message;
  });
  client.connect().catch(() => {});
  return {
    client, prefix,
    state: () => state,
    latencyMs: () => latency,
    withinBudget: (p) => raceBudget(p, t.budgetMs),
    onUp(fn) {
      listeners.push(fn);
      if (state === 'up') fn(false);
    },
    async close() {
      closing = true;
      clearInterval(prober);
      try {
        if (state === 'up') await client.quit();
        else client.disconnect();
      } catch {
        client.disconnect();
      }
    },
  };
}

/**
 * `--redis`: a redis:// or rediss:// URL, or the name of an environment variable holding one (so a
 * password never appears on the command line or in process listings).
 * @example resolveRedisUrl('REDIS_URL') // process.env.REDIS_URL
 */
export function resolveRedisUrl(value: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = fromEnvIndirection(value.trim(), /^rediss?:\/\//i, env);
  if (r.value === undefined) throw new UsageError(`--redis: environment variable ${r.viaEnv} is not set or is empty`);
  if (!/^rediss?:\/\//i.test(r.value)) throw new UsageError(r.viaEnv === null ? '--redis: give a redis://host:port URL (credentials as user:password before the host), or the name of an environment variable holding one' : `--redis (environment variable ${r.viaEnv}): the value is not a redis:// URL`);
  return r.value;
}

/** The URL with its secrets masked (src/io/mask-secrets.ts), for log lines. */
export function safeUrl(url: string): string {
  return maskSecrets(url);
}
