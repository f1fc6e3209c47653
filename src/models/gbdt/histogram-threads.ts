/**
 * Histogram building on more than one core: helper threads share the bin index (both layouts), the
 * gradients, the row index and the histogram buffers (SharedArrayBuffer) and each fills a disjoint range of
 * columns of the same rows. Every slot still receives its rows in row order, so the histograms — and the
 * trees — are those of one thread, bit for bit. The trainer hands over a whole depth level at once (one
 * wake-up per level, not per node); it takes the first column range itself and waits on an Atomics word
 * for the helpers (no event loop round trip). A helper that fails has its columns redone by the caller.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { workerScript } from '../../worker-script.js';
import type { BinIndex } from './binning.js';
import { fillHistogram, gatheredRows, gatherRows, type BinLayouts, type GatheredRows } from './histogram.js';

/** Fills the histograms of one level's nodes. */
export interface HistogramBuilder {
  /** Row ids; gradients and hessians of the current round (written by the trainer before each tree). */
  readonly rows: Int32Array;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  /** Threads that fill histograms: the caller plus the helpers that started. */
  readonly threads: number;
  /** Allocates histogram buffers the helpers can see. */
  allocate(size: number): Float64Array;
  /** hists[j] ← the histogram of rows[begins[j], ends[j]) for j < count; each hists[j] starts zeroed. */
  buildLevel(begins: Int32Array, ends: Int32Array, hists: readonly Float64Array[], count: number): void;
  /** Ends the helper threads (idempotent). */
  close(): void;
}

/** Below this many cells (rows × columns) in a level, the calling thread builds it alone: waking a helper costs more. */
const MIN_SHARED_CELLS = 64 * 1024;
/** How long the trainer waits for a helper before giving up (a helper that hangs never answers). */
const HELPER_TIMEOUT_MS = 120_000;
/** How long a helper may take to start (a loaded machine can take seconds); past it, one thread does the work. */
const HELPER_START_MS = 15_000;
/** Nodes handed over per wake-up (a deeper level goes in several batches). */
export const HIST_JOBS = 1024;

// control words (Int32Array over a SharedArrayBuffer): one block per helper, then the job list (begin, end, hist id)
const SEQ = 0, COUNT = 1, COL_BEGIN = 2, COL_END = 3, DONE = 4, CMD = 5;
export const HIST_BLOCK = 6;
export const HIST_CMD = { build: 1, exit: 2 } as const;
/** DONE values before any command: starting, ready, failed. */
export const HIST_STATE = { starting: -1, ready: 0, failed: -2 } as const;

/** One thread: the calling thread fills every column. */
function serialBuilder(layouts: BinLayouts): HistogramBuilder {
  const { nRows, nCols } = layouts;
  const rows = new Int32Array(nRows), grad = new Float64Array(nRows), hess = new Float64Array(nRows);
  const ws = gatheredRows(nRows);
  return {
    rows, grad, hess, threads: 1,
    allocate: (size) => new Float64Array(size),
    buildLevel: (begins, ends, hists, count) => {
      for (let j = 0; j < count; j++) fillHistogram(layouts, 0, nCols, ws, gatherRows(rows, begins[j]!, ends[j]!, grad, hess, ws), hists[j]!);
    },
    close: () => {},
  };
}

/** Column ranges for `parts` threads, on multiples of four (the accumulation loops' step) where possible. */
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
 * `cutPtr` (HistogramCuts.cutPtr) locates each column's slots, to redo a failed helper's columns.
 * @example const hb = histogramBuilder({ bins, binsByColumn, nRows, nCols }, cuts.cutPtr, 2); try { … } finally { hb.close(); }
 */
export function histogramBuilder(layouts: BinLayouts, cutPtr: Int32Array | Uint32Array, threads: number): HistogramBuilder {
  const helpers = Math.min(Math.max(1, Math.floor(threads)), Math.floor(layouts.nCols / 4)) - 1;
  if (helpers < 1) return serialBuilder(layouts);
  try {
    return new SharedBuilder(layouts, cutPtr, helpers);
  } catch {
    return serialBuilder(layouts);
  }
}

/** The same bin index in shared memory (a copy unless it already lives there). */
export function sharedBins(bins: BinIndex): BinIndex {
  if (bins.buffer instanceof SharedArrayBuffer) return bins;
  const out = bins instanceof Uint16Array ? new Uint16Array(new SharedArrayBuffer(bins.byteLength)) : new Uint32Array(new SharedArrayBuffer(bins.byteLength));
  out.set(bins);
  return out;
}

class SharedBuilder implements HistogramBuilder {
  readonly rows: Int32Array;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  private readonly layouts: BinLayouts;
  private readonly ctl: Int32Array;
  private readonly jobs: Int32Array;
  private readonly ws: GatheredRows;
  private readonly workers: Worker[] = [];
  private readonly ports: MessageChannel['port1'][] = [];
  private readonly histIds = new Map<Float64Array, number>();
  private readonly bounds: Int32Array;
  private seq = 0;
  private closed = false;

  get threads(): number {
    return this.closed ? 1 : this.workers.length + 1;
  }

  constructor(layouts: BinLayouts, private readonly cutPtr: Int32Array | Uint32Array, helpers: number) {
    const { nRows, nCols } = layouts;
    const bins = sharedBins(layouts.bins), binsByColumn = sharedBins(layouts.binsByColumn);
    this.layouts = { bins, binsByColumn, nRows, nCols };
    this.rows = new Int32Array(new SharedArrayBuffer(4 * nRows));
    this.grad = new Float64Array(new SharedArrayBuffer(8 * nRows));
    this.hess = new Float64Array(new SharedArrayBuffer(8 * nRows));
    this.ws = gatheredRows(nRows);
    const ctlBuffer = new SharedArrayBuffer(4 * (HIST_BLOCK * helpers + 3 * HIST_JOBS));
    this.ctl = new Int32Array(ctlBuffer, 0, HIST_BLOCK * helpers);
    this.jobs = new Int32Array(ctlBuffer, 4 * HIST_BLOCK * helpers);
    this.bounds = columnRanges(nCols, helpers + 1);
    const script = workerScript(import.meta.url, 'models/gbdt/histogram-worker.js');
    if (!existsSync(fileURLToPath(script))) throw new Error('histogram helper script is not built');
    for (let w = 0; w < helpers; w++) {
      this.ctl[w * HIST_BLOCK + DONE] = HIST_STATE.starting;
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(script, {
        workerData: {
          ctl: ctlBuffer, block: w * HIST_BLOCK, jobsAt: HIST_BLOCK * helpers, bins: bins.buffer, binsByColumn: binsByColumn.buffer,
          binsWide: bins instanceof Uint32Array, rows: this.rows.buffer, grad: this.grad.buffer, hess: this.hess.buffer, nRows, nCols, port: port2,
        },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
    for (let w = 0; w < helpers; w++) {
      if (!this.waitFor(w, (v) => v !== HIST_STATE.starting, HELPER_START_MS) || Atomics.load(this.ctl, w * HIST_BLOCK + DONE) !== HIST_STATE.ready) {
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

  buildLevel(begins: Int32Array, ends: Int32Array, hists: readonly Float64Array[], count: number): void {
    for (let from = 0; from < count; from += HIST_JOBS) this.buildBatch(begins, ends, hists, from, Math.min(count, from + HIST_JOBS));
  }

  private buildBatch(begins: Int32Array, ends: Int32Array, hists: readonly Float64Array[], from: number, to: number): void {
    const { nCols } = this.layouts;
    let cells = 0, registered = true;
    for (let j = from; j < to; j++) {
      cells += (ends[j]! - begins[j]!) * nCols;
      const id = this.histIds.get(hists[j]!);
      if (id === undefined) registered = false;
      else { this.jobs[3 * (j - from)] = begins[j]!; this.jobs[3 * (j - from) + 1] = ends[j]!; this.jobs[3 * (j - from) + 2] = id; }
    }
    if (this.closed || !registered || cells < MIN_SHARED_CELLS) {
      this.fillColumns(begins, ends, hists, from, to, 0, nCols);
      return;
    }
    const seq = ++this.seq;
    for (let w = 0; w < this.workers.length; w++) {
      const b = w * HIST_BLOCK;
      this.ctl[b + COUNT] = to - from;
      this.ctl[b + COL_BEGIN] = this.bounds[w + 1]!; this.ctl[b + COL_END] = this.bounds[w + 2]!;
      this.ctl[b + CMD] = HIST_CMD.build;
      Atomics.store(this.ctl, b + SEQ, seq);
      Atomics.notify(this.ctl, b + SEQ);
    }
    this.fillColumns(begins, ends, hists, from, to, this.bounds[0]!, this.bounds[1]!);
    const failed: number[] = [];
    for (let w = 0; w < this.workers.length; w++) {
      if (!this.waitFor(w, (v) => v === seq || v === HIST_STATE.failed, HELPER_TIMEOUT_MS)) {
        this.close();
        throw new Error('a histogram helper thread stopped answering');
      }
      if (Atomics.load(this.ctl, w * HIST_BLOCK + DONE) !== seq) failed.push(w);
    }
    if (failed.length === 0) return;
    // a helper that failed has stopped: its columns are redone here, and from now on this thread builds alone
    this.close();
    for (const w of failed) {
      const c0 = this.bounds[w + 1]!, c1 = this.bounds[w + 2]!;
      for (let j = from; j < to; j++) hists[j]!.fill(0, 2 * (this.cutPtr[c0]! + c0), 2 * (this.cutPtr[c1]! + c1));
      this.fillColumns(begins, ends, hists, from, to, c0, c1);
    }
  }

  private fillColumns(begins: Int32Array, ends: Int32Array, hists: readonly Float64Array[], from: number, to: number, c0: number, c1: number): void {
    for (let j = from; j < to; j++) {
      const n = gatherRows(this.rows, begins[j]!, ends[j]!, this.grad, this.hess, this.ws);
      fillHistogram(this.layouts, c0, c1, this.ws, n, hists[j]!);
    }
  }

  /** Wait until helper w's DONE word satisfies `ok`; false on timeout. */
  private waitFor(w: number, ok: (v: number) => boolean, timeoutMs: number): boolean {
    const at = w * HIST_BLOCK + DONE, deadline = Date.now() + timeoutMs;
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
      const b = w * HIST_BLOCK;
      this.ctl[b + CMD] = HIST_CMD.exit;
      Atomics.store(this.ctl, b + SEQ, ++this.seq);
      Atomics.notify(this.ctl, b + SEQ);
      this.ports[w]!.close();
    }
  }
}
