// Workers started before their data exists (startWorkers): runPool hands them the data as their first message,
// each builds its job function from it once, results are the same as with workerData; surplus workers and
// workers whose data never comes are terminated, and a worker out of jobs is let go without an error.
import { describe, expect, it } from 'vitest';
import { runPool, startWorkers } from '../../src/threads/pool.js';

const script = new URL('./data-worker.mjs', import.meta.url);
type Out = { x: number; scaled: number; inits: number; thread: number };
const jobs = Array.from({ length: 7 }, (_, x) => ({ x }));
const exited = (w: { threadId: number }) => w.threadId === -1;

describe('startWorkers + runPool', () => {
  it('sends the data first, builds each job function once, and gives the workerData results', async () => {
    const started = startWorkers({ script, workers: 2 });
    const ids = started.workers.map((w) => w.threadId);
    const ahead = await runPool<{ x: number }, Out>(jobs, { script, workers: 2, workerData: { scale: 3 }, label: 'test worker', started });
    const plain = await runPool<{ x: number }, Out>(jobs, { script, workers: 2, workerData: { scale: 3 }, label: 'test worker' });
    expect(ahead.map((r) => r.scaled)).toEqual([0, 3, 6, 9, 12, 15, 18]);
    expect(plain.map((r) => r.scaled)).toEqual(ahead.map((r) => r.scaled));
    expect(new Set(ahead.map((r) => r.inits))).toEqual(new Set([1]));
    expect(ahead.every((r) => ids.includes(r.thread))).toBe(true); // on the workers started ahead, none new
    expect(started.workers.every(exited)).toBe(true); // all terminated once the pool is done
  });

  it('terminates started workers the pool does not need, and those whose data never comes', async () => {
    const started = startWorkers({ script, workers: 3 });
    const ids = started.workers.map((w) => w.threadId);
    const out = await runPool<{ x: number }, Out>(jobs.slice(0, 2), { script, workers: 3, workerData: { scale: 1 }, label: 'test worker', started });
    expect(out.map((r) => r.scaled)).toEqual([0, 1]);
    expect(new Set(out.map((r) => r.thread))).toEqual(new Set(ids.slice(0, 2)));
    expect(started.workers.every(exited)).toBe(true);
    const unused = startWorkers({ script, workers: 2 });
    await unused.terminate();
    expect(unused.workers.every(exited)).toBe(true);
  });
});
