/**
 * Runs fold jobs on worker threads sharing one copy of the matrix (SharedArrayBuffer), or in this thread
 * when one worker is asked for or the compiled worker script is absent (library run from TypeScript
 * sources). Outcomes are identical either way: each job carries its own seed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PhantomError } from '../../errors.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { runFoldJob, type FoldJob, type FoldOutcome } from './fold-job.js';
import type { FoldWorkerReply, FoldWorkerRequest } from './fold-worker.js';

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
  const data: FoldWorkerRequest = {
    kind: 'data', nRows: X.nRows, nCols: X.nCols, featureNames: X.featureNames,
    values: shared(X.values, (b) => new Float64Array(b)), y: shared(y, (b) => new Uint8Array(b)),
  };
  let next = 0;
  const pool = Array.from({ length: threads }, () => new Worker(WORKER_URL));
  try {
    await Promise.all(pool.map((w) => new Promise<void>((resolve, reject) => {
      const send = (): void => {
        if (next >= jobs.length) { resolve(); return; }
        w.postMessage({ kind: 'job', job: jobs[next++]! } satisfies FoldWorkerRequest);
      };
      w.on('message', (r: FoldWorkerReply) => {
        if (r.kind === 'progress') onRound?.(r.index, r.round, r.rounds);
        else if (r.kind === 'done') { out[r.outcome.index] = r.outcome; send(); }
        else {
          const err = r.exitCode !== null ? new PhantomError(r.message, r.exitCode) : new Error(`cross-validation fit ${r.index + 1}: ${r.message}`);
          if (r.exitCode === null && r.stack !== null) err.stack = r.stack;
          reject(err);
        }
      });
      w.on('error', reject);
      w.on('exit', (code) => reject(new Error(`a cross-validation worker exited early (code ${code})`)));
      w.postMessage(data);
      send();
    })));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return out;
}
