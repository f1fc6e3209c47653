/**
 * Quantile cuts and the bin index on more than one core: helper threads and the calling thread take columns
 * one at a time from a shared counter (Atomics.add), first for the sketch, then for binning. A column's cuts
 * depend on that column alone, so they — and the bins — are those of computeCuts/binMatrix bit for bit,
 * whoever computed them. The caller never waits for a helper to start: a helper that is late takes fewer
 * columns (none at all if it is later than the work), and one that fails or stops answering has its columns
 * redone by the caller.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { workerScript } from '../../worker-script.js';
import { SketchScratch } from './quantile-sketch.js';
import { binColumns, binMatrix, binsAreWide, computeCuts, joinCuts, newBinIndex, oneColumnCuts, type BinAlloc, type BinIndex, type HistogramCuts } from './binning.js';

/** Below this many cells one thread bins alone: starting a helper costs more. */
const MIN_SHARED_CELLS = 1 << 20;
/** How long the caller waits for a column a helper claimed before computing it itself. */
const HELPER_TIMEOUT_MS = 60_000;

// control words: the two column counters, the phase (0 sketch, 1 bin, 2 done), then per-column done flags
export const BIN_CTL = { nextCut: 0, nextBin: 1, phase: 2, flags: 3 } as const;

/** Cuts and bin index of float32 row-major values; the bins live in shared memory when helpers ran. */
export interface Binned {
  cuts: HistogramCuts;
  bins: BinIndex;
  /** Columns whose cuts a helper computed (0 on one thread; tells a test the helpers took part). */
  helperColumns: number;
}

/**
 * computeCuts + binMatrix on `threads` threads (the caller plus threads − 1 helpers); the same result for any
 * number. Below `minCells` cells one thread does it all. `alloc` makes the bin index (asked for shared
 * memory when helpers bin into it).
 * @example const { cuts, bins } = binOnThreads(x32, nRows, nCols, 256, 2);
 */
export function binOnThreads(
  values: Float32Array, nRows: number, nCols: number, maxBin: number, threads: number, minCells = MIN_SHARED_CELLS, alloc: BinAlloc = newBinIndex,
): Binned {
  const helpers = Math.min(Math.max(1, Math.floor(threads)), nCols) - 1;
  const script = workerScript(import.meta.url, 'models/gbdt/binning-worker.js');
  if (helpers < 1 || nRows * nCols < minCells || !existsSync(fileURLToPath(script))) {
    const cuts = computeCuts(values, nRows, nCols, maxBin);
    return { cuts, bins: binMatrix(values, nRows, nCols, cuts, alloc), helperColumns: 0 };
  }
  const x = values.buffer instanceof SharedArrayBuffer ? values : new Float32Array(new SharedArrayBuffer(values.byteLength));
  if (x !== values) x.set(values);
  // flags[f] = 1 once a helper posted column f's cuts, 2 once it binned column f
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (BIN_CTL.flags + nCols)));
  const workers: Worker[] = [], ports: MessagePort[] = [];
  try {
    for (let w = 0; w < helpers; w++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(script, { workerData: { x: x.buffer, ctl: ctl.buffer, nRows, nCols, maxBin, port: port2 }, transferList: [port2] });
      worker.unref(); port1.unref();
      workers.push(worker); ports.push(port1);
    }
  } catch {
    // no helper could start: the caller claims every column below
  }
  try {
    const perColumn: (Float32Array | undefined)[] = new Array(nCols);
    const minValues = new Float32Array(nCols);
    let helperColumns = 0;
    const scratch = new SketchScratch();
    for (let f = Atomics.add(ctl, BIN_CTL.nextCut, 1); f < nCols; f = Atomics.add(ctl, BIN_CTL.nextCut, 1)) {
      const own = oneColumnCuts(x, nRows, nCols, f, maxBin, scratch);
      perColumn[f] = own.cuts; minValues[f] = own.minValue;
    }
    const collect = (): void => {
      for (const port of ports) {
        for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
          const { f, cuts, minValue } = m.message as { f: number; cuts: Float32Array; minValue: number };
          perColumn[f] = cuts; minValues[f] = minValue; helperColumns++;
        }
      }
    };
    for (let f = 0; f < nCols; f++) {
      if (perColumn[f] !== undefined) continue;
      if (waitForFlag(ctl, BIN_CTL.flags + f, 1)) collect();
      if (perColumn[f] === undefined) {
        const own = oneColumnCuts(x, nRows, nCols, f, maxBin, scratch); // the helper failed: same cuts, computed here
        perColumn[f] = own.cuts; minValues[f] = own.minValue;
      }
    }
    const cuts = joinCuts(perColumn as Float32Array[], minValues);
    const bins = alloc(nRows * nCols, binsAreWide(cuts, nCols), true);
    const at = { buffer: bins.buffer, offset: bins.byteOffset, length: bins.length, wide: bins instanceof Uint32Array };
    for (const port of ports) port.postMessage({ cutPtr: cuts.cutPtr, cutValues: cuts.cutValues, bins: at });
    Atomics.store(ctl, BIN_CTL.phase, 1);
    Atomics.notify(ctl, BIN_CTL.phase);
    const mine = new Uint8Array(nCols);
    for (let f = Atomics.add(ctl, BIN_CTL.nextBin, 1); f < nCols; f = Atomics.add(ctl, BIN_CTL.nextBin, 1)) {
      binColumns(x, nRows, nCols, cuts, f, f + 1, bins);
      mine[f] = 1;
    }
    for (let f = 0; f < nCols; f++) {
      if (mine[f] === 0 && !waitForFlag(ctl, BIN_CTL.flags + f, 2)) binColumns(x, nRows, nCols, cuts, f, f + 1, bins);
    }
    return { cuts, bins, helperColumns };
  } finally {
    Atomics.store(ctl, BIN_CTL.phase, 2);
    Atomics.notify(ctl, BIN_CTL.phase);
    for (const port of ports) port.close();
    for (const worker of workers) void worker.terminate();
  }
}

/** Wait until ctl[at] ≥ value; false on timeout or when the helper reported failure (−1). */
function waitForFlag(ctl: Int32Array, at: number, value: number): boolean {
  const deadline = Date.now() + HELPER_TIMEOUT_MS;
  for (;;) {
    const v = Atomics.load(ctl, at);
    if (v >= value) return true;
    if (v < 0) return false;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(ctl, at, v, Math.min(left, 1000));
  }
}
