// A real worker for test/threads/pool.test.ts: the compiled pool protocol (dist/), jobs that succeed,
// throw each error class, exit, crash outside a job, or spin until terminated.
import { serveJobs } from '../../dist/threads/job-port.js';
import { DataError, UsageError } from '../../dist/errors.js';
import { workerData } from 'node:worker_threads';

serveJobs(async (job, ctx) => {
  switch (job.kind) {
    case 'square': ctx.progress(job.x); return { x: job.x, square: job.x * job.x * workerData.scale };
    case 'data-error': throw new DataError(`sessions.parquet: ${job.x} rows have a negative dwell`);
    case 'usage-error': throw new UsageError('--policy: unknown policy "x"');
    case 'enoent': { const e = new Error("ENOENT: no such file or directory, open 'gone.csv'"); e.code = 'ENOENT'; throw e; }
    case 'type-error': return null.x;
    case 'exit': process.exit(job.x);
    case 'uncaught': setTimeout(() => { throw new RangeError('outside any job'); }, 0); return new Promise(() => {});
    case 'spin': for (;;) {}
  }
});
