/**
 * Streams events chunks to a Parquet file written by a worker thread (`parquet-worker.ts`), so Parquet
 * encoding runs on another core while the main thread produces rows (export, generate): the chunk's
 * typed arrays are transferred, not copied, and at most `capacity` chunks are in flight, so memory stays
 * bounded. The file lands atomically as `writeEventsParquet` does it.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script.js';
import type { EventsWriteOptions } from './events-parquet.js';
import { requestBuffers } from './request-columns.js';
import type { EventsTable } from './table.js';


type Reply = { taken: true } | { done: { rows: number; sessions: number } } | { error: string; code?: string };

// Buffers of a chunk's typed arrays (each chunk owns its arrays: EventsBuilder.flush slices them).
function buffers(t: EventsTable): ArrayBuffer[] {
  const arrays = [t.sessionId.codes, t.experimentId.codes, t.eventName.codes, t.page.codes, t.productId.codes, t.storeMode.codes, t.userAgent.codes, t.srcTopic.codes, t.ts, t.price, t.dwellMs, t.isAgent, t.srcPartition, t.srcOffset, t.srcTs, ...(t.originPartition ? [t.originPartition] : []), ...(t.originOffset ? [t.originOffset] : [])];
  return [...new Set([...arrays.map((a) => a.buffer as ArrayBuffer), ...(t.requests ? requestBuffers(t.requests) : [])])];
}

export class WorkerEventsWriter {
  private readonly worker: Worker;
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private readonly result: Promise<{ rows: number; sessions: number }>;
  private failure: Error | null = null;

  /** @example const w = new WorkerEventsWriter('events.parquet', { compression: 'zstd' }); await w.push(chunk); await w.finish(); */
  constructor(path: string, options: EventsWriteOptions, private readonly capacity = 2) {
    this.worker = new Worker(workerScript(import.meta.url, 'events/parquet-worker.js'), { workerData: { path, options } });
    this.result = new Promise((resolve, reject) => {
      const fail = (e: Error): void => {
        this.failure = e;
        for (const w of this.waiters.splice(0)) w();
        reject(e);
      };
      this.worker.on('message', (m: Reply) => {
        if ('taken' in m) {
          this.inFlight--;
          this.waiters.shift()?.();
        } else if ('done' in m) resolve(m.done);
        else fail(Object.assign(new Error(m.error), m.code === undefined ? {} : { code: m.code }));
      });
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new Error(`Parquet writer thread exited (${code})`)));
    });
    this.result.catch(() => undefined); // observed through push/finish
  }

  /** Hand a chunk over (its arrays move to the worker); waits while `capacity` chunks are queued. */
  async push(chunk: EventsTable): Promise<void> {
    while (this.inFlight >= this.capacity && this.failure === null) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure !== null) throw this.failure;
    this.inFlight++;
    this.worker.postMessage(chunk, buffers(chunk));
  }

  /** No more chunks (`metadata`: footer entries known only now): resolves when the file is in place. */
  async finish(metadata: Record<string, string> = {}): Promise<{ rows: number; sessions: number }> {
    this.worker.postMessage({ end: true, metadata });
    try {
      return await this.result;
    } finally {
      await this.worker.terminate();
    }
  }

  /** Stop: the worker removes its temporary file; nothing lands under the final name. */
  async abort(): Promise<void> {
    this.worker.postMessage({ abort: true });
    await this.result.catch(() => undefined);
    await this.worker.terminate();
  }
}
