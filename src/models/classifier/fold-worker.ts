/**
 * Worker-thread entry for cross-validation: the matrix once (shared memory, as workerData), then fold jobs
 * through the pool protocol (threads/job-port.ts): progress per round, then each fold's outcome.
 */
import { workerData } from 'node:worker_threads';
import { serveJobs } from '../../threads/job-port.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { runFoldJob, type FoldJob, type FoldOutcome } from './fold-job.js';

/** What every fold worker receives once: the one model matrix (src/models/gbdt/matrix.ts) and the labels. */
export type FoldWorkerData = FeatureMatrix & { y: Uint8Array };

/** A fold's progress: boosting round `round` of `rounds`. */
export interface FoldProgress {
  round: number;
  rounds: number;
}

const data = workerData as FoldWorkerData;
const X: FeatureMatrix = { nRows: data.nRows, nCols: data.nCols, values: data.values, featureNames: data.featureNames };
serveJobs<FoldJob, FoldOutcome, FoldProgress>(
  (job, ctx) => runFoldJob(X, data.y, job, (round, rounds) => ctx.progress({ round, rounds })),
  (outcome) => [outcome.p.buffer as ArrayBuffer],
);
