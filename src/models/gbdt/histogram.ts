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
  for (let k = begin; k < end; k++) {
    const r = rows[k]!;
    const g = grad[r]!, h = hess[r]!;
    if (h === 0 && g === 0) continue;
    const base = r * nCols;
    for (let f = 0; f < nCols; f++) {
      const s = bins[base + f]! << 1;
      hist[s] += g;
      hist[s + 1] += h;
    }
  }
}

/** parentInto ← parentInto − child: turns the parent's histogram into the larger sibling's. */
export function subtractHistogram(parentInto: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parentInto.length; i++) parentInto[i] -= child[i]!;
}

/** Reuses histogram buffers across nodes and trees (a depth-d tree needs at most 2^d live at once). */
export class HistogramPool {
  private readonly free: Float64Array[] = [];
  constructor(private readonly size: number) {}

  /** A zeroed buffer. */
  acquire(): Float64Array {
    const h = this.free.pop();
    if (h === undefined) return new Float64Array(this.size);
    h.fill(0);
    return h;
  }

  release(h: Float64Array): void {
    this.free.push(h);
  }
}
