// A histogram helper thread that fails (here: a job names a histogram it was never sent) reports the
// failed state and posts its error on its port, which the trainer then throws with the same exit class
// (histogram-threads.ts helperError, as fold-pool.ts does for cross-validation workers).
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { candidateAt, HIST_BLOCK, HIST_CMD, HIST_JOBS, HIST_STATE, JOB_INTS, type HelperFailure } from '../../../src/models/gbdt/histogram-threads.js';
import { workerScript } from '../../../src/worker-script.js';

describe('histogram helper failure', () => {
  it('reports the failed state and posts the error message with its exit class', async () => {
    const nRows = 8, nCols = 4;
    const jobsAt = HIST_BLOCK, featuresAt = jobsAt + JOB_INTS * HIST_JOBS;
    const ctlBuffer = new SharedArrayBuffer(4 * (featuresAt + 1 + nCols));
    const ctl = new Int32Array(ctlBuffer);
    const sab = (bytes: number) => new SharedArrayBuffer(bytes);
    const { port1, port2 } = new MessageChannel();
    ctl[4] = HIST_STATE.starting;
    const worker = new Worker(workerScript(new URL('../../../src/models/gbdt/histogram-threads.ts', import.meta.url).href, 'models/gbdt/histogram-worker.js'), {
      workerData: {
        ctl: ctlBuffer, dbl: sab(8 * candidateAt(2, 0, 0)), block: 0, thread: 1, jobsAt, featuresAt, bins: sab(2 * nRows * nCols), binsByColumn: sab(2 * nRows * nCols),
        binsWide: false, rows: sab(4 * nRows), grad: sab(8 * nRows), hess: sab(8 * nRows), nRows, nCols, port: port2,
        setup: { cuts: { cutPtr: new Int32Array(nCols + 1), cutValues: new Float32Array(0), minValues: new Float32Array(nCols) }, hasMissing: new Uint8Array(nCols), gain: { lambda: 1, alpha: 0, minChildWeight: 1, maxDeltaStep: 0 } },
      },
      transferList: [port2],
    });
    try {
      const wait = (ok: (v: number) => boolean) => { for (let i = 0; i < 100 && !ok(Atomics.load(ctl, 4)); i++) Atomics.wait(ctl, 4, Atomics.load(ctl, 4), 100); };
      wait((v) => v !== HIST_STATE.starting);
      expect(Atomics.load(ctl, 4)).toBe(HIST_STATE.ready);
      // one job: rows [0, 8) into histogram 5, which was never sent
      ctl[jobsAt] = 0; ctl[jobsAt + 1] = nRows; ctl[jobsAt + 2] = 5; ctl[jobsAt + 3] = -1;
      ctl[1] = 1; ctl[2] = 0; ctl[3] = nCols; ctl[5] = HIST_CMD.build;
      Atomics.store(ctl, 0, 1);
      Atomics.notify(ctl, 0);
      wait((v) => v === HIST_STATE.failed || v === 1);
      expect(Atomics.load(ctl, 4)).toBe(HIST_STATE.failed);
      const failure = receiveMessageOnPort(port1)?.message as HelperFailure;
      expect(failure.message).toBe('histogram 5 was never sent');
      expect(failure.exitCode).toBeNull(); // not a PhantomError: the trainer throws it as an internal error
    } finally {
      port1.close();
      await worker.terminate();
    }
  });
});
