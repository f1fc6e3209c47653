// Cuts and bins on several threads (binning-threads.ts): columns are claimed one at a time by whichever
// thread is free, and each column's cuts depend on that column alone — so the cuts and the bin index are
// computeCuts' and binMatrix's bit for bit, for any thread count.
import { describe, expect, it } from 'vitest';
import { binMatrix, computeCuts } from '../../../src/models/gbdt/binning.js';
import { binOnThreads } from '../../../src/models/gbdt/binning-threads.js';
import { toFloat32Values } from '../../../src/models/gbdt/matrix.js';
import { createRng } from '../../../src/stats/rng.js';

/** Normals, a third rounded to quarters (ties), 5 % missing in some columns, one constant and one empty column. */
function matrix(nRows: number, nCols: number): Float32Array {
  const rng = createRng(11);
  const v = new Float32Array(nRows * nCols);
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      const x = c % 3 === 0 ? Math.round(rng.normal() * 4) / 4 : rng.normal() * (1 + c);
      v[r * nCols + c] = c === 4 ? 2.5 : c === 5 ? NaN : c % 4 === 1 && rng.next() < 0.05 ? NaN : x;
    }
  }
  return v;
}

describe('binOnThreads', () => {
  const nRows = 60_000, nCols = 13;
  const v = matrix(nRows, nCols);
  const cuts = computeCuts(v, nRows, nCols, 64);
  const bins = binMatrix(v, nRows, nCols, cuts);

  const expectSame = (got: ReturnType<typeof binOnThreads>): void => {
    expect(Array.from(got.cuts.cutPtr)).toEqual(Array.from(cuts.cutPtr));
    expect(Array.from(got.cuts.cutValues)).toEqual(Array.from(cuts.cutValues));
    expect(Array.from(got.cuts.minValues)).toEqual(Array.from(cuts.minValues));
    expect(got.bins.constructor).toBe(bins.constructor);
    expect(Buffer.from(got.bins.buffer).equals(Buffer.from(bins.buffer))).toBe(true);
  };

  it('gives computeCuts and binMatrix exactly on 1, 2 and 3 threads', () => {
    const one = binOnThreads(v, nRows, nCols, 64, 1, 0);
    expect(one.helperColumns).toBe(0);
    expectSame(one);
    expectSame(binOnThreads(v, nRows, nCols, 64, 2, 0));
    expectSame(binOnThreads(v, nRows, nCols, 64, 3, 0));
  });

  it('lets the helpers take columns (else the test above proves nothing); a late helper only takes fewer', () => {
    // a helper that starts after the caller has claimed every column takes none: on a loaded machine try a few times
    let helperColumns = 0;
    for (let attempt = 0; attempt < 6 && helperColumns === 0; attempt++) {
      const got = binOnThreads(v, nRows, nCols, 64, 2, 0);
      expectSame(got);
      helperColumns = got.helperColumns;
    }
    expect(helperColumns).toBeGreaterThan(0);
  });

  it('bins shared between threads are wide (32-bit) when the slots overflow 16 bits, as binMatrix makes them', () => {
    const wideRows = 4_000, wideCols = 40; // 26 continuous columns × ~4,000 bins > 65,536 slots
    const w = matrix(wideRows, wideCols);
    const ref = computeCuts(w, wideRows, wideCols, 4096);
    expect(ref.cutValues.length + wideCols).toBeGreaterThan(65536);
    const got = binOnThreads(w, wideRows, wideCols, 4096, 2, 0);
    expect(got.bins).toBeInstanceOf(Uint32Array);
    expect(Array.from(got.bins)).toEqual(Array.from(binMatrix(w, wideRows, wideCols, ref)));
    expect(Array.from(got.cuts.cutValues)).toEqual(Array.from(ref.cutValues));
  });

  it('float32 values made in shared memory (for the helpers) round as the plain copy does', () => {
    const values = Float64Array.of(0.1, 1 / 3, 16777217, 1e39, -1e39, NaN, -0, 3.4028235677973366e38, 1e-46);
    const X = { nRows: values.length, nCols: 1, values, featureNames: ['a'] };
    const shared = toFloat32Values(X, false, true);
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(shared.buffer).equals(Buffer.from(toFloat32Values(X, false).buffer))).toBe(true);
    expect(() => toFloat32Values(X, true, true)).toThrow(/row 3/);
  });
});
