/**
 * Worker-thread entry for `phantom features --workers N`: runs the same file job as the main thread for
 * each { path, opts } job of the pool (threads/job-port.ts) and posts the session table back with its
 * buffers transferred.
 */
import { serveJobs } from '../threads/job-port.js';
import { runFileJob, transferList, type FileJobOptions } from './file-job.js';

export interface WorkerRequest {
  path: string;
  opts: FileJobOptions;
}

serveJobs((req: WorkerRequest) => runFileJob(req.path, req.opts), transferList);
