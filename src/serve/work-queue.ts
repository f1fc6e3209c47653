/**
 * A bounded in-process queue drained off the request path: `push` only appends (O(1), never awaits) and
 * schedules a drain on the next turn of the event loop (setImmediate), which applies items in batches
 * and yields between them, so a burst of feedback never delays a `/v1/price` response by more than one
 * batch. `drain()` resolves when everything queued so far has been applied (SIGTERM uses it).
 */

export class WorkQueue<T> {
  private items: T[] = [];
  private head = 0;
  private scheduled = false;
  private running: Promise<void> | null = null;
  applied = 0;
  failed = 0;

  constructor(
    private readonly apply: (item: T) => void | Promise<void>,
    readonly capacity: number,
    private readonly batch = 256,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  get depth(): number {
    return this.items.length - this.head;
  }

  /** Queue an item; false when the queue is full (the caller answers 503). @example queue.push({ decisionId, reward }) */
  push(item: T): boolean {
    if (this.depth >= this.capacity) return false;
    this.items.push(item);
    this.schedule();
    return true;
  }

  private schedule(): void {
    if (this.scheduled || this.running !== null) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.run().finally(() => {
        this.running = null;
        if (this.depth > 0) this.schedule();
      });
    });
  }

  private async run(): Promise<void> {
    let n = 0;
    while (this.head < this.items.length && n < this.batch) {
      const item = this.items[this.head++]!;
      n++;
      try {
        await this.apply(item);
        this.applied++;
      } catch (err) {
        this.failed++;
        this.onError(err);
      }
    }
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Resolves once the queue is empty and nothing is being applied. */
  async drain(): Promise<void> {
    while (this.depth > 0 || this.running !== null || this.scheduled) {
      if (this.running !== null) await this.running;
      else await new Promise((r) => setImmediate(r));
    }
  }
}
