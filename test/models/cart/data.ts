/** Small seeded datasets and a brute-force reference tree for the CART tests. */
import type { DenseMatrix } from '../../../src/models/cart/types.js';
import { createRng } from '../../../src/stats/rng.js';

export function randomMatrix(nRows: number, nCols: number, seed: number, missingShare = 0): DenseMatrix {
  const rng = createRng(seed);
  const values = new Float64Array(nRows * nCols);
  for (let i = 0; i < values.length; i++) values[i] = rng.next() < missingShare ? NaN : rng.normal();
  return { nRows, nCols, values, featureNames: Array.from({ length: nCols }, (_, j) => `x${j}`) };
}

/** A smooth target with noise; NaN features count as 0. */
export function smoothTarget(X: DenseMatrix, seed: number): Float64Array {
  const rng = createRng(seed);
  const y = new Float64Array(X.nRows);
  const v = (r: number, c: number): number => {
    const x = X.values[r * X.nCols + c]!;
    return Number.isNaN(x) ? 0 : x;
  };
  for (let r = 0; r < X.nRows; r++) y[r] = Math.sin(2 * v(r, 0)) + v(r, 1) * (v(r, 2) > 0 ? 1 : 0) + 0.3 * rng.normal();
  return y;
}

export interface RefNode { feature: number; threshold: number; defaultLeft: boolean; n: number; value: number }

/**
 * O(n²·p) reference: re-partitions the rows for every candidate threshold and both missing directions,
 * computing child impurities from scratch. Same stopping rules as the grower; preorder output.
 */
export function bruteForceTree(X: DenseMatrix, rowsAll: number[], impurity: (rows: number[]) => [number, number, number],
  p: { maxDepth: number; minSamplesLeaf: number }): RefNode[] {
  const out: RefNode[] = [];
  const x = (r: number, f: number): number => X.values[r * X.nCols + f]!;
  const grow = (rows: number[], depth: number): void => {
    const [imp, w, value] = impurity(rows);
    const node: RefNode = { feature: -1, threshold: NaN, defaultLeft: false, n: rows.length, value };
    out.push(node);
    if (depth >= p.maxDepth || rows.length < 2 || rows.length < 2 * p.minSamplesLeaf || imp <= 2.220446049250313e-16) return;
    let best = { gain: -Infinity, f: -1, t: NaN, dl: false, left: [] as number[], right: [] as number[] };
    for (let f = 0; f < X.nCols; f++) {
      const present = [...new Set(rows.map((r) => x(r, f)).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
      const hasMissing = rows.some((r) => Number.isNaN(x(r, f)));
      for (let k = 0; k + 1 < present.length; k++) {
        const t = present[k]! / 2 + present[k + 1]! / 2;
        for (const dl of hasMissing ? [false, true] : [null]) {
          const left = rows.filter((r) => x(r, f) <= t || (Number.isNaN(x(r, f)) && dl === true));
          const right = rows.filter((r) => !left.includes(r));
          if (left.length < p.minSamplesLeaf || right.length < p.minSamplesLeaf) continue;
          const [il, wl] = impurity(left), [ir, wr] = impurity(right);
          const gain = imp * w - il * wl - ir * wr;
          if (gain > best.gain + 1e-9) {
            best = { gain, f, t, dl: dl ?? left.length >= right.length, left, right };
          }
        }
      }
    }
    if (best.f < 0) return;
    node.feature = best.f;
    node.threshold = best.t;
    node.defaultLeft = best.dl;
    grow(best.left, depth + 1);
    grow(best.right, depth + 1);
  };
  grow(rowsAll, 0);
  return out;
}

/** [weighted variance, weight, mean] of y over rows. */
export function squaredErrorOf(y: Float64Array, w: Float64Array) {
  return (rows: number[]): [number, number, number] => {
    let sw = 0, s = 0;
    for (const r of rows) { sw += w[r]!; s += w[r]! * y[r]!; }
    const mean = s / sw;
    let ss = 0;
    for (const r of rows) ss += w[r]! * (y[r]! - mean) ** 2;
    return [ss / sw, sw, mean];
  };
}

/** [Gini, weight, argmax class] of classes over rows. */
export function giniOf(y: Int32Array, w: Float64Array, K: number) {
  return (rows: number[]): [number, number, number] => {
    const c = new Float64Array(K);
    let sw = 0;
    for (const r of rows) { c[y[r]!]! += w[r]!; sw += w[r]!; }
    let sq = 0, arg = 0;
    for (let k = 0; k < K; k++) { sq += c[k]! * c[k]!; if (c[k]! > c[arg]!) arg = k; }
    return [1 - sq / (sw * sw), sw, arg];
  };
}
