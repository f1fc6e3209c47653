/**
 * The bin index column-major in its narrowest form: a feature whose bins and missing code all fit in a byte
 * is stored as uint8 local bins (slot − the feature's first slot), the others as their 16/32-bit global
 * slots. A sparse node's histogram reads one cell per row and column at scattered rows, so halving the
 * bytes halves the cache lines it touches (xgboost's hist index is uint8 for the same reason). The slots,
 * and so the sums, are those of the 16-bit index bit for bit.
 */
import type { BinIndex, HistogramCuts } from './binning.js';

export interface ColumnBins {
  nRows: number;
  /** Local bins of the narrow columns, column-major, the narrow columns in feature order. */
  narrow: Uint8Array;
  /** Global slot of local bin 0 of each narrow column (by its position among the narrow columns). */
  narrowBase: Int32Array;
  /** Global slots of the wide columns, column-major, the wide columns in feature order. */
  wide: BinIndex;
  /** narrowBefore[f]: how many of the features before f are narrow (nCols + 1 entries). */
  narrowBefore: Int32Array;
}

/**
 * The column store of a row-major bin index (`shared`: in SharedArrayBuffers, for helper threads). A column is
 * narrow when every slot it holds is within 255 of the feature's first slot.
 * @example const columns = columnBins(bins, nRows, nCols, cuts)
 */
export function columnBins(bins: BinIndex, nRows: number, nCols: number, cuts: HistogramCuts, shared = false): ColumnBins {
  const first = new Int32Array(nCols), top = new Int32Array(nCols);
  for (let f = 0; f < nCols; f++) first[f] = cuts.cutPtr[f]! + f;
  for (let r = 0, i = 0; r < nRows; r++) {
    for (let f = 0; f < nCols; f++, i++) if (bins[i]! > top[f]!) top[f] = bins[i]!;
  }
  const narrowBefore = new Int32Array(nCols + 1);
  for (let f = 0; f < nCols; f++) narrowBefore[f + 1] = narrowBefore[f]! + (top[f]! - first[f]! <= 255 ? 1 : 0);
  const nNarrow = narrowBefore[nCols]!, nWide = nCols - nNarrow;
  const buf = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const narrow = new Uint8Array(buf(nNarrow * nRows));
  const wide: BinIndex = bins instanceof Uint16Array ? new Uint16Array(buf(2 * nWide * nRows)) : new Uint32Array(buf(4 * nWide * nRows));
  const narrowBase = new Int32Array(nNarrow);
  for (let f = 0; f < nCols; f++) {
    const p = narrowBefore[f]!;
    if (narrowBefore[f + 1]! > p) {
      narrowBase[p] = first[f]!;
      const base = first[f]!;
      for (let r = 0, i = f, o = p * nRows; r < nRows; r++, i += nCols, o++) narrow[o] = bins[i]! - base;
    } else {
      for (let r = 0, i = f, o = (f - p) * nRows; r < nRows; r++, i += nCols, o++) wide[o] = bins[i]!;
    }
  }
  return { nRows, narrow, narrowBase, wide, narrowBefore };
}

/**
 * A column-major index of global slots (binning.ts transposeBins) as a column store with every column wide.
 * @example wideColumns(transposeBins(bins, nRows, nCols), nRows, nCols)
 */
export function wideColumns(byColumn: BinIndex, nRows: number, nCols: number): ColumnBins {
  return { nRows, narrow: new Uint8Array(0), narrowBase: new Int32Array(0), wide: byColumn, narrowBefore: new Int32Array(nCols + 1) };
}
