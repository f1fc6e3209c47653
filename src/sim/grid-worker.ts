/**
 * Worker-thread entry of the grid runner: receives the grid spec once (workerData), then cell jobs as
 * messages, and answers each with its rows. Exits when the parent closes the port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { newCellCache, runCell, type CellJob, type GridSpec } from './grid-cell.js';

const spec = workerData as GridSpec;
const cache = newCellCache();
parentPort!.on('message', (job: CellJob) => {
  try {
    parentPort!.postMessage({ ok: true, result: runCell(spec, job, cache) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
