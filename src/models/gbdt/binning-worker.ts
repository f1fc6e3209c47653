/**
 * A binning helper thread (see binning-threads.ts): claims columns from the shared counter and posts their
 * cuts, then — once the caller has joined every column's cuts and sent them — claims columns to bin.
 * Each column it finishes is flagged in the control block (1 cut, 2 binned; −1 failed).
 */
import { workerData, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { binColumns, oneColumnCuts, type BinIndex } from './binning.js';
import { BIN_CTL } from './binning-threads.js';
import { SketchScratch } from './quantile-sketch.js';

interface HelperData { x: SharedArrayBuffer; ctl: SharedArrayBuffer; nRows: number; nCols: number; maxBin: number; port: MessagePort }

const d = workerData as HelperData;
const x = new Float32Array(d.x), ctl = new Int32Array(d.ctl);
const { nRows, nCols, maxBin, port } = d;
let claimed = -1;

function flag(f: number, value: number): void {
  Atomics.store(ctl, BIN_CTL.flags + f, value);
  Atomics.notify(ctl, BIN_CTL.flags + f);
}

try {
  const scratch = new SketchScratch();
  for (let f = Atomics.add(ctl, BIN_CTL.nextCut, 1); f < nCols; f = Atomics.add(ctl, BIN_CTL.nextCut, 1)) {
    claimed = f;
    const { cuts, minValue } = oneColumnCuts(x, nRows, nCols, f, maxBin, scratch);
    port.postMessage({ f, cuts, minValue });
    flag(f, 1);
  }
  claimed = -1;
  while (Atomics.load(ctl, BIN_CTL.phase) === 0) Atomics.wait(ctl, BIN_CTL.phase, 0, 1000);
  const m = Atomics.load(ctl, BIN_CTL.phase) === 1 ? receiveMessageOnPort(port) : undefined;
  if (m !== undefined) {
    const { cutPtr, cutValues, bins: at } = m.message as { cutPtr: Int32Array; cutValues: Float32Array; bins: { buffer: SharedArrayBuffer; offset: number; length: number; wide: boolean } };
    // the index may be a part of a larger shared memory (the kernels' arena)
    const bins: BinIndex = at.wide ? new Uint32Array(at.buffer, at.offset, at.length) : new Uint16Array(at.buffer, at.offset, at.length);
    const cuts = { cutPtr, cutValues, minValues: new Float32Array(0) };
    for (let f = Atomics.add(ctl, BIN_CTL.nextBin, 1); f < nCols; f = Atomics.add(ctl, BIN_CTL.nextBin, 1)) {
      claimed = f;
      binColumns(x, nRows, nCols, cuts, f, f + 1, bins);
      flag(f, 2);
    }
  }
} catch {
  if (claimed >= 0) flag(claimed, -1);
}
port.close();
