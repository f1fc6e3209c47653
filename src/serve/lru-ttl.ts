/**
 * A bounded map: entries expire after `ttlMs` without a touch and the least-recently-used entry is
 * evicted past `max`. A Map iterates in insertion order, so re-inserting on every touch keeps it in
 * recency order: the expired and the least recent entries are always at the front, and both sweeps
 * stop at the first live entry (amortised O(1) per operation). The clock is passed in.
 */

export type EvictionReason = 'ttl' | 'lru';

export class LruTtlMap<V> {
  private readonly map = new Map<string, { value: V; seen: number }>();

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly onEvict: (key: string, value: V, reason: EvictionReason) => void = () => {},
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The live value, touched (moved to most recent); undefined when absent or expired. */
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    const t = this.now();
    if (t - e.seen > this.ttlMs) {
      this.map.delete(key);
      this.onEvict(key, e.value, 'ttl');
      return undefined;
    }
    this.map.delete(key);
    e.seen = t;
    this.map.set(key, e);
    return e.value;
  }

  /** The value without touching it (undefined when absent or expired). */
  peek(key: string): V | undefined {
    const e = this.map.get(key);
    return e === undefined || this.now() - e.seen > this.ttlMs ? undefined : e.value;
  }

  /** Insert or replace (most recent), then expire and evict. @example sessions.set(id, buffer) */
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, { value, seen: this.now() });
    this.sweep();
    while (this.map.size > this.max) {
      const [k, e] = this.map.entries().next().value as [string, { value: V; seen: number }];
      this.map.delete(k);
      this.onEvict(k, e.value, 'lru');
    }
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  /** Drop expired entries (from the front, stopping at the first live one); returns how many. */
  sweep(): number {
    const t = this.now();
    let n = 0;
    for (const [k, e] of this.map) {
      if (t - e.seen <= this.ttlMs) break;
      this.map.delete(k);
      this.onEvict(k, e.value, 'ttl');
      n++;
    }
    return n;
  }

  keys(): IterableIterator<string> {
    return Array.from(this.map.keys())[Symbol.iterator]();
  }

  values(): IterableIterator<V> {
    return Array.from(this.map.values(), (e) => e.value)[Symbol.iterator]();
  }
}
