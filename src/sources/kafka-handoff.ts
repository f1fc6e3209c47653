/**
 * A one-slot rendezvous between a push-style producer (kafkajs' `eachBatch`) and a pull-style consumer
 * (an async iterator). `put` resolves only when the consumer comes back for the next item, so the
 * producer cannot run ahead: memory stays bounded and the consumer finishes its work on an item (write,
 * commit) before the producer may move on (and, for Kafka, before a rebalance can take the partition).
 */
export class BatchHandoff<T> {
  private queue: { item: T; release: () => void }[] = [];
  private taken: (() => void) | null = null;
  private waiter: { resolve: (v: T | undefined) => void; reject: (e: unknown) => void } | null = null;
  private closed = false;
  private failure: { error: unknown } | null = null;

  /**
   * Offer an item; resolves when the consumer has finished with it (asked for the next one), or
   * immediately when the handoff was aborted.
   * @example await handoff.put(batch); // inside eachBatch
   */
  put(item: T): Promise<void> {
    if (this.closed || this.failure) return Promise.resolve();
    return new Promise<void>((release) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        this.taken = release;
        w.resolve(item);
      } else {
        this.queue.push({ item, release });
      }
    });
  }

  /**
   * Release the previous item and wait for the next; `undefined` once closed and drained.
   * @example for (let b = await h.take(); b !== undefined; b = await h.take()) write(b);
   */
  take(): Promise<T | undefined> {
    this.releaseTaken();
    if (this.failure) return Promise.reject(this.failure.error);
    const next = this.queue.shift();
    if (next) {
      this.taken = next.release;
      return Promise.resolve(next.item);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** No more items: queued ones are still handed out, then `take` yields undefined. */
  close(): void {
    this.closed = true;
    if (this.waiter && this.queue.length === 0) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve(undefined);
    }
  }

  /** Accept items again after `close()` (a finished stream that must read some partitions again). */
  reopen(): void {
    if (this.failure === null) this.closed = false;
  }

  /** Stop now: drop queued items, release every producer, fail (or end) the waiting consumer. */
  abort(error?: unknown): void {
    if (error !== undefined && !this.closed) this.failure = { error };
    this.closed = true;
    this.releaseTaken();
    for (const q of this.queue.splice(0)) q.release();
    const w = this.waiter;
    this.waiter = null;
    if (w) {
      if (this.failure) w.reject(this.failure.error);
      else w.resolve(undefined);
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private releaseTaken(): void {
    const r = this.taken;
    this.taken = null;
    r?.();
  }
}
