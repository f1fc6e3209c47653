import { describe, expect, it } from 'vitest';
import { fitClassificationTree, fitRegressionTree } from '../../../src/models/cart/fit.js';
import type { CartTree } from '../../../src/models/cart/types.js';
import { createRng } from '../../../src/stats/rng.js';
import { bruteForceTree, giniOf, randomMatrix, smoothTarget, squaredErrorOf, type RefNode } from './data.js';

function expectMatches(tree: CartTree, ref: RefNode[]): void {
  expect(tree.nodeCount).toBe(ref.length);
  ref.forEach((node, i) => {
    expect(tree.feature[i]).toBe(node.feature);
    expect(tree.nSamples[i]).toBe(node.n);
    expect(tree.value[i]).toBeCloseTo(node.value, 10);
    if (node.feature >= 0) {
      expect(tree.threshold[i]).toBe(node.threshold);
      expect(tree.defaultLeft[i] === 1).toBe(node.defaultLeft);
    }
  });
}

// No RNG: features are scanned in index order, so exact ties (pure children) go to the lowest feature, as in the reference.
describe('sorted sweep equals an O(n²) re-partition search', () => {
  for (const [seed, missing] of [[1, 0], [2, 0.15], [3, 0.3], [4, 0.05]] as const) {
    it(`regression, seed ${seed}, ${missing * 100}% missing, weighted`, () => {
      const X = randomMatrix(70, 4, seed, missing);
      const y = smoothTarget(X, seed + 100);
      const rng = createRng(seed);
      const w = Float64Array.from({ length: X.nRows }, () => 0.5 + rng.next());
      const params = { maxDepth: 4, minSamplesLeaf: 3 };
      const tree = fitRegressionTree(X, y, params, { sampleWeight: w });
      const rows = Array.from({ length: X.nRows }, (_, r) => r);
      expectMatches(tree, bruteForceTree(X, rows, squaredErrorOf(y, w), params));
    });
    it(`classification (3 classes), seed ${seed}, ${missing * 100}% missing, weighted`, () => {
      const X = randomMatrix(70, 4, seed + 10, missing);
      const score = smoothTarget(X, seed + 200);
      const y = Int32Array.from(score, (s) => (s < -0.3 ? 0 : s < 0.5 ? 1 : 2));
      const rng = createRng(seed + 5);
      const w = Float64Array.from({ length: X.nRows }, () => 0.5 + rng.next()); // continuous weights: no gain ties
      const params = { maxDepth: 4, minSamplesLeaf: 2 };
      const tree = fitClassificationTree(X, y, params, { sampleWeight: w });
      const rows = Array.from({ length: X.nRows }, (_, r) => r);
      expectMatches(tree, bruteForceTree(X, rows, giniOf(y, w, 3), params));
    });
  }
});
