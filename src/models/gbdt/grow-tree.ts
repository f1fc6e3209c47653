/**
 * Depth-wise growth of one tree on binned data (xgboost 1.7 quantile-hist driver, grow_policy=depthwise):
 * all nodes of a depth are split in node-id order, children allocated as consecutive pairs, rows kept
 * as contiguous ranges of one index array and partitioned stably in place.
 */
import type { BinIndex, HistogramCuts } from './binning.js';
import type { HistogramPool } from './histogram.js';
import type { HistogramBuilder } from './histogram-threads.js';
import type { LevelJobs } from './level-share.js';
import type { PartitionJobs } from './row-share.js';
import { leafWeight, type GainParams, type SplitCandidate } from './split-eval.js';
import { allocTree, ROOT_PARENT, truncateTree, type Tree } from './tree.js';

/** Everything one tree needs; arrays are shared across trees and never reallocated. */
export interface GrowInput {
  bins: BinIndex;
  /** The same slots column-major (binsByColumn[f·nRows + r]): a split's partition reads one feature of many rows. */
  binsByColumn: BinIndex;
  nRows: number;
  nCols: number;
  cuts: HistogramCuts;
  hasMissing: Uint8Array;
  /** This round's gradient pairs by row id. */
  grad: Float64Array;
  hess: Float64Array;
  /** Features this tree may split on, ascending (colsample_bytree). */
  features: Int32Array;
  gain: GainParams;
  eta: number;
  gamma: number;
  maxDepth: number;
  pool: HistogramPool;
  /**
   * Partitions a level's nodes and fills their histograms from ranges of its node rows; on return, each
   * leaf's rows are node.rows[rowBegin[leaf], rowEnd[leaf]).
   */
  histograms: HistogramBuilder;
}

export interface GrownTree {
  tree: Tree;
  rowBegin: Int32Array;
  rowEnd: Int32Array;
}

interface Open { id: number; hist: Float64Array | null; split: SplitCandidate | null }

const f32 = Math.fround;
const RT_EPS = 1e-6;

/**
 * Grow one tree from the current gradients.
 * @example const { tree } = growTree(input);
 */
export function growTree(inp: GrowInput): GrownTree {
  const { nRows, grad, hess, gain, maxDepth, pool } = inp;
  const node = inp.histograms.node;
  const eta = f32(inp.eta);
  // every leaf holds a row with non-zero hessian, so a tree never has more than 2n − 1 nodes
  const capacity = Math.min(2 ** (maxDepth + 1) - 1, 2 * nRows - 1);
  const t = allocTree(capacity);
  const rowBegin = new Int32Array(capacity), rowEnd = new Int32Array(capacity);
  const G = new Float64Array(capacity), H = new Float64Array(capacity);
  let g0 = 0, h0 = 0; // the root's sums, in row order
  for (let i = 0; i < nRows; i++) { node.rows[i] = i; node.grad[i] = grad[i]!; node.hess[i] = hess[i]!; g0 += grad[i]!; h0 += hess[i]!; }
  G[0] = g0; H[0] = h0;
  rowEnd[0] = nRows;
  const w0 = leafWeight(g0, h0, gain);
  setLeaf(t, 0, ROOT_PARENT, f32(w0 * eta), w0, h0);
  let numNodes = 1;
  const jobs: LevelJobs = {
    count: 1, begin: new Int32Array(capacity), end: new Int32Array(capacity), small: [pool.acquire()], parent: [null],
    sums: new Float64Array(4 * capacity), found: [],
  };
  jobs.begin[0] = 0; jobs.end[0] = nRows; jobs.sums[0] = g0; jobs.sums[1] = h0;
  inp.histograms.buildLevel(jobs, inp.features);
  const parts: PartitionJobs = {
    count: 0, begin: new Int32Array(capacity), end: new Int32Array(capacity), feature: new Int32Array(capacity),
    splitSlot: new Int32Array(capacity), missSlot: new Int32Array(capacity), defaultLeft: new Int32Array(capacity), mid: new Int32Array(capacity),
  };
  const splitIds: number[] = [], splitHists: Float64Array[] = [];
  let level: Open[] = [open(0, jobs.small[0]!, jobs.found[0]!, pool)];
  for (let depth = 0; level.length > 0; depth++) {
    // split every node of the level (ids in node order) and partition their rows (histogram-threads.ts
    // shares the rows out), then build the smaller children's histograms, the siblings' by subtraction,
    // and search both for splits, all at once
    const left: number[] = [], leftSmaller: boolean[] = [];
    jobs.count = 0; jobs.small.length = 0; jobs.parent.length = 0;
    parts.count = 0; splitIds.length = 0; splitHists.length = 0;
    for (const { id, hist, split: s } of level) {
      if (hist === null || s === null || s.loss <= RT_EPS || s.hessLeft === 0 || s.hessRight === 0 || s.loss < inp.gamma) {
        if (hist !== null) pool.release(hist);
        continue;
      }
      const L = numNodes, R = L + 1;
      numNodes += 2;
      t.left[id] = L; t.right[id] = R; t.feature[id] = s.feature; t.threshold[id] = s.threshold;
      t.defaultLeft[id] = s.defaultLeft ? 1 : 0; t.lossChange[id] = s.loss; t.value[id] = 0;
      t.baseWeight[id] = leafWeight(G[id]!, H[id]!, gain);
      G[L] = s.gradLeft; H[L] = s.hessLeft; G[R] = s.gradRight; H[R] = s.hessRight;
      const wl = leafWeight(s.gradLeft, s.hessLeft, gain), wr = leafWeight(s.gradRight, s.hessRight, gain);
      setLeaf(t, L, id, f32(wl * eta), f32(wl * eta), s.hessLeft);
      setLeaf(t, R, id, f32(wr * eta), f32(wr * eta), s.hessRight);
      const p = parts.count++;
      parts.begin[p] = rowBegin[id]!; parts.end[p] = rowEnd[id]!; parts.feature[p] = s.feature;
      parts.splitSlot[p] = inp.cuts.cutPtr[s.feature]! + s.feature + s.splitBin; parts.missSlot[p] = inp.cuts.cutPtr[s.feature + 1]! + s.feature;
      parts.defaultLeft[p] = s.defaultLeft ? 1 : 0;
      splitIds.push(id); splitHists.push(hist);
    }
    if (parts.count > 0) inp.histograms.partitionLevel(parts);
    for (let p = 0; p < parts.count; p++) {
      const id = splitIds[p]!, hist = splitHists[p]!, L = t.left[id]!, R = L + 1, mid = parts.mid[p]!;
      rowBegin[L] = rowBegin[id]!; rowEnd[L] = mid; rowBegin[R] = mid; rowEnd[R] = rowEnd[id]!;
      if (depth + 1 >= maxDepth) { pool.release(hist); continue; }
      // build the child with fewer rows; the parent's buffer becomes its sibling's histogram
      const ls = mid - rowBegin[id]! <= rowEnd[id]! - mid;
      const small = ls ? L : R, big = ls ? R : L, j = jobs.count++;
      jobs.begin[j] = rowBegin[small]!; jobs.end[j] = rowEnd[small]!;
      jobs.small.push(pool.acquire()); jobs.parent.push(hist);
      jobs.sums[4 * j] = G[small]!; jobs.sums[4 * j + 1] = H[small]!; jobs.sums[4 * j + 2] = G[big]!; jobs.sums[4 * j + 3] = H[big]!;
      left.push(L); leftSmaller.push(ls);
    }
    if (jobs.count > 0) inp.histograms.buildLevel(jobs, inp.features);
    const next: Open[] = [];
    for (let j = 0; j < jobs.count; j++) {
      const L = left[j]!, smallHist = jobs.small[j]!, bigHist = jobs.parent[j]!;
      const smallSplit = jobs.found[2 * j]!, bigSplit = jobs.found[2 * j + 1]!;
      if (leftSmaller[j]) { next.push(open(L, smallHist, smallSplit, pool)); next.push(open(L + 1, bigHist, bigSplit, pool)); }
      else { next.push(open(L, bigHist, bigSplit, pool)); next.push(open(L + 1, smallHist, smallSplit, pool)); }
    }
    level = next;
  }
  return { tree: truncateTree(t, numNodes), rowBegin: rowBegin.slice(0, numNodes), rowEnd: rowEnd.slice(0, numNodes) };
}

/** A node awaiting its split; a node that cannot split gives its histogram back at once. */
function open(id: number, hist: Float64Array, split: SplitCandidate | null, pool: HistogramPool): Open {
  if (split !== null) return { id, hist, split };
  pool.release(hist);
  return { id, hist: null, split };
}

function setLeaf(t: Tree, id: number, parent: number, value: number, baseWeight: number, sumHess: number): void {
  t.left[id] = -1; t.right[id] = -1; t.parent[id] = parent; t.feature[id] = 0; t.threshold[id] = 0;
  t.defaultLeft[id] = 0; t.value[id] = value; t.baseWeight[id] = baseWeight; t.lossChange[id] = 0; t.sumHessian[id] = sumHess;
}
