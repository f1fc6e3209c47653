/**
 * Where live sessions are kept: a bounded local store (TTL + LRU) and, with Redis, one list per session
 * holding its stored rows in arrival order, so any replica can score a session whose events went to
 * another. A local buffer remembers the Redis list length it mirrors; a read checks that length (one
 * LLEN) and reloads the list only when another replica appended. When Redis is unreachable, events are
 * kept locally and queued; they are appended to the shared lists when Redis is back.
 */
import type { Redis } from 'ioredis';
import { LruTtlMap, type EvictionReason } from './lru-ttl.js';
import type { Metrics } from './metrics.js';
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

export interface LiveSession {
  buffer: SessionBuffer;
  /** length of the Redis list this buffer mirrors; −1 unknown (reload on the next read) */
  redisLen: number;
  /** rows appended while Redis was unreachable, not yet in the shared list */
  unsynced: StoredRow[];
  /** bumped on every change, for caches keyed on the session's content */
  version: number;
}

export class SessionRepository {
  readonly store: LruTtlMap<LiveSession>;
  private readonly unsynced = new Set<string>();

  constructor(
    private readonly link: RedisLink,
    private readonly limits: { maxSessions: number; sessionTtlMs: number; maxEventsPerSession: number },
    private readonly metrics: Metrics,
    now: () => number = Date.now,
  ) {
    this.store = new LruTtlMap<LiveSession>(limits.maxSessions, limits.sessionTtlMs, now, (id, s, reason) => this.evicted(id, s, reason));
    link.onUp((restarted) => void this.replay(restarted));
  }

  private key(id: string): string {
    return `${this.link.prefix}s:${id}`;
  }

  private evicted(id: string, s: LiveSession, reason: EvictionReason): void {
    this.metrics.inc('phantom_sessions_evicted_total', 'Sessions dropped from local memory.', { reason });
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
   * Append rows (already validated, grouped by session, each group in arrival order).
   * @example await repo.append(new Map([['s1', [toStoredRow(row)]]]))
   */
  async append(groups: Map<string, StoredRow[]>): Promise<void> {
    const touched: [string, LiveSession, number][] = [];
    for (const [id, rows] of groups) {
      let s = this.store.get(id);
      if (s === undefined) this.store.set(id, (s = { buffer: new SessionBuffer(id), redisLen: 0, unsynced: [], version: 0 }));
      for (const r of rows) s.buffer.append(r);
      s.version++;
      touched.push([id, s, rows.length]);
    }
    const client = this.redis();
    if (client !== null) {
      const pipe = client.pipeline();
      for (const [id, , ] of touched) {
        pipe.rpush(this.key(id), ...groups.get(id)!.map((r) => JSON.stringify(r)));
        pipe.pexpire(this.key(id), this.limits.sessionTtlMs);
      }
      try {
        const res = (await pipe.exec()) ?? [];
        touched.forEach(([, s, k], j) => {
          const [err, len] = res[2 * j] ?? [new Error('no reply'), 0];
          if (err !== null) throw err;
          // the list grew by exactly our rows: still a mirror; otherwise another replica wrote too
          s.redisLen = s.redisLen >= 0 && Number(len) === s.redisLen + k ? Number(len) : -1;
        });
        return;
      } catch {
        // fall through: keep the rows for replay
      }
    }
    if (this.link.state() === 'off') return;
    for (const [id, s] of touched) {
      s.unsynced.push(...groups.get(id)!);
      this.unsynced.add(id);
    }
  }

  /**
   * The freshest view of a session: the local buffer, reloaded from Redis when another replica appended.
   * Undefined when no replica holds it.
   */
  async load(id: string): Promise<LiveSession | undefined> {
    let s = this.store.get(id);
    const client = this.redis();
    if (client === null) return s;
    let len: number;
    try {
      len = await client.llen(this.key(id));
      if (s !== undefined && len === s.redisLen) return s;
      if (len === 0 || (s !== undefined && len < s.buffer.length - s.unsynced.length)) return s; // Redis lost it (restart): local wins
      const items = await client.lrange(this.key(id), 0, -1);
      const buffer = new SessionBuffer(id, Math.max(16, items.length));
      for (const text of items) buffer.append(JSON.parse(text) as StoredRow);
      const unsynced = s?.unsynced ?? [];
      for (const r of unsynced) buffer.append(r);
      s = { buffer, redisLen: items.length, unsynced, version: (s?.version ?? 0) + 1 };
      this.store.set(id, s);
      return s;
    } catch {
      return s;
    }
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
    const ids = restarted ? [...this.store.keys()] : [...this.unsynced];
    if (ids.length === 0) return;
    const pipe = client.pipeline();
    for (const id of ids) {
      const s = this.store.peek(id);
      if (s === undefined) continue;
      const ttl = String(this.limits.sessionTtlMs);
      if (restarted) {
        const all = Array.from({ length: s.buffer.length }, (_, i) => JSON.stringify(s.buffer.storedRow(i)));
        pipe.eval(RESEED_SCRIPT, 1, this.key(id), ttl, String(s.unsynced.length), ...all);
      } else if (s.unsynced.length > 0) {
        pipe.rpush(this.key(id), ...s.unsynced.map((r) => JSON.stringify(r)));
        pipe.pexpire(this.key(id), this.limits.sessionTtlMs);
      }
    }
    try {
      await pipe.exec();
      for (const id of ids) {
        const s = this.store.peek(id);
        if (s !== undefined) s.unsynced = [];
        this.unsynced.delete(id);
      }
    } catch {
      // still down: the next `ready` replays again
    }
  }

  /** Rows accepted while Redis was down and not yet shared. */
  get unsyncedSessions(): number {
    return this.unsynced.size;
  }
}
