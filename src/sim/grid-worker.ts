/**
 * Worker-thread entry of the grid runner: receives the grid spec once (workerData), then run jobs
 * through the pool protocol (threads/job-port.ts), and answers each with its metrics. Before the first job it
 * runs each policy briefly twice, so V8 compiles the engine once rather than twice per worker (primeClosures).
 */
import { workerData } from 'node:worker_threads';
import { serveJobs } from '../threads/job-port.js';
import { newCellCache, primeClosures, runJob, type GridSpec, type RunJob } from './grid-cell.js';

const spec = workerData as GridSpec;
const cache = newCellCache();
primeClosures(spec, cache);
serveJobs((job: RunJob) => runJob(spec, job, cache));
