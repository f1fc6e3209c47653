// The kernels for scattered rows (histogram.ts accumulateScattered: the row-major index read a batch of rows
// ahead) and the branch-free partition (row-share.ts partitionPart): the histogram equals the whole-row
// histogram bit for bit, and the partition is the stable partition, for every split position including
// "only missing values go left" (split slot below the feature's first slot).
import { describe, expect, it } from 'vitest';
import { accumulateScattered, buildHistogram, nodeRows } from '../../../src/models/gbdt/histogram.js';
import { partitionPart } from '../../../src/models/gbdt/row-share.js';
import { createRng } from '../../../src/stats/rng.js';

describe('scattered rows', () => {
  const rng = createRng(23);
  const nRows = 2000, nCols = 9, perFeature = 12; // slot f·12 + 11 is feature f's missing slot
  const bins = Uint16Array.from({ length: nRows * nCols }, (_, i) => (i % nCols) * perFeature + rng.int(perFeature));

  it('accumulateScattered gives the whole-row histogram bit for bit over any column range, rows with g = h = 0 skipped', () => {
    const grad = Float64Array.from({ length: nRows }, (_, i) => (i % 7 === 0 ? 0 : Math.fround(rng.normal())));
    const hess = Float64Array.from({ length: nRows }, (_, i) => (i % 7 === 0 ? 0 : Math.fround(rng.next())));
    for (const stride of [1, 13, 151]) { // rows [5, 5 + stride, …): fewer than one batch of 32 up to many batches
      const rows = Int32Array.from({ length: Math.floor((nRows - 5) / stride) }, (_, k) => 5 + k * stride);
      const node = nodeRows(rows.length, false, true);
      node.rows.set(rows);
      rows.forEach((r, k) => { node.grad[k] = grad[r]!; node.hess[k] = hess[r]!; });
      const whole = new Float64Array(2 * nCols * perFeature), scattered = new Float64Array(whole.length);
      buildHistogram(bins, nCols, rows, 1, rows.length, grad, hess, whole);
      accumulateScattered(bins, nCols, 0, 5, node, 1, rows.length, scattered); // one pass of four, one left over
      accumulateScattered(bins, nCols, 5, nCols, node, 1, rows.length, scattered);
      expect(Array.from(scattered)).toEqual(Array.from(whole));
    }
  });

  it('the branch-free partition is the stable partition for every split slot and default direction', () => {
    const feature = 4, first = feature * perFeature, miss = first + perFeature - 1;
    const column = bins.filter((_, i) => i % nCols === feature); // the feature's column, row-major order = row id
    const order = Int32Array.from({ length: nRows }, (_, i) => (i * 7) % nRows).filter((r) => r % 5 !== 2);
    for (const split of [first - 1, first, first + 6, miss - 1]) {
      for (const defaultLeft of [false, true]) {
        const goesLeft = (r: number) => (column[r] === miss ? defaultLeft : column[r]! <= split);
        const node = nodeRows(order.length, false, true), scratch = nodeRows(order.length, false, true);
        node.rows.set(order);
        order.forEach((r, k) => { node.grad[k] = r; node.hess[k] = -r; });
        const inRange = Array.from(order.subarray(3, order.length - 4));
        const lefts = partitionPart(column, 0, node, scratch, 3, order.length - 4, split, miss, defaultLeft);
        const expectedLeft = inRange.filter(goesLeft), expectedRight = inRange.filter((r) => !goesLeft(r));
        expect(lefts).toBe(expectedLeft.length);
        expect(Array.from(node.rows.subarray(3, 3 + lefts))).toEqual(expectedLeft);
        expect(Array.from(scratch.rows.subarray(3, 3 + expectedRight.length))).toEqual(expectedRight);
        expect(Array.from(node.grad.subarray(3, 3 + lefts))).toEqual(expectedLeft);
        expect(Array.from(scratch.hess.subarray(3, 3 + expectedRight.length))).toEqual(expectedRight.map((r) => -r));
      }
    }
  });
});
