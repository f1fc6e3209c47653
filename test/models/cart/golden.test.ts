import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitClassificationTree, fitRegressionTree } from '../../../src/models/cart/fit.js';
import { predictProba, predictTree } from '../../../src/models/cart/predict.js';
import type { CartParams, CartTree, DenseMatrix } from '../../../src/models/cart/types.js';
import { createRng } from '../../../src/stats/rng.js';

interface GoldenTree {
  left: number[]; right: number[]; feature: number[]; threshold: number[]; nSamples: number[];
  weightedSamples: number[]; impurity: number[]; value: number[]; classProba?: number[][];
}
interface GoldenCase {
  name: string; kind: 'regression' | 'classification'; dataset: string; sampleWeight: number[] | null;
  params: { maxDepth: number | null; minSamplesLeaf?: number; minSamplesSplit?: number; minImpurityDecrease?: number };
  tree: GoldenTree; predictTest: number[]; predictProbaTest?: number[][];
}
interface GoldenDataset { featureNames: string[]; X: number[][]; y: number[]; XTest: number[][] }
interface GoldenFile { producedBy: Record<string, string>; datasets: Record<string, GoldenDataset>; cases: GoldenCase[] }

function load(name: string): GoldenFile {
  return JSON.parse(readFileSync(new URL(`../../golden/${name}`, import.meta.url), 'utf8')) as GoldenFile;
}

function matrix(rows: number[][], featureNames: string[]): DenseMatrix {
  const nCols = featureNames.length;
  return { nRows: rows.length, nCols, values: Float64Array.from(rows.flat()), featureNames };
}

function params(p: GoldenCase['params']): Partial<CartParams> {
  return { ...p, maxDepth: p.maxDepth ?? Infinity };
}

function fitCase(c: GoldenCase, d: GoldenDataset, seed: number): CartTree {
  const X = matrix(d.X, d.featureNames);
  const ctx = { rng: createRng(seed), ...(c.sampleWeight ? { sampleWeight: Float64Array.from(c.sampleWeight) } : {}) };
  return c.kind === 'regression'
    ? fitRegressionTree(X, Float64Array.from(d.y), params(c.params), ctx)
    : fitClassificationTree(X, Int32Array.from(d.y), params(c.params), ctx);
}

function expectSameTree(tree: CartTree, g: GoldenTree): void {
  expect(tree.nodeCount).toBe(g.left.length);
  expect(Array.from(tree.left)).toEqual(g.left);
  expect(Array.from(tree.right)).toEqual(g.right);
  expect(Array.from(tree.nSamples)).toEqual(g.nSamples);
  for (let i = 0; i < tree.nodeCount; i++) {
    if (g.left[i] === -1) {
      expect(tree.feature[i]).toBe(-1);
    } else {
      expect(tree.feature[i]).toBe(g.feature[i]);
      expect(tree.threshold[i]).toBe(g.threshold[i]); // midpoints of float32-exact values: bit-identical
    }
    expect(Math.abs(tree.weightedSamples[i]! - g.weightedSamples[i]!)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(tree.value[i]! - g.value[i]!)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(tree.impurity[i]! - g.impurity[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, g.impurity[i]!));
    if (g.classProba) {
      const K = tree.nClasses;
      for (let k = 0; k < K; k++) {
        expect(Math.abs(tree.classProba[i * K + k]! - g.classProba[i]![k]!)).toBeLessThanOrEqual(1e-12);
      }
    }
  }
}

for (const file of ['cart-regression.json', 'cart-classification.json']) {
  const golden = load(file);
  describe(`CART vs scikit-learn ${golden.producedBy['sklearn']} (${file})`, () => {
    for (const c of golden.cases) {
      const d = golden.datasets[c.dataset]!;
      it(`${c.name}: same splits, thresholds, leaf values and predictions`, () => {
        const tree = fitCase(c, d, 42);
        expectSameTree(tree, c.tree);
        const XTest = matrix(d.XTest, d.featureNames);
        const pred = predictTree(tree, XTest);
        expect(pred.length).toBe(c.predictTest.length);
        c.predictTest.forEach((v, r) => expect(Math.abs(pred[r]! - v)).toBeLessThanOrEqual(1e-9));
        if (c.predictProbaTest) {
          const proba = predictProba(tree, XTest);
          c.predictProbaTest.flat().forEach((v, i) => expect(Math.abs(proba[i]! - v)).toBeLessThanOrEqual(1e-12));
        }
      });
      it(`${c.name}: tie-free data gives the same tree for every seed`, () => {
        const a = fitCase(c, d, 1), b = fitCase(c, d, 2);
        expect(Array.from(a.feature)).toEqual(Array.from(b.feature));
        expect(Array.from(a.threshold)).toEqual(Array.from(b.threshold));
      });
    }
  });
}
