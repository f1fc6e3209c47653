/**
 * Gradient histograms: (Σg, Σh) per global bin slot, one Float64Array of interleaved pairs per node.
 * Only the smaller child of a split is built from rows; its sibling is parent − child (the subtraction trick).
 */
import type { BinIndex } from './binning.js';

/**
 * Accumulate rows[begin, end) into `hist` (which must start zeroed). Rows with zero gradient and hessian
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
