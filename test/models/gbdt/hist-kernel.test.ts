// The WebAssembly histogram kernels (hist-kernel.wat, run from the shared memory of hist-kernel.ts): the
// committed bytes are the assembled text's, and every kernel gives the JavaScript kernel's histogram bit for
// bit — over row strides from neighbours to far apart, column ranges that split the four-column steps, rows
// with g = h = 0 (skipped) or a −0 gradient, and after the memory grew under existing views.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { assembleHistKernel, histKernelModuleText } from '../../../scripts/wasm-assemble.mjs';
import { computeCuts } from '../../../src/models/gbdt/binning.js';
import { trainBooster } from '../../../src/models/gbdt/booster.js';
import { createArena } from '../../../src/models/gbdt/hist-kernel.js';
import { accumulateByColumn, accumulateByRow, accumulateScattered, fillHistogram, nodeRows, subtractRange, type BinLayouts } from '../../../src/models/gbdt/histogram.js';
import { partitionPart } from '../../../src/models/gbdt/row-share.js';
import { toFloat32Values } from '../../../src/models/gbdt/matrix.js';
import { bestSplit } from '../../../src/models/gbdt/split-eval.js';
import { toXgboostJson } from '../../../src/models/gbdt/xgboost-json-write.js';
import { createRng } from '../../../src/stats/rng.js';
import { synthetic } from './fixture.js';

const src = (p: string) => new URL(`../../../src/models/gbdt/${p}`, import.meta.url);

describe('WebAssembly histogram kernels', () => {
  it('hist-kernel-wasm.ts holds exactly the bytes scripts/build-wasm.mjs assembles from hist-kernel.wat', async () => {
    const bytes = await assembleHistKernel(readFileSync(src('hist-kernel.wat'), 'utf8'));
    expect(readFileSync(src('hist-kernel-wasm.ts'), 'utf8')).toBe(histKernelModuleText(bytes));
  });

  const rng = createRng(31);
  const nRows = 3000, nCols = 11, perFeature = 14;
  const plainBins = Uint16Array.from({ length: nRows * nCols }, (_, i) => (i % nCols) * perFeature + rng.int(perFeature));
  const plainByColumn = new Uint16Array(nRows * nCols);
  for (let r = 0; r < nRows; r++) for (let c = 0; c < nCols; c++) plainByColumn[c * nRows + r] = plainBins[r * nCols + c]!;
  const slots = 2 * nCols * perFeature;
  // a small first size, so the histograms allocated below make the memory grow under the index's views
  const arena = createArena(4 * nRows * nCols)!;
  const bins = arena.alloc(Uint16Array, nRows * nCols), byColumn = arena.alloc(Uint16Array, nRows * nCols);
  bins.set(plainBins); byColumn.set(plainByColumn);
  const layouts: BinLayouts = { bins, binsByColumn: byColumn, nRows, nCols, arena };
  const node = { rows: arena.alloc(Int32Array, nRows), grad: arena.alloc(Float32Array, nRows), hess: arena.alloc(Float32Array, nRows) };
  const plain = nodeRows(nRows, false, true);
  const gradOf = (r: number) => (r % 9 === 0 ? 0 : r % 17 === 0 ? -0 : Math.fround(rng.normal() * 1e3 ** rng.int(3)));
  const hessOf = (r: number) => (r % 9 === 0 ? 0 : Math.fround(rng.next() / 3));

  it('needs this runtime to have WebAssembly SIMD and shared memory (Node 20 has both)', () => {
    expect(arena).not.toBeNull();
  });

  for (const stride of [1, 13, 151]) {
    it(`byRow, scattered and byColumn equal the JavaScript kernels bit for bit: rows ${stride} apart, split column ranges`, () => {
      const rows = Int32Array.from({ length: Math.floor((nRows - 5) / stride) }, (_, k) => 5 + ((k * stride * 7) % (nRows - 5)));
      node.rows.set(rows); plain.rows.set(rows);
      rows.forEach((r, k) => { node.grad[k] = plain.grad[k] = gradOf(r); node.hess[k] = plain.hess[k] = hessOf(r); });
      const begin = 1, end = rows.length;
      const pairs = (): [Float64Array, Float64Array] => [arena.alloc(Float64Array, slots), new Float64Array(slots)];
      const k = arena.kernel;
      const args = (h: Float64Array, c0: number, c1: number, ix: Uint16Array, n: number) =>
        [ix.byteOffset, n, c0, c1, node.rows.byteOffset, node.grad.byteOffset, node.hess.byteOffset, begin, end, h.byteOffset] as const;
      for (const [c0, c1] of [[0, nCols], [0, 5], [5, nCols], [3, 4], [6, 6]] as const) {
        const [wRow, jRow] = pairs(), [wScat, jScat] = pairs(), [wCol, jCol] = pairs();
        k.byRow(...args(wRow, c0, c1, bins, nCols));
        accumulateByRow(plainBins, nCols, c0, c1, plain, begin, end, jRow);
        k.scattered(...args(wScat, c0, c1, bins, nCols));
        accumulateScattered(plainBins, nCols, c0, c1, plain, begin, end, jScat);
        k.byColumn(...args(wCol, c0, c1, byColumn, nRows));
        accumulateByColumn(plainByColumn, nRows, c0, c1, plain, begin, end, jCol);
        expect(Array.from(wRow)).toEqual(Array.from(jRow));
        expect(Array.from(wScat)).toEqual(Array.from(jScat));
        expect(Array.from(wCol)).toEqual(Array.from(jCol));
        if (c1 - c0 === nCols) expect(jRow.some((v) => v !== 0)).toBe(true);
      }
      // fillHistogram picks a kernel by node size; with the arena it runs the WebAssembly one
      const [wFill, jFill] = pairs();
      fillHistogram(layouts, 0, nCols, node, begin, end, wFill);
      fillHistogram({ bins: plainBins, binsByColumn: plainByColumn, nRows, nCols }, 0, nCols, plain, begin, end, jFill);
      expect(Array.from(wFill)).toEqual(Array.from(jFill));
      // the sibling by subtraction, on a range of whole pairs
      const [wParent, jParent] = pairs();
      wParent.set(wFill.map((v, i) => v * 3 + i)); jParent.set(wParent);
      subtractRange(arena, wParent, wFill, 2 * perFeature, slots - 2 * perFeature);
      subtractRange(undefined, jParent, jFill, 2 * perFeature, slots - 2 * perFeature);
      expect(Array.from(wParent)).toEqual(Array.from(jParent));
    });
  }

  it('the WebAssembly partition moves the rows and pairs as partitionPart does, for every split slot and default direction', () => {
    const feature = 7, first = feature * perFeature, miss = first + perFeature - 1;
    const order = Int32Array.from({ length: nRows }, (_, i) => (i * 11) % nRows).filter((r) => r % 4 !== 1);
    const sa = { rows: arena.alloc(Int32Array, nRows), grad: arena.alloc(Float32Array, nRows), hess: arena.alloc(Float32Array, nRows) };
    const sj = nodeRows(nRows, false, true);
    for (const split of [first - 1, first, first + 5, miss - 1]) {
      for (const defaultLeft of [false, true]) {
        node.rows.set(order); plain.rows.set(order);
        order.forEach((r, k) => { node.grad[k] = plain.grad[k] = gradOf(r); node.hess[k] = plain.hess[k] = hessOf(r); });
        const b = 3, e = order.length - 4;
        const lw = partitionPart(byColumn, feature * nRows, node, sa, b, e, split, miss, defaultLeft, arena);
        const lj = partitionPart(plainByColumn, feature * nRows, plain, sj, b, e, split, miss, defaultLeft);
        expect(lw).toBe(lj);
        for (const [w, j] of [[node.rows, plain.rows], [node.grad, plain.grad], [node.hess, plain.hess]] as const) {
          expect(Array.from(w.subarray(b, b + lj))).toEqual(Array.from(j.subarray(b, b + lj)));
        }
        for (const [w, j] of [[sa.rows, sj.rows], [sa.grad, sj.grad], [sa.hess, sj.hess]] as const) {
          expect(Array.from(w.subarray(b, e - lj))).toEqual(Array.from(j.subarray(b, e - lj)));
        }
      }
    }
  });

  it('bestSplit with the WebAssembly scan finds the JavaScript scan\'s split, loss and sums, over missing values, min_child_weight and λ', () => {
    // feature f has perFeature − 1 bins (slots f·perFeature …) and its missing slot last, as the trainer's histograms
    const cuts = {
      cutPtr: Int32Array.from({ length: nCols + 1 }, (_, f) => f * (perFeature - 1)),
      cutValues: Float32Array.from({ length: nCols * (perFeature - 1) }, (_, i) => i / 4),
      minValues: new Float32Array(nCols).fill(-1),
    };
    const hasMissing = Uint8Array.from({ length: nCols }, (_, f) => (f % 3 === 0 ? 1 : 0));
    const features = Int32Array.from([0, 1, 3, 4, 6, 9, 10]);
    let found = 0, missingLeft = 0;
    for (let trial = 0; trial < 60; trial++) {
      const w = arena.alloc(Float64Array, slots);
      for (let i = 0; i < slots; i += 2) {
        const empty = rng.next() < 0.2;
        w[i] = empty ? 0 : Math.fround(rng.normal()) * (1 + (trial % 4)); w[i + 1] = empty ? 0 : Math.fround(rng.next()) * (trial % 5);
      }
      const j = Float64Array.from(w);
      let G = 0, H = 0;
      for (let i = 0; i < 2 * perFeature; i += 2) { G += w[i]!; H += w[i + 1]!; }
      const p = { lambda: trial % 3 === 0 ? 0 : 1, alpha: 0, minChildWeight: trial % 2, maxDeltaStep: 0 };
      const viaWasm = bestSplit(w, G, H, features, cuts, hasMissing, p, arena), viaJs = bestSplit(j, G, H, features, cuts, hasMissing, p);
      expect(viaWasm).toEqual(viaJs);
      if (viaJs !== null) found++;
      if (viaJs?.defaultLeft === true) missingLeft++;
    }
    expect(found).toBeGreaterThan(30);
    expect(missingLeft).toBeGreaterThan(0); // the backward scan won some
  });

  it('arrays outside the arena take the JavaScript kernels (the arena only accepts its own views)', () => {
    expect(arena.has(bins, node.grad)).toBe(true);
    expect(arena.has(bins, plain.grad)).toBe(false);
    expect(arena.memory.buffer.byteLength).toBeGreaterThan(4 * nRows * nCols + 65536); // it grew
  });
});

describe('trainBooster with and without the WebAssembly kernels', () => {
  // 6,000 rows × 12 features, subsampled rows (g = h = 0) and features: the root, the shared levels and the
  // small nodes all run; 32-bit bins (4,000 bins in each of 20 continuous columns > 65,536 slots) keep the
  // JavaScript kernels, and must run on two threads through the helper's plain shared buffers
  const { X, y } = synthetic(6_000, 12, 5, 0.05);
  const params = { n_estimators: 8, max_depth: 5, eta: 0.3, subsample: 0.8, colsample_bytree: 0.75, max_bin: 64 };
  const fit = (threads: number, kernels: 'auto' | 'js', p: Record<string, number> = params, data = X) =>
    toXgboostJson(trainBooster(data, y, p, { rng: createRng(3), threads, kernels }).model, null);

  it('gives the JavaScript kernels\' model file on 1 and 2 threads', () => {
    const js = fit(1, 'js');
    expect(fit(1, 'auto')).toBe(js);
    expect(fit(2, 'auto')).toBe(js);
    expect(fit(2, 'js')).toBe(js);
  });

  it('the memory grows while the helper works in it (deep trees, many histograms): the same model file', () => {
    const deep = { n_estimators: 2, max_depth: 9, eta: 0.3, min_child_weight: 0, max_bin: 256 };
    const grow = vi.spyOn(WebAssembly.Memory.prototype, 'grow');
    try {
      const two = fit(2, 'auto', deep);
      expect(grow).toHaveBeenCalled();
      expect(two).toBe(fit(1, 'js', deep));
    } finally {
      grow.mockRestore();
    }
  });

  it('falls back to the JavaScript kernels for 32-bit bins, on two threads as on one', () => {
    const rng = createRng(8), nCols = 20;
    const values = Float64Array.from({ length: 6_000 * nCols }, () => rng.normal());
    const wide = { nRows: 6_000, nCols, values, featureNames: Array.from({ length: nCols }, (_, j) => `w${j}`) };
    const p = { n_estimators: 3, max_depth: 4, eta: 0.3, max_bin: 4096 };
    expect(computeCuts(toFloat32Values(wide, true), 6_000, nCols, 4096).cutValues.length + nCols).toBeGreaterThan(65_536);
    expect(fit(2, 'auto', p, wide)).toBe(fit(1, 'js', p, wide));
  });
});
