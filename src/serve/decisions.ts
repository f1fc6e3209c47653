/**
 * Price decisions kept for their feedback: locally (bounded, TTL + LRU) and, with Redis, under
 * `<prefix>d:<id>` with the same TTL, so feedback may reach any replica. The Redis write is not awaited
 * on the price path; a feedback lookup that misses locally asks Redis.
 */
import { LruTtlMap } from './lru-ttl.js';
import type { RedisLink } from './redis-link.js';

export interface Decision {
  decisionId: string;
  /** LinUCB arm */
  arm: number;
  /** the context the arm was chosen for */
  x: number[];
  markup: number;
  sessionId: string;
}

export class DecisionLog {
  private readonly local: LruTtlMap<Decision>;

  constructor(private readonly link: RedisLink, max: number, private readonly ttlMs: number, now: () => number = Date.now) {
    this.local = new LruTtlMap<Decision>(max, ttlMs, now);
  }

  /** Remember a decision (Redis write in the background). */
  record(d: Decision): void {
    this.local.set(d.decisionId, d);
    const client = this.link.client;
    if (client !== null && this.link.state() === 'up') {
      client.set(`${this.link.prefix}d:${d.decisionId}`, JSON.stringify(d), 'PX', this.ttlMs).catch(() => {});
    }
  }

  /**
   * Take a decision for its feedback, once: removed locally and, with Redis, by an atomic GETDEL, so a
   * second feedback for it finds nothing. Undefined when unknown, expired, or already claimed.
   */
  async claim(id: string): Promise<Decision | undefined> {
    const hit = this.local.get(id);
    this.local.delete(id);
    const client = this.link.client;
    if (client === null || this.link.state() !== 'up') return hit;
    try {
      const text = await client.getdel(`${this.link.prefix}d:${id}`);
      return hit ?? (text === null ? undefined : (JSON.parse(text) as Decision));
    } catch {
      return hit;
    }
  }

  get size(): number {
    return this.local.size;
  }
}
