/**
 * One worker-thread pool for job lists (the simulate and auction grids use it): N workers start from one
 * script and `workerData`; each job goes to whichever worker is free, in list order; results come back
 * in list order whatever order the workers finish in. The protocol is threads/job-port.ts.
 *
 * Failures never hang: a job's error is re-thrown here as the same class with the same exit code
 * (threads/wire-error.ts); a worker that exits or throws outside a job is reported as a crash naming the
 * job it held; an aborted `signal` rejects at once. Every way out terminates all workers first.
 */
import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';
import type { JobReply, JobRequest } from './job-port.js';
import { fromWireError, toWireError } from './wire-error.js';

export interface PoolOptions<J, R, P = never> {
  /** the compiled worker entry (see worker-script.ts); it calls `serveJobs` */
  script: URL;
  /** worker threads (at most one per job are started) */
  workers: number;
  /** what every worker receives once, as `workerData` */
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
  /** names the workers in errors, e.g. 'simulation worker' */
  label: string;
  /** names a job in errors (default: 'job 3 of 12') */
  jobName?: (job: J, index: number) => string;
  /** buffers of a job to move to the worker rather than copy */
  transfer?: (job: J) => Transferable[];
  /** called as each result arrives: the job's index and how many are done */
  onResult?: (result: R, index: number, done: number) => void;
  onProgress?: (progress: P, index: number) => void;
  /** aborting terminates the workers and rejects with the signal's reason */
  signal?: AbortSignal;
}

/**
 * Run every job on worker threads; the results in job order.
 * @example const results = await runPool(jobs, { script: workerScript(import.meta.url, 'sim/grid-worker.js'), workers: 2, workerData: spec, label: 'simulation worker' })
 */
export async function runPool<J, R, P = never>(jobs: readonly J[], o: PoolOptions<J, R, P>): Promise<R[]> {
  const results = new Array<R>(jobs.length);
  o.signal?.throwIfAborted();
  const threads = Math.min(o.workers, jobs.length);
  if (threads <= 0) return results;
  const pool: Worker[] = [];
  let onAbort = (): void => {};
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0, done = 0, settled = false;
      const finish = (err?: unknown): void => {
        if (settled) return;
        settled = true;
        if (err === undefined) resolve();
        else reject(err);
      };
      onAbort = () => finish(o.signal!.reason);
      o.signal?.addEventListener('abort', onAbort, { once: true });
      const name = (id: number): string => o.jobName?.(jobs[id]!, id) ?? `job ${id + 1} of ${jobs.length}`;
      const which = (id: number | null): string => (id === null ? 'between jobs' : `on ${name(id)}`);
      for (let k = 0; k < threads; k++) {
        const w = new Worker(o.script, { workerData: o.workerData, ...(o.resourceLimits ? { resourceLimits: o.resourceLimits } : {}) });
        pool.push(w);
        let holding: number | null = null;
        const feed = (): void => {
          if (next >= jobs.length) { holding = null; return; }
          holding = next++;
          w.postMessage({ id: holding, job: jobs[holding]! } satisfies JobRequest<J>, o.transfer?.(jobs[holding]!) ?? []);
        };
        w.on('message', (m: JobReply<R, P>) => {
          if (settled) return;
          if (m.kind === 'progress') { o.onProgress?.(m.progress, m.id); return; }
          if (m.kind === 'failed') { finish(fromWireError(m.error, `${o.label} (${name(m.id)})`)); return; }
          results[m.id] = m.result;
          done++; // not inside the optional call below: without onResult its arguments are never evaluated
          o.onResult?.(m.result, m.id, done);
          if (done === jobs.length) finish();
          else feed();
        });
        w.on('error', (err) => finish(fromWireError(toWireError(err), `${o.label} crashed ${which(holding)}`)));
        w.on('exit', (code) => finish(new Error(`${o.label} exited with code ${code} ${which(holding)}; no result for it`)));
        feed();
      }
    });
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
