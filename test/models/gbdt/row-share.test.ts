// The per-row work split by row ranges (row-share.ts): a node's rows partitioned in 1, 2 or 3 parts and
// joined are the stable partition of the whole range; the margin update and gradients over two halves of
// node order are logisticGradients after adding each leaf's value to its rows' float32 margins.
import { describe, expect, it } from 'vitest';
import { nodeRows } from '../../../src/models/gbdt/histogram.js';
import { logisticGradients } from '../../../src/models/gbdt/logistic.js';
import { joinParts, partitionShare, partStart, updateShare, type PartitionJobs } from '../../../src/models/gbdt/row-share.js';
import { createRng } from '../../../src/stats/rng.js';

describe('row ranges', () => {
  it('partitions a node in 1, 2 and 3 parts into its stable partition, gradient pairs with their rows', () => {
    const rng = createRng(5);
    const nRows = 997, feature = 2, nCols = 4;
    const byColumn = Uint16Array.from({ length: nRows * nCols }, () => rng.int(12)); // slot 11 is the missing slot
    const order = Int32Array.from({ length: nRows }, (_, i) => i).filter((i) => i % 7 !== 3);
    const grad = Float64Array.from({ length: nRows }, () => rng.normal()), hess = Float64Array.from({ length: nRows }, () => rng.next());
    const begin = 13, end = order.length - 29, split = 5, miss = 11;
    for (const defaultLeft of [0, 1]) {
      const goesLeft = (r: number) => { const b = byColumn[feature * nRows + r]!; return b === miss ? defaultLeft === 1 : b <= split; };
      const inRange = Array.from(order.subarray(begin, end));
      const expected = [...order.subarray(0, begin), ...inRange.filter(goesLeft), ...inRange.filter((r) => !goesLeft(r)), ...order.subarray(end)];
      for (const parts of [1, 2, 3]) {
        const node = nodeRows(order.length), scratch = nodeRows(order.length);
        node.rows.set(order);
        order.forEach((r, k) => { node.grad[k] = grad[r]!; node.hess[k] = hess[r]!; });
        const one = (a: number) => Int32Array.of(a);
        const jobs: PartitionJobs = { count: 1, begin: one(begin), end: one(end), feature: one(feature), splitSlot: one(split), missSlot: one(miss), defaultLeft: one(defaultLeft), mid: one(0) };
        const lefts = new Int32Array(parts);
        for (let t = 0; t < parts; t++) { const own = new Int32Array(1); partitionShare(byColumn, nRows, node, scratch, jobs, t, parts, own); lefts[t] = own[0]!; }
        const mid = joinParts(node, scratch, begin, end, lefts, parts);
        expect(Array.from(node.rows)).toEqual(expected);
        expect(mid).toBe(begin + inRange.filter(goesLeft).length);
        expect(Array.from(node.grad)).toEqual(expected.map((r) => grad[r]!));
        expect(Array.from(node.hess)).toEqual(expected.map((r) => hess[r]!));
      }
    }
  });

  it('cuts a range into parts that tile it', () => {
    expect([0, 1, 2, 3].map((t) => partStart(10, 21, t, 3))).toEqual([10, 13, 17, 21]);
  });

  it('updates margins and gradients over two halves of node order as logisticGradients does after the leaves', () => {
    const rng = createRng(8);
    const n = 1001;
    const labels = Uint8Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
    const margins = Float32Array.from({ length: n }, () => rng.normal());
    const rows = Int32Array.from({ length: n }, (_, i) => (i * 389) % n); // a permutation: 389 and 1001 are coprime
    const leafBegin = Int32Array.of(0, 300, 301, 760), leafEnd = Int32Array.of(300, 301, 760, n), leafValue = Float32Array.of(0.125, -0.3, 0.07, -1.5);
    const expectedMargins = margins.slice();
    for (let i = 0; i < 4; i++) for (let k = leafBegin[i]!; k < leafEnd[i]!; k++) expectedMargins[rows[k]!]! += leafValue[i]!;
    const eg = new Float64Array(n), eh = new Float64Array(n);
    logisticGradients(expectedMargins, labels, 2.5, null, eg, eh);
    const state = { margins: margins.slice(), labels, grad: new Float64Array(n), hess: new Float64Array(n), scalePosWeight: 2.5 };
    for (let t = 0; t < 2; t++) updateShare(rows, state, 4, leafBegin, leafEnd, leafValue, partStart(0, n, t, 2), partStart(0, n, t + 1, 2), true);
    expect(Array.from(state.margins)).toEqual(Array.from(expectedMargins));
    expect(Array.from(state.grad)).toEqual(Array.from(eg));
    expect(Array.from(state.hess)).toEqual(Array.from(eh));
    const only = { ...state, margins: margins.slice(), grad: new Float64Array(n) };
    updateShare(rows, only, 4, leafBegin, leafEnd, leafValue, 0, n, false);
    expect(Array.from(only.margins)).toEqual(Array.from(expectedMargins));
    expect(Array.from(only.grad)).toEqual(Array.from(new Float64Array(n))); // gradients untouched
  });
});
