/**
 * A histogram helper thread (see histogram-threads.ts): waits on its control block, fills its column
 * range of every histogram of the job list (one depth level), and reports the command's sequence number
 * as done. New histogram buffers arrive as messages, read synchronously before each command.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { BinIndex } from './binning.js';
import { fillHistogram, gatheredRows, gatherRows, type BinLayouts } from './histogram.js';
import { HIST_CMD, HIST_JOBS, HIST_STATE } from './histogram-threads.js';

interface HelperData {
  ctl: SharedArrayBuffer; block: number; jobsAt: number; bins: SharedArrayBuffer; binsByColumn: SharedArrayBuffer; binsWide: boolean;
  rows: SharedArrayBuffer; grad: SharedArrayBuffer; hess: SharedArrayBuffer; nRows: number; nCols: number; port: MessagePort;
}

const d = workerData as HelperData;
const ctl = new Int32Array(d.ctl, 0, d.jobsAt);
const jobs = new Int32Array(d.ctl, 4 * d.jobsAt, 3 * HIST_JOBS);
const b = d.block;
const SEQ = b, COUNT = b + 1, COL_BEGIN = b + 2, COL_END = b + 3, DONE = b + 4, CMD = b + 5;
const binIndex = (buffer: SharedArrayBuffer): BinIndex => (d.binsWide ? new Uint32Array(buffer) : new Uint16Array(buffer));
const layouts: BinLayouts = { bins: binIndex(d.bins), binsByColumn: binIndex(d.binsByColumn), nRows: d.nRows, nCols: d.nCols };
const rows = new Int32Array(d.rows), grad = new Float64Array(d.grad), hess = new Float64Array(d.hess);
const ws = gatheredRows(d.nRows);
const hists: Float64Array[] = [];

function drain(): void {
  for (let m = receiveMessageOnPort(d.port); m !== undefined; m = receiveMessageOnPort(d.port)) {
    const { id, buffer } = m.message as { id: number; buffer: SharedArrayBuffer };
    hists[id] = new Float64Array(buffer);
  }
}

/** The histogram with this id (its buffer's message may be a moment behind the command). */
function histogram(id: number): Float64Array {
  drain();
  for (let spins = 0; hists[id] === undefined && spins < 1000; spins++) drain();
  const hist = hists[id];
  if (hist === undefined) throw new Error(`histogram ${id} was never sent`);
  return hist;
}

Atomics.store(ctl, DONE, HIST_STATE.ready);
Atomics.notify(ctl, DONE);
let seen = 0;
try {
  for (;;) {
    Atomics.wait(ctl, SEQ, seen);
    const seq = Atomics.load(ctl, SEQ);
    if (seq === seen) continue;
    seen = seq;
    if (ctl[CMD] === HIST_CMD.exit) break;
    const count = ctl[COUNT]!, c0 = ctl[COL_BEGIN]!, c1 = ctl[COL_END]!;
    for (let j = 0; j < count; j++) {
      const n = gatherRows(rows, jobs[3 * j]!, jobs[3 * j + 1]!, grad, hess, ws);
      fillHistogram(layouts, c0, c1, ws, n, histogram(jobs[3 * j + 2]!));
    }
    Atomics.store(ctl, DONE, seq);
    Atomics.notify(ctl, DONE);
  }
} catch {
  Atomics.store(ctl, DONE, HIST_STATE.failed);
  Atomics.notify(ctl, DONE);
}
d.port.close();
