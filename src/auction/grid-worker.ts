/**
 * Worker-thread entry of the auction grid: the spec once (workerData), then cell jobs as messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ctrBuilder, runAuctionCell, type AuctionCellJob, type AuctionGridSpec } from './grid-cell.js';

const spec = workerData as AuctionGridSpec;
const ctr = ctrBuilder(spec);
parentPort!.on('message', (job: AuctionCellJob) => {
  try {
    parentPort!.postMessage({ ok: true, result: runAuctionCell(spec, job, ctr) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
