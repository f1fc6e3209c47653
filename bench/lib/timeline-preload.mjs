// A preload (`node --import bench/lib/timeline-preload.mjs …`, inherited by worker threads) that records a
// timeline of a pool run into $PHANTOM_TIMELINE, one JSON line per event: the time on the monotonic clock
// (process.hrtime, the same clock in every thread and in the bench process that spawned this one), the
// thread, and that thread's CPU and run-queue wait from /proc/thread-self/schedstat (nanoseconds).
// Main thread: start, each worker created, each job posted, each message received, exit (with every
// thread's final schedstat, the V8 helper threads included). Worker thread: start (before its imports),
// each job received, each reply posted. It observes only: no output of the run changes.
import { appendFileSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';

const file = process.env.PHANTOM_TIMELINE;
if (file) {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  const sched = () => readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
  const log = (event, extra = {}) => {
    const [cpu, wait] = sched();
    appendFileSync(file, `${JSON.stringify({ t: Number(process.hrtime.bigint()), tid, main: workerThreads.isMainThread, event, cpu, wait, ...extra })}\n`);
  };
  log('start');
  if (workerThreads.isMainThread) {
    const Base = workerThreads.Worker;
    let k = 0;
    workerThreads.Worker = class extends Base {
      constructor(...args) {
        log('worker-new', { worker: k });
        super(...args);
        const worker = k++;
        this.on('message', (m) => log('receive', { worker, id: m?.id, kind: m?.kind }));
        this.on('exit', () => log('worker-exit', { worker }));
      }
      postMessage(m, transfer) {
        log('post', { id: m?.id });
        return super.postMessage(m, transfer);
      }
    };
    syncBuiltinESMExports();
    process.on('exit', () => {
      const threads = [];
      for (const t of readdirSync('/proc/self/task')) {
        try {
          const [cpu, wait] = readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ').map(Number);
          threads.push({ tid: Number(t), comm: readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim(), cpu, wait });
        } catch {}
      }
      log('exit', { threads });
    });
  } else {
    const port = workerThreads.parentPort;
    // wrap the job handler rather than add a listener: a listener attached here, before the worker's
    // imports, would take the jobs posted meanwhile before the handler exists
    const on = port.on.bind(port);
    port.on = (event, fn) => on(event, event === 'message' ? (m) => { log('job', { id: m?.id }); return fn(m); } : fn);
    const post = port.postMessage.bind(port);
    port.postMessage = (m, transfer) => {
      log('reply', { id: m?.id, kind: m?.kind });
      return post(m, transfer);
    };
  }
}
