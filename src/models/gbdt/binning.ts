/**
 * Quantile binning (xgboost `hist`, 1.7 SketchContainerImpl::MakeCuts): per feature, the sketch summary of
 * the non-missing float32 values is pruned to min(n, 8·max_bin) and then max_bin+1 entries; entries
 * 1…max_bin−1 become bin upper bounds, plus a sentinel above the maximum. Cells map to bins by upper_bound.
 */
import { prune, sketchColumn, summaryOfSorted } from './quantile-sketch.js';

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
  const cutPtr = new Int32Array(nCols + 1);
  const minValues = new Float32Array(nCols);
  const cuts: number[] = [];
  const column = new Float32Array(nRows);
  for (let f = 0; f < nCols; f++) {
    let n = 0;
    for (let r = 0, i = f; r < nRows; r++, i += nCols) {
      const v = values[i]!;
      if (v === v) column[n++] = v;
    }
    const numCuts = Math.min(n, maxBin * 8);
    const maxNumBins = Math.min(numCuts, maxBin);
    const a = n === 0 ? summaryOfSorted(column.subarray(0, 0)) : prune(prune(sketchColumn(column.subarray(0, n), maxBin), numCuts), maxNumBins + 1);
    if (n > 0) {
      const mval = a.value[0]!;
      minValues[f] = f32(f32(mval - Math.abs(mval)) - f32(1e-5));
    } else {
      minValues[f] = f32(1e-5);
    }
    const required = Math.min(a.size, maxNumBins);
    for (let i = 1; i < required; i++) {
      const c = a.value[i]!;
      if (i === 1 || c > cuts[cuts.length - 1]!) cuts.push(c);
    }
    const top = a.size > 0 ? a.value[a.size - 1]! : minValues[f]!;
    cuts.push(f32(top + f32(Math.abs(top) + f32(1e-5))));
    cutPtr[f + 1] = cuts.length;
  }
  return { cutPtr, cutValues: Float32Array.from(cuts), minValues };
}

/**
 * Map every cell to its global histogram slot (upper_bound over the feature's cuts; values at or above
 * the sentinel land in the last bin, as in xgboost's SearchBin).
 * @example binMatrix(values, nRows, nCols, cuts)
 */
export function binMatrix(values: Float32Array, nRows: number, nCols: number, cuts: HistogramCuts): BinIndex {
  const { cutPtr, cutValues } = cuts;
  const totalSlots = cutValues.length + nCols;
  const out: BinIndex = totalSlots <= 65536 ? new Uint16Array(nRows * nCols) : new Uint32Array(nRows * nCols);
  for (let f = 0; f < nCols; f++) {
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
  return out;
}

/**
 * The bin slots column-major (out[f·nRows + r] = bins[r·nCols + f]), for reading one feature of many rows.
 * @example transposeBins(bins, nRows, nCols)
 */
export function transposeBins(bins: BinIndex, nRows: number, nCols: number): BinIndex {
  const out: BinIndex = bins instanceof Uint16Array ? new Uint16Array(bins.length) : new Uint32Array(bins.length);
  for (let r = 0, i = 0; r < nRows; r++) {
    for (let f = 0, o = r; f < nCols; f++, i++, o += nRows) out[o] = bins[i]!;
  }
  return out;
}
