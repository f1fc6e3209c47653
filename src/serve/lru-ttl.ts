/**
 * A bounded map: entries expire after `ttlMs` without a touch and the least-recently-used entry is
 * evicted past `max`. A Map iterates in insertion order, so re-inserting on every touch keeps it in
 * recency order: the expired and the least recent entries are always at the front, and both sweeps
 * stop at the first live entry (amortised O(1) per operation). The clock is passed in.
 * Entries may carry a weight (bytes): past `maxWeight` in total, least-recently-used entries are evicted
 * too, so the map is bounded in bytes as well as in count.
 */

export type EvictionReason = 'ttl' | 'lru';

export class LruTtlMap<V> {
  private readonly map = new Map<string, { value: V; seen: number; weight: number }>();
  private total = 0;

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly onEvict: (key: string, value: V, reason: EvictionReason) => void = () => {},
    private readonly maxWeight = Infinity,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** Sum of the entries' weights. */
  get weight(): number {
    return this.total;
  }

  private drop(key: string, e: { value: V; weight: number }, reason: EvictionReason): void {
    this.map.delete(key);
    this.total -= e.weight;
    this.onEvict(key, e.value, reason);
  }

  /** Evict least-recently-used entries past the count or the weight bound (the most recent one stays). */
  private bound(): void {
    while (this.map.size > this.max || (this.total > this.maxWeight && this.map.size > 1)) {
      const [k, e] = this.map.entries().next().value as [string, { value: V; seen: number; weight: number }];
      this.drop(k, e, 'lru');
    }
  }

  /** The live value, touched (moved to most recent); undefined when absent or expired. */
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    const t = this.now();
    if (t - e.seen > this.ttlMs) {
      this.drop(key, e, 'ttl');
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

  /** Insert or replace (most recent) with its weight, then expire and evict. @example sessions.set(id, buffer, buffer.bytes) */
  set(key: string, value: V, weight = 0): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.map.delete(key);
      this.total -= old.weight;
    }
    this.map.set(key, { value, seen: this.now(), weight });
    this.total += weight;
    this.sweep();
    this.bound();
  }

  /** A present entry's new weight (it grew), then evict past the bounds. */
  reweigh(key: string, weight: number): void {
    const e = this.map.get(key);
    if (e === undefined) return;
    this.total += weight - e.weight;
    e.weight = weight;
    this.bound();
  }

  delete(key: string): boolean {
    const e = this.map.get(key);
    if (e === undefined) return false;
    this.map.delete(key);
    this.total -= e.weight;
    return true;
  }

  /** Drop expired entries (from the front, stopping at the first live one); returns how many. */
  sweep(): number {
    const t = this.now();
    let n = 0;
    for (const [k, e] of this.map) {
      if (t - e.seen <= this.ttlMs) break;
      this.drop(k, e, 'ttl');
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
