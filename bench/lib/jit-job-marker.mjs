// A preload for bench/simulate-jit.mjs (`node --import …`, inherited by worker threads): each worker prints a
// line before its imports and one per job it receives, on stdout beside V8's --trace-opt/--trace-deopt lines
// (run unbuffered, `stdbuf -o0`), so each compile and deopt can be read against the job that caused it.
import { writeSync } from 'node:fs';
import workerThreads from 'node:worker_threads';

if (!workerThreads.isMainThread) {
  const port = workerThreads.parentPort;
  const on = port.on.bind(port);
  port.on = (event, fn) => on(event, event === 'message' ? (m) => { writeSync(1, `### JOB ${JSON.stringify(m?.job)}\n`); return fn(m); } : fn);
  writeSync(1, '### WORKER START\n');
}
