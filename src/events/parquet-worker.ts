/**
 * Worker-thread side of `WorkerEventsWriter`: receives events chunks and streams them into
 * `writeEventsParquet`, so Parquet encoding (pages from the typed arrays, zstd in WASM) runs on another core while the
 * main thread reads and normalises (export) or samples sessions (generate). Messages in: a chunk, `{ end: true }` or `{ abort: true }`; out:
 * `{ taken: true }` per chunk consumed, then `{ done: { rows, sessions } }` or `{ error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type EventsWriteOptions, writeEventsParquet } from './events-parquet.js';
import type { EventsTable } from './table.js';

type Message = EventsTable | { end: true; metadata?: Record<string, string> } | { abort: true };

const port = parentPort!;
const { path, options } = workerData as { path: string; options: EventsWriteOptions };
// footer entries that arrive with the end message (read by the writer only after the last chunk)
const finalMetadata: Record<string, string> = {};
const queue: EventsTable[] = [];
let ended = false;
let aborted = false;
let wake: (() => void) | null = null;

port.on('message', (m: Message) => {
  if ('end' in m) {
    ended = true;
    Object.assign(finalMetadata, m.metadata ?? {});
  }
  else if ('abort' in m) aborted = true;
  else queue.push(m);
  const w = wake;
  wake = null;
  w?.();
});

async function* chunks(): AsyncGenerator<EventsTable> {
  for (;;) {
    if (aborted) throw new Error('aborted');
    const chunk = queue.shift();
    if (chunk !== undefined) {
      port.postMessage({ taken: true });
      yield chunk;
      continue;
    }
    if (ended) return;
    await new Promise<void>((r) => (wake = r));
  }
}

writeEventsParquet(path, chunks(), { ...options, finalMetadata }).then(
  (done) => port.postMessage({ done }),
  // the code survives the thread boundary, so a file-system failure is still reported as one
  (e: unknown) => port.postMessage({ error: e instanceof Error ? e.message : String(e), code: (e as NodeJS.ErrnoException).code }),
);
