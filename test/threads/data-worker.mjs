// A real worker for test/threads/pool-started.test.ts: the compiled protocol (dist/) with a job function built
// from the pool's data once (serveJobsWithData), which a worker started ahead receives as its first message.
import { threadId } from 'node:worker_threads';
import { serveJobsWithData } from '../../dist/threads/job-port.js';

let inits = 0;
serveJobsWithData((data) => {
  inits++;
  return (job) => ({ x: job.x, scaled: job.x * data.scale, inits, thread: threadId });
});
