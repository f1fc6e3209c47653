/**
 * The per-row work of a boosting round, split by row ranges among threads (histogram-threads.ts runs the
 * shares): the partition of a level's nodes after their splits, and the margin update plus the next round's
 * gradients after a tree. Each row is touched by one thread only and nothing is summed, so the result is the
 * one thread's, bit for bit: a stable partition has one outcome however its range is cut, and a row's new
 * margin and gradient pair depend on that row alone.
 */
import type { BinIndex } from './binning.js';
import type { KernelArena } from './hist-kernel.js';
import type { NodeRows } from './histogram.js';
import { sigmoid32 } from './logistic.js';

const f32 = Math.fround;
const HESS_EPS = f32(1e-16);

/**
 * A level's partitions: node j's rows [begin[j], end[j]) go left when their slot in column `feature[j]` of
 * the column-major bin index is at most splitSlot[j], or is missSlot[j] and defaultLeft[j] is 1.
 * Out: mid[j], the first right position.
 */
export interface PartitionJobs {
  count: number;
  begin: Int32Array;
  end: Int32Array;
  feature: Int32Array;
  splitSlot: Int32Array;
  missSlot: Int32Array;
  /** 1: missing values go left */
  defaultLeft: Int32Array;
  mid: Int32Array;
}

/** Thread t's part of the range [begin, end) cut into `parts`: its first position (t = parts gives end). */
export function partStart(begin: number, end: number, t: number, parts: number): number {
  return begin + Math.floor(((end - begin) * t) / parts);
}

/**
 * Stable partition of the node rows [begin, end) by one split, gradient pairs moving with their rows: the
 * left rows are packed in place from `begin`, the right rows are written to `scratch` from `begin` (the same
 * positions, so threads partitioning disjoint ranges never meet). Returns the number of left rows.
 */
export function partitionPart(
  column: BinIndex, columnAt: number, node: NodeRows, scratch: NodeRows, begin: number, end: number,
  splitSlot: number, missSlot: number, defLeft: boolean, arena?: KernelArena,
): number {
  const { rows, grad, hess } = node, sr = scratch.rows, sg = scratch.grad, sh = scratch.hess;
  // the same moves in WebAssembly (hist-kernel.wat) when every array lives in the arena
  if (arena !== undefined && column instanceof Uint16Array && grad instanceof Float32Array && hess instanceof Float32Array
    && sg instanceof Float32Array && sh instanceof Float32Array && arena.has(column, rows, grad, hess, sr, sg, sh)) {
    return arena.kernel.partition(column.byteOffset + 2 * columnAt, rows.byteOffset, grad.byteOffset, hess.byteOffset,
      sr.byteOffset, sg.byteOffset, sh.byteOffset, begin, end, splitSlot, missSlot, defLeft ? 1 : 0);
  }
  const defBit = defLeft ? 1 : 0;
  let l = begin, r = begin;
  // branch-free (the side is a coin flip for the branch predictor): a row is written to both sides and
  // only its side's cursor moves; left = b ≤ splitSlot, or defaultLeft when b is the missing slot
  for (let k = begin; k < end; k++) {
    const row = rows[k]!, g = grad[k]!, h = hess[k]!;
    const b = column[columnAt + row]!;
    const le = ((splitSlot - b) >>> 31) ^ 1, miss = ((b ^ missSlot) - 1) >>> 31;
    const left = le ^ (miss & (le ^ defBit));
    rows[l] = row; grad[l] = g; hess[l] = h;
    sr[r] = row; sg[r] = g; sh[r] = h;
    l += left; r += left ^ 1;
  }
  return l - begin;
}

/**
 * Joins the parts of one node partitioned by partitionPart (part t: [partStart(t), partStart(t + 1)),
 * lefts[t] left rows): every part's left rows in order, then every part's right rows. Returns the node's
 * first right position.
 */
export function joinParts(node: NodeRows, scratch: NodeRows, begin: number, end: number, lefts: ArrayLike<number>, parts: number): number {
  const { rows, grad, hess } = node;
  let at = begin;
  for (let t = 0; t < parts; t++) {
    const p0 = partStart(begin, end, t, parts), n = lefts[t]!;
    if (at !== p0 && n > 0) { rows.copyWithin(at, p0, p0 + n); grad.copyWithin(at, p0, p0 + n); hess.copyWithin(at, p0, p0 + n); }
    at += n;
  }
  const mid = at;
  for (let t = 0; t < parts; t++) {
    const p0 = partStart(begin, end, t, parts), n = partStart(begin, end, t + 1, parts) - p0 - lefts[t]!;
    if (n > 0) {
      rows.set(scratch.rows.subarray(p0, p0 + n), at); grad.set(scratch.grad.subarray(p0, p0 + n), at); hess.set(scratch.hess.subarray(p0, p0 + n), at);
    }
    at += n;
  }
  return mid;
}

/** Thread t's share of a level's partitions: part t of every node; its left counts go to lefts[j]. */
export function partitionShare(
  byColumn: BinIndex, nRows: number, node: NodeRows, scratch: NodeRows, jobs: PartitionJobs, t: number, parts: number, lefts: Int32Array, arena?: KernelArena,
): void {
  for (let j = 0; j < jobs.count; j++) {
    const b = jobs.begin[j]!, e = jobs.end[j]!;
    lefts[j] = partitionPart(byColumn, jobs.feature[j]! * nRows, node, scratch, partStart(b, e, t, parts), partStart(b, e, t + 1, parts),
      jobs.splitSlot[j]!, jobs.missSlot[j]!, jobs.defaultLeft[j] === 1, arena);
  }
}

/** The rows and per-row state of a round's update: margins, labels, the gradient pairs by row id. */
export interface RowState {
  margins: Float32Array;
  labels: Uint8Array;
  grad: Float64Array;
  hess: Float64Array;
  scalePosWeight: number;
}

/**
 * The positions [p0, p1) of node order after a tree: each row in a leaf range adds the leaf's value to its
 * float32 margin and gets its next gradient pair (logistic.ts's arithmetic), stored by row id. Leaf i covers
 * node positions [leafBegin[i], leafEnd[i]); the leaves' ranges tile the rows.
 */
export function updateShare(
  rows: Int32Array, state: RowState, leafCount: number, leafBegin: ArrayLike<number>, leafEnd: ArrayLike<number>, leafValue: ArrayLike<number>,
  p0: number, p1: number, gradients: boolean,
): void {
  const { margins, labels, grad, hess } = state;
  const spw = f32(state.scalePosWeight);
  for (let i = 0; i < leafCount; i++) {
    const b = Math.max(p0, leafBegin[i]!), e = Math.min(p1, leafEnd[i]!), v = leafValue[i]!;
    if (!gradients) {
      for (let k = b; k < e; k++) margins[rows[k]!]! += v;
      continue;
    }
    for (let k = b; k < e; k++) {
      const r = rows[k]!;
      const m = f32(margins[r]! + v); // the float32 the margin stores
      margins[r] = m;
      const p = sigmoid32(m);
      const label = labels[r]!;
      const w = label === 1 ? spw : 1;
      grad[r] = f32(f32(p - label) * w);
      hess[r] = f32(Math.max(f32(p * f32(1 - p)), HESS_EPS) * w);
    }
  }
}
