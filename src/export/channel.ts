/**
 * A bounded async channel: the export pushes chunks, a streaming Parquet writer pulls them. `push`
 * waits while `capacity` chunks are queued, so memory stays bounded when the writer is slower.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly queue: T[] = [];
  private closed = false;
  private failure: { error: unknown } | null = null;
  private pullWaiter: (() => void) | null = null;
  private pushWaiters: (() => void)[] = [];

  constructor(private readonly capacity = 2) {}

  /**
   * Queue an item; resolves once there is room. Rejects when the channel failed.
   * @example await channel.push(chunk)
   */
  async push(item: T): Promise<void> {
    this.throwIfFailed();
    if (this.closed) throw new Error('push after close');
    this.queue.push(item);
    this.wakePuller();
    while (this.queue.length > this.capacity && this.failure === null) await new Promise<void>((r) => this.pushWaiters.push(r));
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure.error;
  }

  /** No more items; the reader ends after the queued ones. */
  close(): void {
    this.closed = true;
    this.wakePuller();
  }

  /** Stop both sides: the reader throws `error`, pending and later pushes reject. */
  fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.wakePuller();
    for (const w of this.pushWaiters.splice(0)) w();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      this.throwIfFailed();
      const item = this.queue.shift();
      if (item !== undefined) {
        this.pushWaiters.shift()?.();
        yield item;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((r) => (this.pullWaiter = r));
    }
  }

  private wakePuller(): void {
    const w = this.pullWaiter;
    this.pullWaiter = null;
    w?.();
  }
}
