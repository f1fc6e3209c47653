import { describe, expect, it } from 'vitest';
import { fitRegressionTree } from '../../../src/models/cart/fit.js';
import { predictTree } from '../../../src/models/cart/predict.js';
import type { DenseMatrix } from '../../../src/models/cart/types.js';
import { createRng } from '../../../src/stats/rng.js';

function oneColumn(xs: number[], name = 'x'): DenseMatrix {
  return { nRows: xs.length, nCols: 1, values: Float64Array.from(xs), featureNames: [name] };
}

describe('missing values', () => {
  // x in 1..8, y jumps above x = 4.5; the missing rows carry either the low or the high target.
  const xs = [1, 2, 3, 4, 5, 6, 7, 8, NaN, NaN];
  it('learns to send missing rows to the side whose target they resemble', () => {
    const high = fitRegressionTree(oneColumn(xs), Float64Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]), { maxDepth: 1 });
    expect(high.threshold[0]).toBe(4.5);
    expect(high.defaultLeft[0]).toBe(0);
    expect(high.nSamples[high.right[0]!]).toBe(6);
    const low = fitRegressionTree(oneColumn(xs), Float64Array.from([0, 0, 0, 0, 1, 1, 1, 1, 0, 0]), { maxDepth: 1 });
    expect(low.defaultLeft[0]).toBe(1);
    expect(Array.from(predictTree(low, oneColumn([NaN, 4, 5])))).toEqual([0, 0, 1]);
  });

  it('with no missing rows at a node, NaN follows the child with more training rows', () => {
    const y = Float64Array.from([0, 0, 1, 1, 1, 1, 1, 1]);
    const tree = fitRegressionTree(oneColumn([1, 2, 3, 4, 5, 6, 7, 8]), y, { maxDepth: 1 });
    expect(tree.threshold[0]).toBe(2.5);
    expect(tree.defaultLeft[0]).toBe(0); // right child has 6 rows
    expect(predictTree(tree, oneColumn([NaN]))[0]).toBe(1);
    const mirrored = fitRegressionTree(oneColumn([1, 2, 3, 4, 5, 6, 7, 8]), y.slice().reverse(), { maxDepth: 1 });
    expect(mirrored.defaultLeft[0]).toBe(1);
  });

  it('missing rows count toward minSamplesLeaf on the side they are sent to', () => {
    const y = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 5, 5, 5]);
    const tree = fitRegressionTree(oneColumn([1, 2, 3, 4, 5, 6, 7, 8, NaN, NaN]), y, { maxDepth: 1, minSamplesLeaf: 3 });
    expect(tree.threshold[0]).toBe(7.5); // {8} alone is too small; {8, NaN, NaN} is allowed
    expect(tree.defaultLeft[0]).toBe(0);
  });

  it('a feature that is entirely missing is never chosen', () => {
    const X: DenseMatrix = { nRows: 6, nCols: 2, values: Float64Array.from([NaN, 1, NaN, 2, NaN, 3, NaN, 4, NaN, 5, NaN, 6]),
      featureNames: ['gone', 'x'] };
    const tree = fitRegressionTree(X, Float64Array.from([0, 0, 0, 1, 1, 1]), { maxDepth: 1 });
    expect(tree.feature[0]).toBe(1);
  });
});

describe('tie-breaking', () => {
  // Two identical columns: every split on one has a twin of exactly equal gain on the other.
  const n = 40;
  const base = Array.from({ length: n }, (_, i) => i);
  const X: DenseMatrix = { nRows: n, nCols: 2, values: Float64Array.from(base.flatMap((v) => [v, v])), featureNames: ['a', 'b'] };
  const y = Float64Array.from(base, (v) => (v < 13 ? 0 : v < 30 ? 2 : 1));

  it('without an RNG, the lowest feature index wins', () => {
    expect(fitRegressionTree(X, y, { maxDepth: 2 }).feature[0]).toBe(0);
  });
  it('with an RNG, the seed decides, reproducibly', () => {
    const roots = Array.from({ length: 24 }, (_, s) => fitRegressionTree(X, y, { maxDepth: 1 }, { rng: createRng(s) }).feature[0]);
    expect(new Set(roots)).toEqual(new Set([0, 1]));
    const again = Array.from({ length: 24 }, (_, s) => fitRegressionTree(X, y, { maxDepth: 1 }, { rng: createRng(s) }).feature[0]);
    expect(again).toEqual(roots);
  });
  it('within a feature, the lowest of equally good thresholds wins', () => {
    const tree = fitRegressionTree(oneColumn([1, 2, 3, 4]), Float64Array.from([0, 1, 1, 0]), { maxDepth: 1 });
    expect(tree.threshold[0]).toBe(1.5);
  });
});
