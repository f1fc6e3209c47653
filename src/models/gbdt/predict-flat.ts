/**
 * Batch prediction over flattened trees. Every tree is laid out in one Int32Array, four words a node —
 * (feature·2 + defaultLeft, left child, threshold bits, leaf value bits), the right child right after the left
 * one — and a leaf is its own left child with threshold +∞ and missing going left, so each tree is walked a
 * fixed number of steps (its depth) without a leaf test, and a step is arithmetic, not a branch (the branch
 * a tree walk takes is data-dependent and mispredicted about half the time). Eight rows
 * walk a tree side by side (independent load chains: traversal is latency-bound), over blocks of rows so
 * the rows' values stay in cache across trees. Each row still adds its trees' leaves in tree order, in
 * float32, so margins are those of addTreeToMargins bit for bit.
 */
import type { Tree } from './tree.js';

/** All trees of a model, flattened. */
export interface FlatForest {
  /** Four words per node; a Float32Array over the same buffer reads thresholds and leaf values. */
  nodes: Int32Array;
  values: Float32Array;
  /** Word offset of each tree's root. */
  roots: Int32Array;
  /** Steps from the root to the deepest leaf, per tree. */
  depths: Int32Array;
}

const STRIDE = 4;
/** Rows whose values stay in cache while every tree walks them (128 rows × 40 float32 features = 20 KB). */
const ROW_BLOCK = 128;

/**
 * Flatten trees for predictForest; only nodes reachable from each root are kept (xgboost's pruned nodes drop out).
 * @example const forest = flattenForest(model.trees);
 */
export function flattenForest(trees: readonly Tree[]): FlatForest {
  let total = 0;
  for (const t of trees) total += t.left.length;
  const buffer = new ArrayBuffer(4 * STRIDE * Math.max(1, total));
  const nodes = new Int32Array(buffer), values = new Float32Array(buffer);
  const roots = new Int32Array(trees.length), depths = new Int32Array(trees.length);
  const stack: number[] = [];
  let next = 0;
  for (let k = 0; k < trees.length; k++) {
    const t = trees[k]!;
    const at = new Int32Array(t.left.length); // word offset of each old node id
    const depth = new Int32Array(t.left.length);
    roots[k] = next;
    at[0] = next; next += STRIDE;
    stack.push(0);
    let deepest = 0;
    while (stack.length > 0) {
      const id = stack.pop()!;
      const o = at[id]!;
      if (t.left[id] === -1) {
        nodes[o] = 1; nodes[o + 1] = o; values[o + 2] = Infinity; values[o + 3] = t.value[id]!;
        if (depth[id]! > deepest) deepest = depth[id]!;
        continue;
      }
      const l = t.left[id]!, r = t.right[id]!;
      at[l] = next; at[r] = next + STRIDE; next += 2 * STRIDE;
      depth[l] = depth[r] = depth[id]! + 1;
      nodes[o] = t.feature[id]! * 2 + (t.defaultLeft[id] === 1 ? 1 : 0);
      nodes[o + 1] = at[l]!; values[o + 2] = t.threshold[id]!; values[o + 3] = 0;
      stack.push(r, l);
    }
    depths[k] = deepest;
  }
  return { nodes, values, roots, depths };
}

/**
 * Add every tree's leaf value to float32 margins, tree by tree for each row (x32: row-major float32 features).
 * @example predictForest(flattenForest(model.trees), x32, nRows, nCols, margins);
 */
export function predictForest(forest: FlatForest, x32: Float32Array, nRows: number, nCols: number, margins: Float32Array): void {
  predictForestRows(forest, x32, 0, nRows, nCols, margins);
}

/**
 * predictForest over rows [from, to) only (predict-threads.ts hands blocks of rows to two threads); each row's
 * margin is the same as in a whole-matrix call, whatever the range.
 * @example predictForestRows(forest, x32, 4096, 8192, nCols, margins);
 */
export function predictForestRows(forest: FlatForest, x32: Float32Array, from: number, to: number, nCols: number, margins: Float32Array): void {
  const { nodes, values, roots, depths } = forest;
  const nTrees = roots.length;
  for (let b0 = from; b0 < to; b0 += ROW_BLOCK) {
    const b1 = Math.min(to, b0 + ROW_BLOCK);
    const octs = b0 + ((b1 - b0) & ~7);
    for (let k = 0; k < nTrees; k++) {
      const root = roots[k]!, depth = depths[k]!;
      let r = b0;
      for (; r < octs; r += 8) {
        const x0 = r * nCols, x1 = x0 + nCols, x2 = x1 + nCols, x3 = x2 + nCols;
        const x4 = x3 + nCols, x5 = x4 + nCols, x6 = x5 + nCols, x7 = x6 + nCols;
        let n0 = root, n1 = root, n2 = root, n3 = root, n4 = root, n5 = root, n6 = root, n7 = root;
        for (let d = 0; d < depth; d++) {
          n0 = step(nodes, values, n0, x32[x0 + (nodes[n0]! >> 1)]!);
          n1 = step(nodes, values, n1, x32[x1 + (nodes[n1]! >> 1)]!);
          n2 = step(nodes, values, n2, x32[x2 + (nodes[n2]! >> 1)]!);
          n3 = step(nodes, values, n3, x32[x3 + (nodes[n3]! >> 1)]!);
          n4 = step(nodes, values, n4, x32[x4 + (nodes[n4]! >> 1)]!);
          n5 = step(nodes, values, n5, x32[x5 + (nodes[n5]! >> 1)]!);
          n6 = step(nodes, values, n6, x32[x6 + (nodes[n6]! >> 1)]!);
          n7 = step(nodes, values, n7, x32[x7 + (nodes[n7]! >> 1)]!);
        }
        margins[r]! += values[n0 + 3]!;
        margins[r + 1]! += values[n1 + 3]!;
        margins[r + 2]! += values[n2 + 3]!;
        margins[r + 3]! += values[n3 + 3]!;
        margins[r + 4]! += values[n4 + 3]!;
        margins[r + 5]! += values[n5 + 3]!;
        margins[r + 6]! += values[n6 + 3]!;
        margins[r + 7]! += values[n7 + 3]!;
      }
      for (; r < b1; r++) {
        const x0 = r * nCols;
        let n0 = root;
        for (let d = 0; d < depth; d++) n0 = step(nodes, values, n0, x32[x0 + (nodes[n0]! >> 1)]!);
        margins[r]! += values[n0 + 3]!;
      }
    }
  }
}

/**
 * One step down from node word o for value x: right (left + STRIDE) when x ≥ threshold, or x is missing and
 * missing goes right. Written as 0/1 arithmetic so the compiler emits no branch.
 */
function step(nodes: Int32Array, values: Float32Array, o: number, x: number): number {
  const right = +(x >= values[o + 2]!) | (+(x !== x) & ~nodes[o]! & 1);
  return nodes[o + 1]! + right * STRIDE;
}
