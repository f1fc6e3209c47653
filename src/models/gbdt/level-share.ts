/**
 * One thread's share of a depth level: for the columns [c0, c1), build each job's smaller-child histogram,
 * turn the parent's into the sibling's by subtraction, and search the features in [c0, c1) of both for
 * their best split. The calling thread and the helpers each take a column range (histogram-threads.ts); the
 * best of the ranges' candidates, lowest range first on ties, is what one bestSplit over all features finds.
 */
import type { HistogramCuts } from './binning.js';
import { fillHistogram, subtractRange, type BinLayouts, type NodeRows } from './histogram.js';
import { bestSplit, type GainParams, type SplitCandidate } from './split-eval.js';

/** What the split search needs besides the histogram; fixed for a whole training run. */
export interface SplitSetup {
  cuts: HistogramCuts;
  hasMissing: Uint8Array;
  gain: GainParams;
}

/**
 * A level's work: job j builds the node rows [begin[j], end[j]) into small[j] and, when parent[j] is given, turns
 * parent[j] into the sibling's histogram. sums holds (G, H) of the built child then of the sibling per job.
 */
export interface LevelJobs {
  count: number;
  begin: Int32Array;
  end: Int32Array;
  small: Float64Array[];
  parent: (Float64Array | null)[];
  sums: Float64Array;
  /** out: per job, the built child's best split then the sibling's (null: none, or no sibling) */
  found: (SplitCandidate | null)[];
}

/** Doubles per encoded split candidate. */
export const CANDIDATE_WORDS = 9;

/** The features of `features` (ascending) within [c0, c1): a contiguous run of it. */
export function featuresIn(features: Int32Array, c0: number, c1: number): Int32Array {
  let lo = 0;
  while (lo < features.length && features[lo]! < c0) lo++;
  let hi = lo;
  while (hi < features.length && features[hi]! < c1) hi++;
  return features.subarray(lo, hi);
}

/**
 * Columns [c0, c1) of every job (see the module comment); candidates are written to `out` at
 * `at(job, which)` (which: 0 the built child, 1 the sibling).
 * @example levelShare(layouts, setup, node, jobs, features, 0, nCols, out, (j, w) => (2 * j + w) * CANDIDATE_WORDS)
 */
export function levelShare(
  layouts: BinLayouts, setup: SplitSetup, node: NodeRows,
  jobs: { count: number; begin: ArrayLike<number>; end: ArrayLike<number>; small: (j: number) => Float64Array; parent: (j: number) => Float64Array | null; sums: Float64Array },
  features: Int32Array, c0: number, c1: number, out: Float64Array, at: (job: number, which: number) => number,
): void {
  const { cutPtr } = setup.cuts;
  const s0 = 2 * (cutPtr[c0]! + c0), s1 = 2 * (cutPtr[c1]! + c1);
  const mine = featuresIn(features, c0, c1);
  for (let j = 0; j < jobs.count; j++) {
    const small = jobs.small(j), parent = jobs.parent(j);
    fillHistogram(layouts, c0, c1, node, jobs.begin[j]!, jobs.end[j]!, small);
    const sums = jobs.sums;
    encodeCandidate(out, at(j, 0), bestSplit(small, sums[4 * j]!, sums[4 * j + 1]!, mine, setup.cuts, setup.hasMissing, setup.gain, layouts.arena));
    if (parent === null) continue;
    subtractRange(layouts.arena, parent, small, s0, s1);
    encodeCandidate(out, at(j, 1), bestSplit(parent, sums[4 * j + 2]!, sums[4 * j + 3]!, mine, setup.cuts, setup.hasMissing, setup.gain, layouts.arena));
  }
}

/** Writes a candidate as CANDIDATE_WORDS doubles (feature −1: none). */
export function encodeCandidate(out: Float64Array, i: number, c: SplitCandidate | null): void {
  if (c === null) { out[i] = 0; out[i + 1] = -1; return; }
  out[i] = c.loss; out[i + 1] = c.feature; out[i + 2] = c.splitBin; out[i + 3] = c.threshold; out[i + 4] = c.defaultLeft ? 1 : 0;
  out[i + 5] = c.gradLeft; out[i + 6] = c.hessLeft; out[i + 7] = c.gradRight; out[i + 8] = c.hessRight;
}

/**
 * The best of the candidates at `at[0], at[1], …` (column ranges in ascending order): a later one wins only
 * with a strictly larger loss, as a later feature does inside bestSplit.
 */
export function bestOfShares(buf: Float64Array, at: readonly number[]): SplitCandidate | null {
  let best = -1;
  for (const i of at) {
    if (buf[i + 1]! < 0) continue;
    if (best < 0 || buf[i]! > buf[best]!) best = i;
  }
  if (best < 0) return null;
  const i = best;
  return {
    loss: buf[i]!, feature: buf[i + 1]!, splitBin: buf[i + 2]!, threshold: buf[i + 3]!, defaultLeft: buf[i + 4] === 1,
    gradLeft: buf[i + 5]!, hessLeft: buf[i + 6]!, gradRight: buf[i + 7]!, hessRight: buf[i + 8]!,
  };
}
