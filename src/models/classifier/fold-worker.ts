/**
 * Worker-thread entry for cross-validation: receives the matrix once (shared memory), then fold jobs;
 * posts progress per round and each fold's outcome. Errors go back as messages with their exit class.
 */
import { parentPort } from 'node:worker_threads';
import { PhantomError } from '../../errors.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { runFoldJob, type FoldJob, type FoldOutcome } from './fold-job.js';

export type FoldWorkerRequest =
  | ({ kind: 'data'; y: Uint8Array } & FeatureMatrix)
  | { kind: 'job'; job: FoldJob };

export type FoldWorkerReply =
  | { kind: 'progress'; index: number; round: number; rounds: number }
  | { kind: 'done'; outcome: FoldOutcome }
  | { kind: 'failed'; index: number; message: string; exitCode: number | null; stack: string | null };

let X: FeatureMatrix | null = null;
let y: Uint8Array | null = null;

parentPort?.on('message', (req: FoldWorkerRequest) => {
  if (req.kind === 'data') {
    X = { nRows: req.nRows, nCols: req.nCols, values: req.values, featureNames: req.featureNames };
    y = req.y;
    return;
  }
  const { job } = req;
  try {
    const outcome = runFoldJob(X!, y!, job, (round, rounds) => parentPort!.postMessage({ kind: 'progress', index: job.index, round, rounds } satisfies FoldWorkerReply));
    parentPort!.postMessage({ kind: 'done', outcome } satisfies FoldWorkerReply, [outcome.p.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    parentPort!.postMessage({ kind: 'failed', index: job.index, message: e.message, exitCode: err instanceof PhantomError ? err.exitCode : null, stack: e.stack ?? null } satisfies FoldWorkerReply);
  }
});
