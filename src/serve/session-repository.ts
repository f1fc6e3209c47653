/**
 * Where live sessions are kept: a bounded local store (TTL + LRU) and, with Redis, one list per session
 * holding its stored rows in arrival order, so any replica can score a session whose events went to
 * another. A local buffer remembers the Redis list length it mirrors; a read checks that length (one
 * LLEN) and reloads the list only when another replica appended. When Redis is unreachable, events are
 * kept locally and queued; they are appended to the shared lists when Redis is back.
 *
 * Appends are idempotent: each carries a random write id, remembered in the session's set
 * `<prefix>s:<id>:w`, and the script appends only an id it has not seen. A write that ran past the request
 * budget (or timed out) is kept locally with its id and retried; if the first attempt ran after all
 * (a hung Redis resuming), the retry adds nothing. The local store is bounded in count and in bytes.
 */
import type { Redis } from 'ioredis';
import { LruTtlMap, type EvictionReason } from './lru-ttl.js';
import type { Metrics } from './metrics.js';
import { randomHex } from './random-hex.js';
import type { RedisLink } from './redis-link.js';
import { SessionBuffer, type StoredRow } from './session-buffer.js';

// ARGV: ttl ms, k, then all rows of the session, the last k of them not yet shared. A missing list gets
// every row; an existing one (another replica re-seeded it first) only the k unshared rows.
const RESEED_SCRIPT = `
local first = 3
if redis.call('EXISTS', KEYS[1]) == 1 then first = #ARGV - tonumber(ARGV[2]) + 1 end
for i = first, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

// KEYS: list, write-id set. ARGV: ttl ms, write id, rows. Appends the rows unless the id was seen; returns
// the list length, or -1 when the id was seen (the rows are there already).
const APPEND_SCRIPT = `
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return -1 end
for i = 3, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return redis.call('LLEN', KEYS[1])
`;

/** A write not yet confirmed by Redis: its id and how many of the session's `unsynced` rows it covers. */
interface PendingWrite {
  id: string;
  count: number;
}


export interface LiveSession {
  buffer: SessionBuffer;
  /** length of the Redis list this buffer mirrors; −1 unknown (reload on the next read) */
  redisLen: number;
  /** rows not yet confirmed in the shared list (Redis down, slow, or past the request budget) */
  unsynced: StoredRow[];
  /** the writes those rows belong to, in order (retried under the same ids) */
  writes: PendingWrite[];
  /** bumped on every change, for caches keyed on the session's content */
  version: number;
}

// frozen label sets: the metrics build their text once (metrics.ts)
const EVICTED = { ttl: Object.freeze({ reason: 'ttl' }), lru: Object.freeze({ reason: 'lru' }) };

// bytes a stored row costs while waiting for Redis (an array of 11 values and its strings)
const UNSYNCED_ROW_BYTES = 200;

export class SessionRepository {
  readonly store: LruTtlMap<LiveSession>;
  private readonly unsynced = new Set<string>();
  private readonly flusher: NodeJS.Timeout;

  constructor(
    private readonly link: RedisLink,
    private readonly limits: { maxSessions: number; sessionTtlMs: number; maxEventsPerSession: number; maxSessionBytes?: number },
    private readonly metrics: Metrics,
    now: () => number = Date.now,
  ) {
    this.store = new LruTtlMap<LiveSession>(limits.maxSessions, limits.sessionTtlMs, now, (id, s, reason) => this.evicted(id, s, reason), limits.maxSessionBytes ?? Infinity);
    link.onUp((restarted) => void this.replay(restarted));
    // writes that ran past the budget while the link stayed up are retried here (no state change fires)
    this.flusher = setInterval(() => {
      if (this.unsynced.size > 0 && this.redis() !== null) void this.flush([...this.unsynced]);
    }, 500);
    this.flusher.unref();
  }

  private key(id: string): string {
    return `${this.link.prefix}s:${id}`;
  }

  private weigh(s: LiveSession): number {
    return s.buffer.approxBytes + UNSYNCED_ROW_BYTES * s.unsynced.length;
  }

  private evicted(id: string, s: LiveSession, reason: EvictionReason): void {
    this.metrics.inc('phantom_sessions_evicted_total', 'Sessions dropped from local memory.', EVICTED[reason]);
    if (this.unsynced.delete(id)) this.metrics.inc('phantom_events_unshared_lost_total', 'Events accepted while Redis was down whose session was evicted before Redis came back.', {}, s.unsynced.length);
  }

  private redis(): Redis | null {
    return this.link.state() === 'up' ? this.link.client : null;
  }

  /** Room left in a session before `maxEventsPerSession`. */
  room(id: string): number {
    return this.limits.maxEventsPerSession - (this.store.peek(id)?.buffer.length ?? 0);
  }

  /**
   * Append rows (already validated, grouped by session, each group in arrival order). Waits on Redis at
   * most the link's request budget; rows it could not confirm are kept and retried under their write id.
   * Without a Redis round trip to wait for (the link is not up) everything is done before it returns, and
   * it returns undefined instead of a promise (the request path then answers without a microtask).
   * @example await repo.append(new Map([['s1', [toStoredRow(row)]]]))
   */
  append(groups: Map<string, StoredRow[]>): Promise<void> | undefined {
    const touched: [string, LiveSession, number, string][] = [];
    // write ids matter only for writes to Redis; without it (link off) none is drawn
    const shared = this.link.state() !== 'off';
    for (const [id, rows] of groups) {
      let s = this.store.get(id);
      if (s === undefined) this.store.set(id, (s = { buffer: new SessionBuffer(id), redisLen: 0, unsynced: [], writes: [], version: 0 }));
      for (const r of rows) s.buffer.append(r);
      s.version++;
      touched.push([id, s, rows.length, shared ? randomHex(8) : '']);
    }
    const client = this.redis();
    if (client !== null) return this.share(client, groups, touched);
    this.keepLocal(groups, touched);
    return undefined;
  }

  /** append's Redis write; on failure (or past the budget) the rows are kept for a retry. */
  private async share(client: Redis, groups: Map<string, StoredRow[]>, touched: [string, LiveSession, number, string][]): Promise<void> {
    const pipe = client.pipeline();
    for (const [id, , , wid] of touched) pipe.eval(APPEND_SCRIPT, 2, this.key(id), `${this.key(id)}:w`, String(this.limits.sessionTtlMs), wid, ...groups.get(id)!.map((r) => JSON.stringify(r)));
    try {
      const res = (await this.link.withinBudget(pipe.exec())) ?? [];
      touched.forEach(([id, s, k], j) => {
        const [err, len] = res[j] ?? [new Error('no reply'), 0];
        if (err !== null) throw err;
        // the list grew by exactly our rows: still a mirror; otherwise another replica wrote too
        s.redisLen = s.redisLen >= 0 && Number(len) === s.redisLen + k ? Number(len) : -1;
        this.store.reweigh(id, this.weigh(s));
      });
      return;
    } catch {
      // fall through: keep the rows (with their write ids) for a retry
    }
    this.keepLocal(groups, touched);
  }

  /** Rows Redis did not take: with the link off they are simply held; otherwise queued under their write ids. */
  private keepLocal(groups: Map<string, StoredRow[]>, touched: [string, LiveSession, number, string][]): void {
    if (this.link.state() === 'off') {
      for (const [id, s] of touched) this.store.reweigh(id, this.weigh(s));
      return;
    }
    for (const [id, s, , wid] of touched) {
      const rows = groups.get(id)!;
      s.unsynced.push(...rows);
      s.writes.push({ id: wid, count: rows.length });
      s.redisLen = -1;
      this.unsynced.add(id);
      this.store.reweigh(id, this.weigh(s));
    }
  }

  /**
   * What `load` would answer, when that needs no Redis round trip (the link is not up: the local
   * session or undefined); null when Redis must be asked (call `load`).
   * @example const local = repo.loadLocal(id); const live = local === null ? await repo.load(id) : local
   */
  loadLocal(id: string): LiveSession | undefined | null {
    return this.redis() === null ? this.store.get(id) : null;
  }

  /**
   * The freshest view of a session: the local buffer, reloaded from Redis when another replica appended.
   * Undefined when no replica holds it. Waits on Redis at most the request budget, else answers locally.
   */
  async load(id: string): Promise<LiveSession | undefined> {
    let s = this.store.get(id);
    const client = this.redis();
    if (client === null) return s;
    let len: number;
    try {
      len = await this.link.withinBudget(client.llen(this.key(id)));
      if (s !== undefined && len === s.redisLen) return s;
      if (len === 0 || (s !== undefined && len < s.buffer.length - s.unsynced.length)) return s; // Redis lost it (restart): local wins
      if (s !== undefined && s.unsynced.length > 0) return s; // our own writes are unconfirmed: a reload could count them twice
      const items = await this.link.withinBudget(client.lrange(this.key(id), 0, -1));
      const buffer = new SessionBuffer(id, Math.max(16, items.length));
      for (const text of items) buffer.append(JSON.parse(text) as StoredRow);
      s = { buffer, redisLen: items.length, unsynced: [], writes: [], version: (s?.version ?? 0) + 1 };
      this.store.set(id, s, this.weigh(s));
      return s;
    } catch {
      return s;
    }
  }

  /** Push the unconfirmed writes of these sessions (same ids, so a write that already ran adds nothing). */
  private async flush(ids: string[]): Promise<void> {
    const client = this.redis();
    if (client === null) return;
    const pipe = client.pipeline();
    const sent: string[] = [];
    for (const id of ids) {
      const s = this.store.peek(id);
      if (s === undefined || s.writes.length === 0) {
        this.unsynced.delete(id);
        continue;
      }
      let at = 0;
      for (const w of s.writes) {
        pipe.eval(APPEND_SCRIPT, 2, this.key(id), `${this.key(id)}:w`, String(this.limits.sessionTtlMs), w.id, ...s.unsynced.slice(at, at + w.count).map((r) => JSON.stringify(r)));
        at += w.count;
      }
      sent.push(id);
    }
    if (sent.length === 0) return;
    try {
      const res = (await pipe.exec()) ?? [];
      if (res.some(([err]) => err !== null)) return; // retried whole: the ids make that safe
      for (const id of sent) this.confirmed(id);
    } catch {
      // still unreachable: retried on the next flush or `ready`
    }
  }

  private confirmed(id: string): void {
    const s = this.store.peek(id);
    if (s !== undefined) {
      s.unsynced = [];
      s.writes = [];
      s.redisLen = -1;
      this.store.reweigh(id, this.weigh(s));
    }
    this.unsynced.delete(id);
  }

  /**
   * Share what was kept while Redis was down; afterwards every local mirror is re-checked on read. After
   * a Redis restart (its data may be gone) each local session is re-seeded whole, by a script that writes
   * it only where no replica has yet, so replicas holding the same session do not duplicate it.
   */
  async replay(restarted = false): Promise<void> {
    const client = this.redis();
    if (client === null) return;
    for (const s of this.store.values()) s.redisLen = -1;
    if (!restarted) return this.flush([...this.unsynced]);
    const ids = [...this.store.keys()];
    if (ids.length === 0) return;
    const pipe = client.pipeline();
    for (const id of ids) {
      const s = this.store.peek(id);
      if (s === undefined) continue;
      const all = Array.from({ length: s.buffer.length }, (_, i) => JSON.stringify(s.buffer.storedRow(i)));
      pipe.eval(RESEED_SCRIPT, 1, this.key(id), String(this.limits.sessionTtlMs), String(s.unsynced.length), ...all);
    }
    try {
      await pipe.exec();
      for (const id of ids) this.confirmed(id);
    } catch {
      // still down: the next `ready` replays again
    }
  }

  /** Sessions holding rows not yet confirmed in Redis. */
  get unsyncedSessions(): number {
    return this.unsynced.size;
  }

  /** Stop the retry timer. */
  close(): void {
    clearInterval(this.flusher);
  }
}
