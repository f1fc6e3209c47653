/**
 * Runs file jobs on N worker threads (or in this thread when N <= 1, there is one file, or the compiled
 * worker script is absent, as when the library runs from TypeScript sources under a test runner).
 * Results come back in input order whatever order the workers finish in.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPool } from '../threads/pool.js';
import { runFileJob, type FileJobOptions, type FileJobResult } from './file-job.js';
import type { WorkerRequest } from './worker.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** True when jobs can run on worker threads (the compiled worker script exists). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
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
  return runPool<WorkerRequest, FileJobResult>(paths.map((path) => ({ path, opts })), {
    script: WORKER_URL, workers: threads, label: 'features worker', jobName: (job) => job.path, onResult: (_r, _i, done) => onDone?.(done),
  });
}
