/**
 * The worker side of the pool protocol (threads/pool.ts): a worker entry calls `serveJobs` once with its
 * job function; each `{ id, job }` message is answered by `{ id, kind: 'done', result }`, or by
 * `{ id, kind: 'failed', error }` carrying the error's class and exit code (threads/wire-error.ts), with
 * any number of `{ id, kind: 'progress', progress }` before it.
 */
import { parentPort, type Transferable } from 'node:worker_threads';
import { toWireError, type WireError } from './wire-error.js';

/** Main thread → worker: one job. */
export interface JobRequest<J> {
  id: number;
  job: J;
}

/** Worker → main thread: a job's progress, result or failure. */
export type JobReply<R, P> =
  | { id: number; kind: 'progress'; progress: P }
  | { id: number; kind: 'done'; result: R }
  | { id: number; kind: 'failed'; error: WireError };

/** What a job function may do besides returning: report progress to the main thread. */
export interface JobContext<P> {
  progress(progress: P): void;
}

/**
 * Answer the pool's jobs with `run` in this worker thread; `transfer` lists the result's buffers to move
 * rather than copy.
 * @example serveJobs((job: RunJob) => runJob(spec, job, cache))
 */
export function serveJobs<J, R, P = never>(run: (job: J, ctx: JobContext<P>) => R | Promise<R>, transfer?: (result: R) => Transferable[]): void {
  const port = parentPort;
  if (port === null) throw new Error('serveJobs runs in a worker thread only');
  port.on('message', async ({ id, job }: JobRequest<J>) => {
    try {
      const ctx: JobContext<P> = { progress: (progress) => port.postMessage({ id, kind: 'progress', progress } satisfies JobReply<R, P>) };
      const result = await run(job, ctx);
      port.postMessage({ id, kind: 'done', result } satisfies JobReply<R, P>, transfer?.(result) ?? []);
    } catch (err) {
      port.postMessage({ id, kind: 'failed', error: toWireError(err) } satisfies JobReply<R, P>);
    }
  });
}
