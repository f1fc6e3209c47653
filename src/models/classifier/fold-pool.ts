/**
 * Runs fold jobs on worker threads sharing one copy of the matrix (SharedArrayBuffer), or in this thread
 * when one worker is asked for or the compiled worker script is absent (library run from TypeScript
 * sources). Outcomes are identical either way: each job carries its own seed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPool } from '../../threads/pool.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { runFoldJob, type FoldJob, type FoldOutcome } from './fold-job.js';
import type { FoldProgress, FoldWorkerData } from './fold-worker.js';

const WORKER_URL = new URL('./fold-worker.js', import.meta.url);

/** True when folds can run on worker threads. */
export function foldWorkersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

function shared<T extends Float64Array | Uint8Array>(a: T, make: (b: SharedArrayBuffer) => T): T {
  const out = make(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/**
 * Run every job; `onRound(jobIndex, round, rounds)` reports progress.
 * @example const outcomes = await runFoldJobs(X, y, jobs, 2);
 */
export async function runFoldJobs(
  X: FeatureMatrix, y: Uint8Array, jobs: FoldJob[], workers: number, onRound?: (index: number, round: number, rounds: number) => void,
): Promise<FoldOutcome[]> {
  const out = new Array<FoldOutcome>(jobs.length);
  const threads = Math.min(workers, jobs.length);
  if (threads <= 1 || !foldWorkersAvailable()) {
    for (const job of jobs) out[job.index] = runFoldJob(X, y, job, (r, n) => onRound?.(job.index, r, n));
    return out;
  }
  const data: FoldWorkerData = {
    nRows: X.nRows, nCols: X.nCols, featureNames: X.featureNames,
    values: shared(X.values, (b) => new Float64Array(b)), y: shared(y, (b) => new Uint8Array(b)),
  };
  const outcomes = await runPool<FoldJob, FoldOutcome, FoldProgress>(jobs, {
    script: WORKER_URL, workers: threads, workerData: data, label: 'cross-validation worker', jobName: (job) => `fit ${job.index + 1}`,
    onProgress: (p, i) => onRound?.(jobs[i]!.index, p.round, p.rounds),
  });
  for (const outcome of outcomes) out[outcome.index] = outcome;
  return out;
}
