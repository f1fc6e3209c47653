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
import { DATA_FOLLOWS, type JobReply, type JobRequest } from './job-port.js';
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
  /** workers `startWorkers` started ahead (same script): used first, sent `workerData` as their first message */
  started?: StartedWorkers;
}

/** Workers started before their data and jobs exist (`startWorkers`); runPool takes them over and terminates them. */
export interface StartedWorkers {
  readonly workers: readonly Worker[];
  /** terminate them, when no runPool will (e.g. an input failed to load) */
  terminate(): Promise<void>;
}

/**
 * Start pool workers before their data and jobs exist, so that Node's worker bootstrap and the script's imports
 * run while the main thread still loads its inputs; pass them to runPool as `started`. The worker entry must
 * use `serveJobsWithData` (or `serveJobs`), which waits for the data.
 * @example const started = startWorkers({ script, workers: 2 }); … await runPool(jobs, { script, workers: 2, workerData: spec, started, label })
 */
export function startWorkers(o: { script: URL; workers: number; resourceLimits?: ResourceLimits }): StartedWorkers {
  const workers = Array.from({ length: Math.max(0, o.workers) }, () => new Worker(o.script, { workerData: DATA_FOLLOWS, ...(o.resourceLimits ? { resourceLimits: o.resourceLimits } : {}) }));
  return { workers, terminate: async () => { await Promise.all(workers.map((w) => w.terminate())); } };
}

/**
 * Run every job on worker threads; the results in job order.
 * @example const results = await runPool(jobs, { script: workerScript(import.meta.url, 'sim/grid-worker.js'), workers: 2, workerData: spec, label: 'simulation worker' })
 */
export async function runPool<J, R, P = never>(jobs: readonly J[], o: PoolOptions<J, R, P>): Promise<R[]> {
  const results = new Array<R>(jobs.length);
  o.signal?.throwIfAborted();
  const threads = Math.min(o.workers, jobs.length);
  const pool: Worker[] = [...(o.started?.workers.slice(threads) ?? [])]; // surplus started workers: terminated below
  if (threads <= 0) {
    await Promise.all(pool.map((w) => w.terminate()));
    return results;
  }
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
        const ahead = o.started?.workers[k];
        const w = ahead ?? new Worker(o.script, { workerData: o.workerData, ...(o.resourceLimits ? { resourceLimits: o.resourceLimits } : {}) });
        if (ahead) w.postMessage({ data: o.workerData });
        pool.push(w);
        let holding: number | null = null, retired = false;
        const feed = (): void => {
          if (next >= jobs.length) {
            // nothing left for this worker: let it go now, while the others finish, rather than after the last result
            holding = null;
            retired = true;
            void w.terminate();
            return;
          }
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
        w.on('error', (err) => retired || finish(fromWireError(toWireError(err), `${o.label} crashed ${which(holding)}`)));
        w.on('exit', (code) => retired || finish(new Error(`${o.label} exited with code ${code} ${which(holding)}; no result for it`)));
        feed();
      }
    });
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
