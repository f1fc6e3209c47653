/**
 * Generated events straight to events.parquet on every core: worker threads (`generate-worker.ts`) each
 * sample a chunk of sessions and encode it as row groups; this thread appends the row groups in chunk
 * order. Chunks depend only on the options, so the file is byte-identical whatever the thread count, and
 * at most `window` chunks are in flight, so memory does not grow with the dataset.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EventsParquetFileWriter } from '../events/events-parquet.js';
import type { EncodedRowGroup } from '../events/events-row-group.js';
import type { CompressionName } from '../io/parquet.js';
import { workerScript } from '../worker-script.js';
import type { GenerateOptions } from './generate.js';


type Reply = { chunk: number; rowGroups: EncodedRowGroup[]; events: number; sessions: number } | { error: string; code?: string };

export interface ParallelParquetOptions {
  compression: CompressionName;
  /** key/value metadata for the footer */
  metadata: Record<string, string>;
  /** worker threads (default: the machine's available parallelism, at most 8) */
  threads?: number;
  /** most rows per row group (default 2²⁰: each chunk of sessions is one row group) */
  rowGroupSize?: number;
  /** called after each chunk lands, with the events written so far */
  onChunk?: (events: number) => void;
}

/** Default thread count: one per core the process may use, at most 8. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Generate chunks 0…chunkCount−1 on worker threads and write them to `out` in order.
 * @example await generateParquetParallel(options, 43, 'events.parquet', { compression: 'zstd', metadata: {} })
 */
export async function generateParquetParallel(o: GenerateOptions, chunkCount: number, out: string, p: ParallelParquetOptions): Promise<{ events: number; sessions: number }> {
  const threads = Math.max(1, Math.min(p.threads ?? defaultThreads(), Math.max(1, chunkCount)));
  const window = threads * 2;
  const writer = await EventsParquetFileWriter.open(out, { metadata: p.metadata });
  const workers: Worker[] = [];
  let events = 0, sessions = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const done = new Map<number, Extract<Reply, { chunk: number }>>();
      let issued = 0, next = 0, writing = false, failed = false;
      const fail = (e: Error): void => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      const issue = (w: Worker): void => {
        if (issued < chunkCount && issued < next + window) w.postMessage({ chunk: issued++ });
        else idle.push(w);
      };
      const idle: Worker[] = [];
      // append finished chunks in order; one append at a time
      const drain = async (): Promise<void> => {
        if (writing || failed) return;
        writing = true;
        try {
          for (let r = done.get(next); r !== undefined; r = done.get(next)) {
            done.delete(next);
            for (const rg of r.rowGroups) await writer.appendRowGroup(rg);
            events += r.events;
            sessions += r.sessions;
            next++;
            p.onChunk?.(events);
            for (const w of idle.splice(0)) issue(w);
          }
        } catch (e) {
          fail(e as Error);
          return;
        } finally {
          writing = false;
        }
        if (next === chunkCount) resolve();
        else if (done.has(next)) void drain();
      };
      for (let t = 0; t < threads; t++) {
        const w = new Worker(workerScript(import.meta.url, 'generate/generate-worker.js'), { workerData: { options: o, compression: p.compression, rowGroupSize: p.rowGroupSize ?? 1 << 20 } });
        workers.push(w);
        w.on('message', (m: Reply) => {
          if ('error' in m) return fail(Object.assign(new Error(m.error), m.code === undefined ? {} : { code: m.code }));
          done.set(m.chunk, m);
          issue(w);
          void drain();
        });
        w.on('error', fail);
        w.on('exit', (code) => {
          if (next < chunkCount) fail(new Error(`generator thread exited (${code}) before the last chunk`));
        });
        issue(w);
      }
      if (chunkCount === 0) resolve();
    });
    await writer.finish({ 'phantom.sessions': String(sessions) });
    return { events, sessions };
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
