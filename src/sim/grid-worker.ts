/**
 * Worker-thread entry of the grid runner: receives the grid spec once (workerData), then run jobs as
 * messages, and answers each with its metrics. Exits when the parent closes the port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { newCellCache, runJob, type GridSpec, type RunJob } from './grid-cell.js';

const spec = workerData as GridSpec;
const cache = newCellCache();
parentPort!.on('message', (job: RunJob) => {
  try {
    parentPort!.postMessage({ ok: true, result: runJob(spec, job, cache) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
