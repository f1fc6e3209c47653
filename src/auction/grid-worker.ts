/**
 * Worker-thread entry of the auction grid: the spec once (workerData), then cell jobs through the pool
 * protocol (threads/job-port.ts).
 */
import { workerData } from 'node:worker_threads';
import { serveJobs } from '../threads/job-port.js';
import { ctrBuilder, runAuctionCell, type AuctionCellJob, type AuctionGridSpec } from './grid-cell.js';

const spec = workerData as AuctionGridSpec;
const ctr = ctrBuilder(spec);
serveJobs((job: AuctionCellJob) => runAuctionCell(spec, job, ctr));
