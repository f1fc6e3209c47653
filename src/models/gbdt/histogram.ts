/**
 * Gradient histograms: (Σg, Σh) per global bin slot, one Float64Array of interleaved pairs per node.
 * Only the smaller child of a split is built from rows; its sibling is parent − child (the subtraction trick).
 * Every kernel adds a node's rows to each slot in row order, so all of them give the same sums bit for bit —
 * the JavaScript ones here and the WebAssembly ones (hist-kernel.wat) that fillHistogram runs when the
 * layouts carry an arena.
 */
import type { BinIndex } from './binning.js';
import type { KernelArena } from './hist-kernel.js';

/** The bin index in both layouts: row-major (a dense node streams it) and column-major (a sparse node's rows). */
export interface BinLayouts {
  bins: BinIndex;
  binsByColumn: BinIndex;
  nRows: number;
  nCols: number;
  /**
   * The shared WebAssembly memory both indexes live in (hist-kernel.ts): nodes whose rows, pairs and
   * histogram live there too are added by the WebAssembly kernels (fillHistogram).
   */
  arena?: KernelArena;
}

/**
 * The row index in node order with each row's gradient pair beside it (grad[k], hess[k] belong to rows[k]):
 * a node's rows are the range [begin, end), and its histogram reads them front to back. Partitioning a
 * node moves the pairs with the rows, so no thread ever gathers them.
 */
export interface NodeRows {
  rows: Int32Array;
  grad: Float64Array | Float32Array;
  hess: Float64Array | Float32Array;
}

/**
 * NodeRows for n rows (in shared memory when `shared`). With `float32`, the pairs are stored in float32:
 * the trainer's gradients are float32 values (logistic.ts), so they read back exactly, and the partition
 * moves and the histograms read 12 bytes a row instead of 20.
 */
export function nodeRows(n: number, shared = false, float32 = false): NodeRows {
  const buf = (bytes: number) => (shared ? new SharedArrayBuffer(bytes * n) : new ArrayBuffer(bytes * n));
  if (float32) return { rows: new Int32Array(buf(4)), grad: new Float32Array(buf(4)), hess: new Float32Array(buf(4)) };
  return { rows: new Int32Array(buf(4)), grad: new Float64Array(buf(8)), hess: new Float64Array(buf(8)) };
}

/** Share of all rows from which a node reads the row-major index: its rows are then nearly every row, streamed. */
const ROW_MAJOR_SHARE = 0.75;

/**
 * Add the rows [begin, end) of `node` to the slots of columns [colBegin, colEnd) of `hist`; rows with
 * g = h = 0 (left out by subsampling) are skipped. A dense node reads the row-major index; a sparse one
 * reads four columns at a time from the column-major index, where its rows are near each other (a
 * row-major read of a scattered row is a cache miss per row, whatever the column range — two threads
 * splitting the columns would both pay it); a node of under 3 % of the rows reads the row-major index
 * again, a batch of rows touched ahead (accumulateScattered).
 * @example fillHistogram(layouts, 0, nCols, node, 0, nRows, hist)
 */
export function fillHistogram(b: BinLayouts, colBegin: number, colEnd: number, node: NodeRows, begin: number, end: number, hist: Float64Array): void {
  const n = end - begin;
  if (b.arena !== undefined && n >= WASM_MIN_ROWS && inArena(b, node, hist)) {
    const k = b.arena.kernel, { rows, grad, hess } = node;
    if (n >= ROW_MAJOR_SHARE * b.nRows) k.byRow(b.bins.byteOffset, b.nCols, colBegin, colEnd, rows.byteOffset, grad.byteOffset, hess.byteOffset, begin, end, hist.byteOffset);
    else if (n < SCATTERED_SHARE * b.nRows) k.scattered(b.bins.byteOffset, b.nCols, colBegin, colEnd, rows.byteOffset, grad.byteOffset, hess.byteOffset, begin, end, hist.byteOffset);
    else k.byColumn(b.binsByColumn.byteOffset, b.nRows, colBegin, colEnd, rows.byteOffset, grad.byteOffset, hess.byteOffset, begin, end, hist.byteOffset);
    return;
  }
  if (n >= ROW_MAJOR_SHARE * b.nRows) accumulateByRow(b.bins, b.nCols, colBegin, colEnd, node, begin, end, hist);
  else if (n < SCATTERED_SHARE * b.nRows) accumulateScattered(b.bins, b.nCols, colBegin, colEnd, node, begin, end, hist);
  else accumulateByColumn(b.binsByColumn, b.nRows, colBegin, colEnd, node, begin, end, hist);
}

/** Nodes of fewer rows stay with the JavaScript kernels (see docs/perf/wasmhist.md). */
const WASM_MIN_ROWS = 0;

/** Whether the WebAssembly kernels can read the node and write `hist`: all in the arena, 16-bit bins, float32 pairs. */
function inArena(b: BinLayouts, node: NodeRows, hist: Float64Array): boolean {
  return b.bins instanceof Uint16Array && b.binsByColumn instanceof Uint16Array && node.grad instanceof Float32Array && node.hess instanceof Float32Array
    && b.arena!.has(b.bins, b.binsByColumn, node.rows, node.grad, node.hess, hist);
}

/**
 * parentInto[i] ← parentInto[i] − child[i] for i in [from, to) (whole pairs), in the WebAssembly kernel when
 * both live in the arena: the same subtractions either way.
 */
export function subtractRange(arena: KernelArena | undefined, parentInto: Float64Array, child: Float64Array, from: number, to: number): void {
  if (arena?.has(parentInto, child)) { arena.kernel.subtract(parentInto.byteOffset, child.byteOffset, from, to); return; }
  for (let i = from; i < to; i++) parentInto[i]! -= child[i]!;
}

/**
 * Share of all rows below which a node reads the row-major index a batch of rows at a time
 * (accumulateScattered): its rows are so far apart that every cell of the column-major index is a cache miss.
 */
const SCATTERED_SHARE = 0.03;
/** Rows per batch of accumulateScattered. */
const SCATTER_BATCH = 32;
/** Where accumulateScattered leaves the bins it touched ahead (a store the compiler cannot drop). */
const touched = new Int32Array(1);

/**
 * accumulateByRow for a node whose rows are far apart (each row's bins a cache miss): before a batch of rows
 * is added, the next batch's rows are touched in a short loop, so that their misses overlap instead of
 * stalling the long accumulation loop one row at a time (a load that misses blocks retirement: touching one
 * row ahead inside the accumulation loop does not help).
 * @example accumulateScattered(bins, nCols, 0, nCols, node, begin, end, hist)
 */
export function accumulateScattered(bins: BinIndex, nCols: number, colBegin: number, colEnd: number, node: NodeRows, begin: number, end: number, hist: Float64Array): void {
  const rk = node.rows;
  const lastCol = colEnd - colBegin - 1;
  let sink = 0;
  for (let k = begin, stop = Math.min(end, begin + SCATTER_BATCH); k < stop; k++) { const a = rk[k]! * nCols + colBegin; sink |= bins[a]! | bins[a + lastCol]!; }
  for (let k0 = begin; k0 < end; k0 += SCATTER_BATCH) {
    const k1 = Math.min(end, k0 + SCATTER_BATCH);
    for (let k = k1, stop = Math.min(end, k1 + SCATTER_BATCH); k < stop; k++) { const a = rk[k]! * nCols + colBegin; sink |= bins[a]! | bins[a + lastCol]!; }
    accumulateByRow(bins, nCols, colBegin, colEnd, node, k0, k1, hist);
  }
  touched[0] = sink;
}

/** fillHistogram's row-major kernel (exported for the bit-equality test). */
export function accumulateByRow(bins: BinIndex, nCols: number, colBegin: number, colEnd: number, node: NodeRows, begin: number, end: number, hist: Float64Array): void {
  const rk = node.rows, gk = node.grad, hk = node.hess;
  const width4 = (colEnd - colBegin) & ~3;
  for (let k = begin; k < end; k++) {
    const g = gk[k]!, h = hk[k]!;
    if (h === 0 && g === 0) continue;
    const first = rk[k]! * nCols + colBegin, end4 = first + width4, last = first + colEnd - colBegin;
    let i = first;
    for (; i < end4; i += 4) {
      const s0 = bins[i]! << 1, s1 = bins[i + 1]! << 1, s2 = bins[i + 2]! << 1, s3 = bins[i + 3]! << 1;
      hist[s0]! += g; hist[s0 + 1]! += h; hist[s1]! += g; hist[s1 + 1]! += h;
      hist[s2]! += g; hist[s2 + 1]! += h; hist[s3]! += g; hist[s3 + 1]! += h;
    }
    for (; i < last; i++) {
      const s = bins[i]! << 1;
      hist[s]! += g; hist[s + 1]! += h;
    }
  }
}

/** fillHistogram's column-major kernel: four features per pass over the rows (their slots are disjoint). */
export function accumulateByColumn(byColumn: BinIndex, nRows: number, colBegin: number, colEnd: number, node: NodeRows, begin: number, end: number, hist: Float64Array): void {
  const rk = node.rows, gk = node.grad, hk = node.hess;
  let f = colBegin;
  for (; f + 3 < colEnd; f += 4) {
    const o0 = f * nRows, o1 = o0 + nRows, o2 = o1 + nRows, o3 = o2 + nRows;
    for (let k = begin; k < end; k++) {
      const g = gk[k]!, h = hk[k]!;
      if (h === 0 && g === 0) continue;
      const r = rk[k]!;
      const s0 = byColumn[o0 + r]! << 1, s1 = byColumn[o1 + r]! << 1, s2 = byColumn[o2 + r]! << 1, s3 = byColumn[o3 + r]! << 1;
      hist[s0]! += g; hist[s0 + 1]! += h; hist[s1]! += g; hist[s1 + 1]! += h;
      hist[s2]! += g; hist[s2 + 1]! += h; hist[s3]! += g; hist[s3 + 1]! += h;
    }
  }
  for (; f < colEnd; f++) {
    const o = f * nRows;
    for (let k = begin; k < end; k++) {
      const g = gk[k]!, h = hk[k]!;
      if (h === 0 && g === 0) continue;
      const s = byColumn[o + rk[k]!]! << 1;
      hist[s]! += g; hist[s + 1]! += h;
    }
  }
}

/**
 * Accumulate rows[begin, end) into `hist` (which must start zeroed), gradient pairs indexed by row id: the
 * plain form of fillHistogram, which the tests hold it to. Rows with zero gradient and hessian
 * (left out by subsampling) are skipped: they would add nothing.
 * @example buildHistogram(bins, nCols, rows, 0, nRows, grad, hess, hist)
 */
export function buildHistogram(
  bins: BinIndex, nCols: number, rows: Int32Array, begin: number, end: number,
  grad: Float64Array, hess: Float64Array, hist: Float64Array,
): void {
  buildHistogramColumns(bins, nCols, 0, nCols, rows, begin, end, grad, hess, hist);
}

/**
 * The slots of columns [colBegin, colEnd) only. Two threads that take disjoint column ranges of the same
 * rows write disjoint slots, and every slot still receives its rows in row order: the histogram is the
 * one `buildHistogram` makes, bit for bit.
 * @example buildHistogramColumns(bins, nCols, 0, 20, rows, 0, nRows, grad, hess, hist)
 */
export function buildHistogramColumns(
  bins: BinIndex, nCols: number, colBegin: number, colEnd: number, rows: Int32Array, begin: number, end: number,
  grad: Float64Array, hess: Float64Array, hist: Float64Array,
): void {
  const width4 = (colEnd - colBegin) & ~3;
  for (let k = begin; k < end; k++) {
    const r = rows[k]!;
    const g = grad[r]!, h = hess[r]!;
    if (h === 0 && g === 0) continue;
    const base = r * nCols;
    const first = base + colBegin, end4 = first + width4, last = base + colEnd;
    let i = first;
    // four features per step (each slot still receives its rows in row order: the same sums, bit for bit)
    for (; i < end4; i += 4) {
      const s0 = bins[i]! << 1, s1 = bins[i + 1]! << 1, s2 = bins[i + 2]! << 1, s3 = bins[i + 3]! << 1;
      hist[s0]! += g;
      hist[s0 + 1]! += h;
      hist[s1]! += g;
      hist[s1 + 1]! += h;
      hist[s2]! += g;
      hist[s2 + 1]! += h;
      hist[s3]! += g;
      hist[s3 + 1]! += h;
    }
    for (; i < last; i++) {
      const s = bins[i]! << 1;
      hist[s]! += g;
      hist[s + 1]! += h;
    }
  }
}

/** parentInto ← parentInto − child: turns the parent's histogram into the larger sibling's. */
export function subtractHistogram(parentInto: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parentInto.length; i++) parentInto[i]! -= child[i]!;
}

/** Reuses histogram buffers across nodes and trees (a depth-d tree needs at most 2^d live at once). */
export class HistogramPool {
  private readonly free: Float64Array[] = [];
  /** `allocate` makes a new buffer of `size` doubles (shared memory when another thread fills them too). */
  constructor(private readonly size: number, private readonly allocate: (size: number) => Float64Array = (n) => new Float64Array(n)) {}

  /** A zeroed buffer. */
  acquire(): Float64Array {
    const h = this.free.pop();
    if (h === undefined) return this.allocate(this.size);
    h.fill(0);
    return h;
  }

  release(h: Float64Array): void {
    this.free.push(h);
  }
}
