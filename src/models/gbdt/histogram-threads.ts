/**
 * Histogram building on more than one core: helper threads share the binned matrix, the gradients, the
 * row index and the histogram buffers (SharedArrayBuffer) and each fills a disjoint range of columns of
 * the same rows. Every slot still receives its rows in row order, so the histograms — and the trees —
 * are those of one thread, bit for bit. Training stays synchronous: the calling thread takes the first
 * column range itself and waits on an Atomics word for the helpers (no event loop round trip per node).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { workerScript } from '../../worker-script.js';
import type { BinIndex } from './binning.js';
import { buildHistogramColumns } from './histogram.js';

/** Fills the histogram of rows[begin, end) (hist starts zeroed). */
export interface HistogramBuilder {
  /** Row ids; gradients and hessians of the current round (written by the trainer before each tree). */
  readonly rows: Int32Array;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  /** Threads that fill histograms: the caller plus the helpers that started. */
  readonly threads: number;
  /** Allocates histogram buffers the helpers can see. */
  allocate(size: number): Float64Array;
  build(begin: number, end: number, hist: Float64Array): void;
  /** Ends the helper threads (idempotent). */
  close(): void;
}

/** Below this many cells (rows × columns) a node is built by the calling thread alone: waking a helper costs more. */
const MIN_SHARED_CELLS = 64 * 1024;
/** How long the trainer waits for a helper before giving up (a helper that died never answers). */
const HELPER_TIMEOUT_MS = 120_000;
/** How long a helper may take to start (a loaded machine can take seconds); past it, one thread does the work. */
const HELPER_START_MS = 15_000;

// control words (Int32Array over a SharedArrayBuffer), one block per helper
const SEQ = 0, BEGIN = 1, END = 2, HIST = 3, COL_BEGIN = 4, COL_END = 5, DONE = 6, CMD = 7;
const BLOCK = 8;
export const HIST_CMD = { build: 1, exit: 2 } as const;
/** DONE values before any command: starting, ready, failed. */
export const HIST_STATE = { starting: -1, ready: 0, failed: -2 } as const;

/** One thread: the calling thread fills every column. */
function serialBuilder(bins: BinIndex, nRows: number, nCols: number): HistogramBuilder {
  const rows = new Int32Array(nRows), grad = new Float64Array(nRows), hess = new Float64Array(nRows);
  return {
    rows, grad, hess, threads: 1,
    allocate: (size) => new Float64Array(size),
    build: (begin, end, hist) => buildHistogramColumns(bins, nCols, 0, nCols, rows, begin, end, grad, hess, hist),
    close: () => {},
  };
}

/** Column ranges for `parts` threads, on multiples of four (the accumulation loop's step) where possible. */
export function columnRanges(nCols: number, parts: number): Int32Array {
  const bounds = new Int32Array(parts + 1);
  for (let p = 1; p < parts; p++) bounds[p] = Math.min(nCols, Math.round((nCols * p) / parts / 4) * 4);
  bounds[parts] = nCols;
  for (let p = 1; p <= parts; p++) if (bounds[p]! < bounds[p - 1]!) bounds[p] = bounds[p - 1]!;
  return bounds;
}

/**
 * A histogram builder on `threads` threads (the caller plus threads − 1 helpers). With one thread, too few
 * columns, or helpers that cannot start, it builds on the calling thread alone — same results either way.
 * @example const hb = histogramBuilder(bins, nRows, nCols, 2); try { … hb.build(0, n, h) … } finally { hb.close(); }
 */
export function histogramBuilder(bins: BinIndex, nRows: number, nCols: number, threads: number): HistogramBuilder {
  const helpers = Math.min(Math.max(1, Math.floor(threads)), Math.floor(nCols / 4)) - 1;
  if (helpers < 1) return serialBuilder(bins, nRows, nCols);
  try {
    return new SharedBuilder(bins, nRows, nCols, helpers);
  } catch {
    return serialBuilder(bins, nRows, nCols);
  }
}

class SharedBuilder implements HistogramBuilder {
  readonly rows: Int32Array;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  private readonly bins: BinIndex;
  private readonly ctl: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly ports: MessageChannel['port1'][] = [];
  private readonly histIds = new Map<Float64Array, number>();
  private readonly bounds: Int32Array;
  private seq = 0;
  private closed = false;

  get threads(): number {
    return this.workers.length + 1;
  }

  constructor(bins: BinIndex, nRows: number, private readonly nCols: number, helpers: number) {
    // bins from binOnThreads already live in shared memory
    const sharedBins = bins.buffer instanceof SharedArrayBuffer ? bins : bins instanceof Uint16Array
      ? new Uint16Array(new SharedArrayBuffer(bins.byteLength)) : new Uint32Array(new SharedArrayBuffer(bins.byteLength));
    if (sharedBins !== bins) sharedBins.set(bins);
    this.bins = sharedBins;
    this.rows = new Int32Array(new SharedArrayBuffer(4 * nRows));
    this.grad = new Float64Array(new SharedArrayBuffer(8 * nRows));
    this.hess = new Float64Array(new SharedArrayBuffer(8 * nRows));
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * BLOCK * helpers));
    this.bounds = columnRanges(nCols, helpers + 1);
    const script = workerScript(import.meta.url, 'models/gbdt/histogram-worker.js');
    if (!existsSync(fileURLToPath(script))) throw new Error('histogram helper script is not built');
    for (let w = 0; w < helpers; w++) {
      this.ctl[w * BLOCK + DONE] = HIST_STATE.starting;
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(script, {
        workerData: { ctl: this.ctl.buffer, block: w * BLOCK, bins: sharedBins.buffer, binsWide: sharedBins instanceof Uint32Array, rows: this.rows.buffer, grad: this.grad.buffer, hess: this.hess.buffer, nCols, port: port2 },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
    for (let w = 0; w < helpers; w++) {
      if (!this.waitFor(w, (v) => v !== HIST_STATE.starting, HELPER_START_MS) || Atomics.load(this.ctl, w * BLOCK + DONE) !== HIST_STATE.ready) {
        this.close();
        throw new Error('histogram helper thread did not start');
      }
    }
  }

  allocate(size: number): Float64Array {
    const hist = new Float64Array(new SharedArrayBuffer(8 * size));
    const id = this.histIds.size;
    this.histIds.set(hist, id);
    for (const port of this.ports) port.postMessage({ id, buffer: hist.buffer });
    return hist;
  }

  build(begin: number, end: number, hist: Float64Array): void {
    const id = this.histIds.get(hist);
    if (this.closed || id === undefined || (end - begin) * this.nCols < MIN_SHARED_CELLS) {
      buildHistogramColumns(this.bins, this.nCols, 0, this.nCols, this.rows, begin, end, this.grad, this.hess, hist);
      return;
    }
    const seq = ++this.seq;
    for (let w = 0; w < this.workers.length; w++) {
      const b = w * BLOCK;
      this.ctl[b + BEGIN] = begin; this.ctl[b + END] = end; this.ctl[b + HIST] = id;
      this.ctl[b + COL_BEGIN] = this.bounds[w + 1]!; this.ctl[b + COL_END] = this.bounds[w + 2]!;
      this.ctl[b + CMD] = HIST_CMD.build;
      Atomics.store(this.ctl, b + SEQ, seq);
      Atomics.notify(this.ctl, b + SEQ);
    }
    buildHistogramColumns(this.bins, this.nCols, this.bounds[0]!, this.bounds[1]!, this.rows, begin, end, this.grad, this.hess, hist);
    for (let w = 0; w < this.workers.length; w++) {
      if (!this.waitFor(w, (v) => v === seq || v === HIST_STATE.failed, HELPER_TIMEOUT_MS) || Atomics.load(this.ctl, w * BLOCK + DONE) !== seq) {
        this.close();
        throw new Error('a histogram helper thread failed or stopped answering');
      }
    }
  }

  /** Wait until helper w's DONE word satisfies `ok`; false on timeout. */
  private waitFor(w: number, ok: (v: number) => boolean, timeoutMs: number): boolean {
    const at = w * BLOCK + DONE, deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = Atomics.load(this.ctl, at);
      if (ok(v)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.ctl, at, v, Math.min(left, 1000));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let w = 0; w < this.workers.length; w++) {
      const b = w * BLOCK;
      this.ctl[b + CMD] = HIST_CMD.exit;
      Atomics.store(this.ctl, b + SEQ, ++this.seq);
      Atomics.notify(this.ctl, b + SEQ);
      this.ports[w]!.close();
    }
  }
}
