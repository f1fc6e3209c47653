// The worker pool with real worker threads (test/threads/job-worker.mjs over the compiled protocol in
// dist/): results in job order, errors re-thrown as their own class and exit code, crashes and aborts
// reported at once instead of hanging.
import { describe, expect, it } from 'vitest';
import { DataError, GateFailed, PhantomError, UsageError } from '../../src/errors.js';
import { runPool } from '../../src/threads/pool.js';
import { fromWireError, toWireError } from '../../src/threads/wire-error.js';

const script = new URL('./job-worker.mjs', import.meta.url);
type Job = { kind: string; x?: number };
const run = (jobs: Job[], extra: { signal?: AbortSignal; workers?: number } = {}) =>
  runPool<Job, { x: number; square: number }, number>(jobs, { script, workers: extra.workers ?? 2, workerData: { scale: 10 }, label: 'test worker', ...(extra.signal ? { signal: extra.signal } : {}) });
const squares = (n: number): Job[] => Array.from({ length: n }, (_, x) => ({ kind: 'square', x }));

describe('runPool', () => {
  it('runs every job once on the workers and returns results in job order, with progress', async () => {
    const seen: number[] = [], progress: number[] = [];
    const out = await runPool<Job, { x: number; square: number }, number>(squares(9), {
      script, workers: 3, workerData: { scale: 10 }, label: 'test worker', onResult: (_r, i) => seen.push(i), onProgress: (p) => progress.push(p),
    });
    expect(out.map((r) => r.square)).toEqual([0, 10, 40, 90, 160, 250, 360, 490, 640]);
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(progress.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await run(squares(5))).map((r) => r.x)).toEqual([0, 1, 2, 3, 4]); // without onResult too
  });

  it('re-throws a DataError from a worker as a DataError with exit code 3, message intact', async () => {
    const err = await run([...squares(3), { kind: 'data-error', x: 4 }, ...squares(3)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).exitCode).toBe(3);
    expect((err as DataError).message).toBe('sessions.parquet: 4 rows have a negative dwell');
  });

  it('keeps UsageError (exit 2), a system error code, and reports a bug as an internal error with the worker stack', async () => {
    const usage = await run([{ kind: 'usage-error' }]).catch((e: unknown) => e);
    expect(usage).toBeInstanceOf(UsageError);
    expect((usage as UsageError).exitCode).toBe(2);
    const enoent = (await run([{ kind: 'enoent' }]).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(enoent.code).toBe('ENOENT');
    const bug = (await run([...squares(2), { kind: 'type-error' }]).catch((e: unknown) => e)) as Error;
    expect(bug).not.toBeInstanceOf(PhantomError);
    expect(bug.name).toBe('TypeError');
    expect(bug.message).toMatch(/^test worker \(job 3 of 3\): Cannot read properties of null/);
    expect(bug.stack).toContain('job-worker.mjs');
  });

  it('turns a worker that exits or throws outside a job into a clear error, not a hang', async () => {
    const exited = (await run([...squares(1), { kind: 'exit', x: 7 }, ...squares(4)]).catch((e: unknown) => e)) as Error;
    expect(exited.message).toBe('test worker exited with code 7 on job 2 of 6; no result for it');
    const crashed = (await run([{ kind: 'uncaught' }], { workers: 1 }).catch((e: unknown) => e)) as Error;
    expect(crashed.message).toBe('test worker crashed on job 1 of 1: outside any job');
    expect(crashed.name).toBe('RangeError');
  });

  it('an abort terminates busy workers at once and rejects with the reason', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(new Error('stopped by SIGINT')), 300);
    const err = (await run([{ kind: 'spin' }, { kind: 'spin' }, ...squares(5)], { signal: ac.signal }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('stopped by SIGINT');
    expect(Date.now() - t0).toBeLessThan(5_000); // spinning workers would never finish by themselves
    await expect(run(squares(2), { signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
  });
});

describe('wire errors', () => {
  it('rebuild each exit-code class by name, and an unknown subclass by its exit code with its own name', () => {
    for (const E of [UsageError, DataError, GateFailed]) {
      const back = fromWireError(toWireError(new E('m')), 'w');
      expect(back).toBeInstanceOf(E);
      expect(back.message).toBe('m');
    }
    class ConnectAborted extends UsageError {}
    const sub = fromWireError(toWireError(new ConnectAborted('gave up')), 'w') as UsageError;
    expect(sub).toBeInstanceOf(UsageError);
    expect([sub.name, sub.exitCode]).toEqual(['ConnectAborted', 2]);
    const odd = fromWireError(toWireError(new PhantomError('stopped', 130)), 'w') as PhantomError;
    expect([odd.constructor, odd.exitCode]).toEqual([PhantomError, 130]);
  });
});
