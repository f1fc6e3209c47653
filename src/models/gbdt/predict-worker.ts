/**
 * The helper thread of predict-threads.ts: each message is a job whose blocks of rows it takes alongside the
 * caller; it imports only the flattened-forest walk.
 */
import { parentPort } from 'node:worker_threads';
import { markFailed, takeBlocks, type PredictJob } from './predict-threads.js';

parentPort?.on('message', (job: PredictJob) => {
  try {
    takeBlocks(job, true);
  } catch {
    markFailed(job);
  }
});
