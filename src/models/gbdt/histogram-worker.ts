/**
 * A histogram helper thread (see histogram-threads.ts): waits on its control block, fills its column
 * range of the named histogram for rows[begin, end), and reports the command's sequence number as done.
 * New histogram buffers arrive as messages, read synchronously before each command.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { BinIndex } from './binning.js';
import { buildHistogramColumns } from './histogram.js';
import { HIST_CMD, HIST_STATE } from './histogram-threads.js';

interface HelperData {
  ctl: SharedArrayBuffer; block: number; bins: SharedArrayBuffer; binsWide: boolean;
  rows: SharedArrayBuffer; grad: SharedArrayBuffer; hess: SharedArrayBuffer; nCols: number; port: MessagePort;
}

const d = workerData as HelperData;
const ctl = new Int32Array(d.ctl);
const b = d.block;
const SEQ = b, BEGIN = b + 1, END = b + 2, HIST = b + 3, COL_BEGIN = b + 4, COL_END = b + 5, DONE = b + 6, CMD = b + 7;
const bins: BinIndex = d.binsWide ? new Uint32Array(d.bins) : new Uint16Array(d.bins);
const rows = new Int32Array(d.rows), grad = new Float64Array(d.grad), hess = new Float64Array(d.hess);
const hists: Float64Array[] = [];

function drain(): void {
  for (let m = receiveMessageOnPort(d.port); m !== undefined; m = receiveMessageOnPort(d.port)) {
    const { id, buffer } = m.message as { id: number; buffer: SharedArrayBuffer };
    hists[id] = new Float64Array(buffer);
  }
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
    const id = ctl[HIST]!;
    drain();
    for (let spins = 0; hists[id] === undefined && spins < 1000; spins++) drain();
    const hist = hists[id];
    if (hist === undefined) throw new Error(`histogram ${id} was never sent`);
    buildHistogramColumns(bins, d.nCols, ctl[COL_BEGIN]!, ctl[COL_END]!, rows, ctl[BEGIN]!, ctl[END]!, grad, hess, hist);
    Atomics.store(ctl, DONE, seq);
    Atomics.notify(ctl, DONE);
  }
} catch {
  Atomics.store(ctl, DONE, HIST_STATE.failed);
  Atomics.notify(ctl, DONE);
}
d.port.close();
