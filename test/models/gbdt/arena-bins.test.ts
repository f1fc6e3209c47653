// The bin index made where the WebAssembly kernels read it (histogram-threads.ts arenaBins): the binning
// threads and the transpose write both 16-bit layouts straight into the kernels' shared memory, at an offset
// inside it, and arenaPlacement then uses them as they are instead of copying them (the copy raised the
// trainer's peak memory). The bins must be binMatrix's, whoever binned them.
import { describe, expect, it } from 'vitest';
import { binMatrix, computeCuts, newBinIndex, transposeBins } from '../../../src/models/gbdt/binning.js';
import { binOnThreads } from '../../../src/models/gbdt/binning-threads.js';
import { arenaBins, arenaPlacement } from '../../../src/models/gbdt/histogram-threads.js';
import { createRng } from '../../../src/stats/rng.js';

function matrix(nRows: number, nCols: number): Float32Array {
  const rng = createRng(17);
  return Float32Array.from({ length: nRows * nCols }, (_, i) => (i % nCols === 2 && rng.next() < 0.1 ? NaN : rng.normal() * (1 + (i % nCols))));
}

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('arenaBins', () => {
  const nRows = 40_000, nCols = 12;
  const v = matrix(nRows, nCols);
  const cuts = computeCuts(v, nRows, nCols, 64);
  const bins = binMatrix(v, nRows, nCols, cuts), byColumn = transposeBins(bins, nRows, nCols);

  for (const threads of [1, 2, 3]) {
    it(`bins into the kernels' memory on ${threads} thread(s): binMatrix's bins, used by arenaPlacement without a copy`, () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const place = arenaBins(nRows, nCols);
        const got = binOnThreads(v, nRows, nCols, 64, threads, 0, place.alloc);
        const gotByColumn = transposeBins(got.bins, nRows, nCols, threads > 1, place.alloc);
        const arena = place.arena();
        expect(arena).toBeDefined();
        expect(arena!.has(got.bins, gotByColumn)).toBe(true);
        expect(got.bins.byteOffset).toBeGreaterThan(0); // inside the memory: the helpers must honour the offset
        expect(bytes(got.bins).equals(bytes(bins))).toBe(true);
        expect(bytes(gotByColumn).equals(bytes(byColumn))).toBe(true);
        const placed = arenaPlacement({ bins: got.bins, binsByColumn: gotByColumn, nRows, nCols, arena: arena! });
        expect(placed!.layouts.bins).toBe(got.bins);
        expect(placed!.layouts.binsByColumn).toBe(gotByColumn);
        expect(arena!.has(placed!.node.rows, placed!.node.grad, placed!.node.hess, placed!.scratch.rows)).toBe(true);
      }
    });
  }

  it('gives plain arrays and makes no arena for 32-bit bins, other sizes or kernels "js"; plain layouts are still copied in', () => {
    const place = arenaBins(nRows, nCols);
    expect(place.alloc(nRows * nCols, true, false)).toBeInstanceOf(Uint32Array);
    expect(place.alloc(10, false, true).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(place.arena()).toBeUndefined();
    const js = arenaBins(nRows, nCols, 'js');
    const plain = js.alloc(nRows * nCols, false, false);
    expect(plain.buffer).toBeInstanceOf(ArrayBuffer);
    expect(js.arena()).toBeUndefined();
    const copied = arenaPlacement({ bins, binsByColumn: byColumn, nRows, nCols })!;
    expect(copied.layouts.bins).not.toBe(bins);
    expect(bytes(copied.layouts.bins).equals(bytes(bins))).toBe(true);
    expect(copied.layouts.arena!.has(copied.layouts.bins, copied.layouts.binsByColumn)).toBe(true);
    expect(bytes(newBinIndex(4, false, false))).toHaveLength(8);
  });
});
