// The column store (column-bins.ts) and the kernels that read it: a feature whose bins and missing code fit
// in a byte is stored as uint8 local bins, the others as 16-bit slots; the histograms built from it (and the
// scattered-rows kernel's, from the row-major index) equal the whole-row histogram bit for bit, and a
// partition reading it equals the one reading the 16-bit column-major slots.
import { describe, expect, it } from 'vitest';
import { transposeBins, type HistogramCuts } from '../../../src/models/gbdt/binning.js';
import { columnBins, wideColumns } from '../../../src/models/gbdt/column-bins.js';
import { accumulateColumns, accumulateScattered, buildHistogram, nodeRows } from '../../../src/models/gbdt/histogram.js';
import { joinParts, partitionColumns, partitionShare, type PartitionJobs } from '../../../src/models/gbdt/row-share.js';
import { createRng } from '../../../src/stats/rng.js';

// 7 features: bins per feature and whether it has missing values (slot cutPtr[f+1] + f); feature 2 (256 bins
// and missing: 257 codes) and feature 5 (300 bins) are wide, feature 4 (256 bins, no missing) is narrow
const nb = [10, 255, 256, 3, 256, 300, 40], missing = [true, true, true, false, false, false, true];
const nCols = nb.length, nRows = 3000;
const cutPtr = new Int32Array(nCols + 1);
for (let f = 0; f < nCols; f++) cutPtr[f + 1] = cutPtr[f]! + nb[f]!;
const cuts: HistogramCuts = { cutPtr, cutValues: new Float32Array(cutPtr[nCols]!), minValues: new Float32Array(nCols) };
const slots = cutPtr[nCols]! + nCols;
const rng = createRng(17);
const bins = new Uint16Array(nRows * nCols);
for (let r = 0; r < nRows; r++) {
  for (let f = 0; f < nCols; f++) {
    const miss = missing[f] && rng.next() < 0.1;
    // every bin of the wide features occurs (row r takes bin r mod nb), so their width is decided by the data
    bins[r * nCols + f] = miss ? cutPtr[f + 1]! + f : cutPtr[f]! + f + (f === 2 || f === 5 ? r % nb[f]! : rng.int(nb[f]!));
  }
}

describe('column store', () => {
  const columns = columnBins(bins, nRows, nCols, cuts);

  it('stores the features that fit a byte as uint8 and the others as 16-bit slots', () => {
    expect(Array.from(columns.narrowBefore)).toEqual([0, 1, 2, 2, 3, 4, 4, 5]);
    expect(columns.narrow.length).toBe(5 * nRows);
    expect(columns.wide.length).toBe(2 * nRows);
  });

  it('histograms from it and from scattered rows equal the whole-row histogram bit for bit, rows with g = h = 0 skipped', () => {
    const rows = Int32Array.from({ length: nRows }, (_, i) => i).filter((i) => i % 4 !== 1);
    const grad = Float64Array.from({ length: nRows }, (_, i) => (i % 9 === 0 ? 0 : Math.fround(rng.normal())));
    const hess = Float64Array.from({ length: nRows }, (_, i) => (i % 9 === 0 ? 0 : Math.fround(rng.next())));
    const whole = new Float64Array(2 * slots);
    buildHistogram(bins, nCols, rows, 5, rows.length - 7, grad, hess, whole);
    const node = nodeRows(rows.length, false, true);
    node.rows.set(rows);
    rows.forEach((r, k) => { node.grad[k] = grad[r]!; node.hess[k] = hess[r]!; });
    for (const [c0, c1] of [[0, nCols], [0, 3], [3, nCols], [1, 6]] as const) {
      const fromStore = new Float64Array(2 * slots), scattered = new Float64Array(2 * slots), expected = new Float64Array(2 * slots);
      expected.set(whole.subarray(2 * (cutPtr[c0]! + c0), 2 * (cutPtr[c1]! + c1)), 2 * (cutPtr[c0]! + c0));
      accumulateColumns(columns, c0, c1, node, 5, rows.length - 7, fromStore);
      accumulateScattered(bins, nCols, c0, c1, node, 5, rows.length - 7, scattered);
      expect(Array.from(fromStore)).toEqual(Array.from(expected));
      expect(Array.from(scattered)).toEqual(Array.from(expected));
    }
    const allWide = new Float64Array(2 * slots);
    accumulateColumns(wideColumns(transposeBins(bins, nRows, nCols), nRows, nCols), 0, nCols, node, 5, rows.length - 7, allWide);
    expect(Array.from(allWide)).toEqual(Array.from(whole));
  });

  it('partitions by a narrow or a wide feature as the 16-bit column-major slots do', () => {
    const byColumn = transposeBins(bins, nRows, nCols);
    for (const feature of [0, 2, 4, 5, 6]) {
      for (const defaultLeft of [0, 1]) {
        const one = (a: number) => Int32Array.of(a);
        const splitSlot = cutPtr[feature]! + feature + Math.floor(nb[feature]! / 3);
        const jobs: PartitionJobs = {
          count: 1, begin: one(11), end: one(nRows - 13), feature: one(feature), splitSlot: one(splitSlot),
          missSlot: one(cutPtr[feature + 1]! + feature), defaultLeft: one(defaultLeft), mid: one(0),
        };
        const split = (viaStore: boolean) => {
          const node = nodeRows(nRows, false, true), scratch = nodeRows(nRows, false, true);
          for (let k = 0; k < nRows; k++) { node.rows[k] = k; node.grad[k] = k; node.hess[k] = -k; }
          const lefts = new Int32Array(2);
          for (let t = 0; t < 2; t++) {
            const own = new Int32Array(1);
            if (viaStore) partitionColumns(columns, node, scratch, jobs, t, 2, own);
            else partitionShare(byColumn, nRows, node, scratch, jobs, t, 2, own);
            lefts[t] = own[0]!;
          }
          return { mid: joinParts(node, scratch, 11, nRows - 13, lefts, 2), rows: Array.from(node.rows), grad: Array.from(node.grad) };
        };
        const expected = split(false);
        expect(expected.mid).toBeGreaterThan(11);
        expect(split(true)).toEqual(expected);
      }
    }
  });
});
