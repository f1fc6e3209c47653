/**
 * Worker-thread entry of the grid runner: receives the grid spec once (workerData, or the first message when
 * the pool started it ahead: startGridWorkers), then run jobs
 * through the pool protocol (threads/job-port.ts), and answers each with its metrics. Before the first job it
 * runs each policy briefly twice, so V8 compiles the engine once rather than twice per worker (primeClosures).
 */
import { serveJobsWithData } from '../threads/job-port.js';
import { newCellCache, primeClosures, runJob, type GridSpec, type RunJob } from './grid-cell.js';

serveJobsWithData((spec: GridSpec) => {
  const cache = newCellCache();
  primeClosures(spec, cache);
  return (job: RunJob) => runJob(spec, job, cache);
});
