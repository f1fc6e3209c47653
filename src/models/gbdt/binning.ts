/**
 * Quantile binning (xgboost `hist`, 1.7 SketchContainerImpl::MakeCuts): per feature, the sketch summary of
 * the non-missing float32 values is pruned to min(n, 8·max_bin) and then max_bin+1 entries; entries
 * 1…max_bin−1 become bin upper bounds, plus a sentinel above the maximum. Cells map to bins by upper_bound.
 */
import { prune, sketchColumn, SketchScratch, summaryOfSorted, type Summary } from './quantile-sketch.js';

/** Bin boundaries: feature f's bins end at cutValues[cutPtr[f] … cutPtr[f+1]−1]; bin b holds cut[b−1] ≤ x < cut[b]. */
export interface HistogramCuts {
  cutPtr: Int32Array;
  cutValues: Float32Array;
  /** Below every training value of the feature: the threshold that sends only missing values left. */
  minValues: Float32Array;
}

/** Row-major global slot of every cell: slot = cutPtr[f] + f + bin, and cutPtr[f+1] + f for missing. */
export type BinIndex = Uint16Array | Uint32Array;

const f32 = Math.fround;

/**
 * Compute histogram cuts for every column of float32 row-major values (NaN = missing).
 * @example computeCuts(Float32Array.of(1, 2, 3), 3, 1, 256).cutValues; // [2, 3, 6.00001]
 */
export function computeCuts(values: Float32Array, nRows: number, nCols: number, maxBin: number): HistogramCuts {
  const perColumn = columnCuts(values, nRows, nCols, 0, nCols, maxBin);
  return joinCuts(perColumn.cuts, perColumn.minValues);
}

/**
 * Cuts and minValue of the one column f (what a binning thread computes per claimed column); a thread
 * passes the same `scratch` for all its columns.
 * @example const { cuts, minValue } = oneColumnCuts(x32, nRows, nCols, 3, 256)
 */
export function oneColumnCuts(
  values: Float32Array, nRows: number, nCols: number, f: number, maxBin: number, scratch = new SketchScratch(),
): { cuts: Float32Array; minValue: number } {
  const own = columnCuts(values, nRows, nCols, f, f + 1, maxBin, scratch);
  const cuts = own.cuts[0], minValue = own.minValues[0];
  if (cuts === undefined || minValue === undefined) throw new Error(`oneColumnCuts: no cuts for column ${f} of ${nCols}`);
  return { cuts, minValue };
}

/** Cuts of columns [f0, f1) each on its own (values ascending, the sentinel last), and their minValues. */
export function columnCuts(
  values: Float32Array, nRows: number, nCols: number, f0: number, f1: number, maxBin: number, scratch = new SketchScratch(),
): { cuts: Float32Array[]; minValues: Float32Array } {
  const minValues = new Float32Array(f1 - f0);
  const out: Float32Array[] = [];
  const column = scratch.columnBuffer(nRows);
  for (let f = f0; f < f1; f++) {
    const cuts: number[] = [];
    let n = 0;
    for (let r = 0, i = f; r < nRows; r++, i += nCols) {
      const v = values[i]!;
      if (v === v) column[n++] = v;
    }
    const numCuts = Math.min(n, maxBin * 8);
    const maxNumBins = Math.min(numCuts, maxBin);
    const a = n === 0 ? summaryOfSorted(column.subarray(0, 0)) : finalCuts(sketchColumn(column.subarray(0, n), maxBin, scratch), numCuts, maxNumBins + 1, scratch);
    let minValue: number;
    if (n > 0) {
      const mval = a.value[0]!;
      minValue = f32(f32(mval - Math.abs(mval)) - f32(1e-5));
    } else {
      minValue = f32(1e-5);
    }
    minValues[f - f0] = minValue;
    const required = Math.min(a.size, maxNumBins);
    for (let i = 1; i < required; i++) {
      const c = a.value[i]!;
      if (i === 1 || c > cuts[cuts.length - 1]!) cuts.push(c);
    }
    const top = a.size > 0 ? a.value[a.size - 1]! : minValue;
    cuts.push(f32(top + f32(Math.abs(top) + f32(1e-5))));
    out.push(Float32Array.from(cuts));
  }
  return { cuts: out, minValues };
}

/** The sketch pruned to numCuts, then to maxSize entries (MakeCuts), in the scratch's buffers. */
function finalCuts(sketch: Summary, numCuts: number, maxSize: number, scratch: SketchScratch): Summary {
  const first = prune(sketch, numCuts, scratch.spare(numCuts, sketch));
  return prune(first, maxSize, scratch.spare(maxSize, first));
}

/** Every column's cuts in one HistogramCuts, columns in order. */
export function joinCuts(perColumn: readonly Float32Array[], minValues: Float32Array): HistogramCuts {
  const cutPtr = new Int32Array(perColumn.length + 1);
  for (let f = 0; f < perColumn.length; f++) cutPtr[f + 1] = cutPtr[f]! + perColumn[f]!.length;
  const cutValues = new Float32Array(cutPtr[perColumn.length]!);
  for (let f = 0; f < perColumn.length; f++) cutValues.set(perColumn[f]!, cutPtr[f]!);
  return { cutPtr, cutValues, minValues };
}

/**
 * Whether these cuts need 32-bit slots (more than 65,536 slots: bins plus one missing slot per feature).
 * @example binsAreWide(computeCuts(x32, nRows, nCols, 256), nCols) // false for 40 features
 */
export function binsAreWide(cuts: HistogramCuts, nCols: number): boolean {
  return cuts.cutValues.length + nCols > 65536;
}

/**
 * Makes the array a bin index of `length` slots lives in: 16-bit, or 32-bit when `wide`; `shared` asks for
 * memory helper threads can see. (The booster passes one that puts 16-bit indexes in the kernels'
 * shared memory, histogram-threads.ts arenaBins, so they are made there and never copied.)
 */
export type BinAlloc = (length: number, wide: boolean, shared: boolean) => BinIndex;

/**
 * A BinAlloc giving a new ArrayBuffer, or a SharedArrayBuffer when asked.
 * @example newBinIndex(nRows * nCols, false, true) // a Uint16Array over a SharedArrayBuffer
 */
export const newBinIndex: BinAlloc = (length, wide, shared) => {
  const bytes = (wide ? 4 : 2) * length;
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return wide ? new Uint32Array(buffer) : new Uint16Array(buffer);
};

/**
 * Map every cell to its global histogram slot (upper_bound over the feature's cuts; values at or above
 * the sentinel land in the last bin, as in xgboost's SearchBin); `alloc` makes the index.
 * @example binMatrix(values, nRows, nCols, cuts)
 */
export function binMatrix(values: Float32Array, nRows: number, nCols: number, cuts: HistogramCuts, alloc: BinAlloc = newBinIndex): BinIndex {
  const out = alloc(nRows * nCols, binsAreWide(cuts, nCols), false);
  binColumns(values, nRows, nCols, cuts, 0, nCols, out);
  return out;
}

/** binMatrix for columns [f0, f1) only, into `out` (threads binning disjoint columns write disjoint cells). */
export function binColumns(values: Float32Array, nRows: number, nCols: number, cuts: HistogramCuts, f0: number, f1: number, out: BinIndex): void {
  const { cutPtr, cutValues } = cuts;
  for (let f = f0; f < f1; f++) {
    const beg = cutPtr[f]!, end = cutPtr[f + 1]!, offset = f, missing = end + f;
    for (let r = 0, i = f; r < nRows; r++, i += nCols) {
      const v = values[i]!;
      if (v !== v) { out[i] = missing; continue; }
      let lo = beg, hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cutValues[mid]! <= v) lo = mid + 1; else hi = mid;
      }
      out[i] = (lo === end ? end - 1 : lo) + offset;
    }
  }
}

/**
 * The bin slots column-major (out[f·nRows + r] = bins[r·nCols + f]), for reading one feature of many rows;
 * `shared` puts them in a SharedArrayBuffer (for histogram helper threads), `alloc` where it likes.
 * @example transposeBins(bins, nRows, nCols)
 */
export function transposeBins(bins: BinIndex, nRows: number, nCols: number, shared = false, alloc: BinAlloc = newBinIndex): BinIndex {
  const out = alloc(bins.length, bins instanceof Uint32Array, shared);
  for (let r = 0, i = 0; r < nRows; r++) {
    for (let f = 0, o = r; f < nCols; f++, i++, o += nRows) out[o] = bins[i]!;
  }
  return out;
}
