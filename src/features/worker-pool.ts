/**
 * Runs file jobs on N worker threads (or in this thread when N <= 1, there is one file, or the compiled
 * worker script is absent, as when the library runs from TypeScript sources under a test runner).
 * Results come back in input order whatever order the workers finish in.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PhantomError } from '../errors.js';
import { runFileJob, type FileJobOptions, type FileJobResult } from './file-job.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** True when jobs can run on worker threads (the compiled worker script exists). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

function rethrow(r: Extract<WorkerReply, { ok: false }>, path: string): never {
  if (r.exitCode !== null) throw new PhantomError(r.message, r.exitCode);
  const err = new Error(`${path}: ${r.message}`);
  if (r.stack !== null) err.stack = r.stack;
  throw err;
}

/**
 * Run `runFileJob` on every path with up to `workers` threads; `onDone` reports progress.
 * @example const results = await runFileJobs(['a.parquet', 'b.parquet'], opts, 2)
 */
export async function runFileJobs(paths: readonly string[], opts: FileJobOptions, workers: number, onDone?: (done: number) => void): Promise<FileJobResult[]> {
  const results = new Array<FileJobResult>(paths.length);
  const threads = Math.min(workers, paths.length);
  if (threads <= 1 || !workersAvailable()) {
    for (let i = 0; i < paths.length; i++) {
      results[i] = await runFileJob(paths[i]!, opts);
      onDone?.(i + 1);
    }
    return results;
  }
  let next = 0, done = 0;
  const pool = Array.from({ length: threads }, () => new Worker(WORKER_URL));
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= paths.length) { resolve(); return; }
              const id = next++;
              w.postMessage({ id, path: paths[id]!, opts } satisfies WorkerRequest);
            };
            w.on('message', (r: WorkerReply) => {
              if (!r.ok) {
                try {
                  rethrow(r, paths[r.id]!);
                } catch (err) {
                  reject(err);
                }
                return;
              }
              results[r.id] = r.result;
              onDone?.(++done);
              send();
            });
            w.on('error', reject);
            w.on('exit', (code) => reject(new Error(`a features worker exited early (code ${code})`)));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
