/**
 * Each session's transition counts n_s(a, b) as a sparse list — the unit that is added to, or subtracted
 * from, a class's count matrix. Pairs are unique and sorted by (source, destination) within a session.
 */
import type { SessionIndex } from '../events/session-index.js';
import type { StateEncoding } from './states.js';

export const POOLINGS = ['pooled', 'mean-of-rows'] as const;
/** `pooled`: Σ counts (the MLE); `mean-of-rows`: Σ of each session's row-normalised rows (the original study). */
export type Pooling = (typeof POOLINGS)[number];

export interface SessionTransitions {
  /** number of states (the vocabulary size) */
  size: number;
  /** pairs of session k are [pairOffsets[k], pairOffsets[k + 1]) */
  pairOffsets: Int32Array;
  src: Int32Array;
  dst: Int32Array;
  /** raw transition count of each pair */
  count: Float64Array;
  /** events per session (sessions with < 2 events are not scored, docs/method.md) */
  events: Int32Array;
}

/**
 * Count every session's transitions over the encoded states, wrapping each trajectory in `<start>`/`<end>`
 * when the encoding has them.
 * @example sessionTransitions(indexSessions(t), encodeStates(t, 'event', true)).count
 */
export function sessionTransitions(index: SessionIndex, states: StateEncoding): SessionTransitions {
  const { order, starts } = index;
  const sessions = index.nSessions;
  const size = states.vocabulary.length;
  const boundary = states.start >= 0;
  const capacity = order.length + (boundary ? sessions : 0);
  const src = new Int32Array(capacity), dst = new Int32Array(capacity), count = new Float64Array(capacity);
  const pairOffsets = new Int32Array(sessions + 1);
  const events = new Int32Array(sessions);
  let keys = new Int32Array(64);
  let p = 0;
  for (let s = 0; s < sessions; s++) {
    const lo = starts[s]!, hi = starts[s + 1]!;
    if (keys.length < hi - lo + 2) keys = new Int32Array(2 * (hi - lo + 2));
    let m = 0, prev = boundary ? states.start : -1, n = 0;
    for (let j = lo; j < hi; j++) {
      const cur = states.stateOf[order[j]!]!;
      if (cur < 0) continue;
      n++;
      if (prev >= 0) keys[m++] = prev * size + cur;
      prev = cur;
    }
    if (boundary && prev >= 0 && n > 0) keys[m++] = prev * size + states.end;
    events[s] = n;
    const run = keys.subarray(0, m).sort();
    for (let j = 0; j < m; j++) {
      if (j > 0 && run[j] === run[j - 1]) {
        count[p - 1]!++;
        continue;
      }
      src[p] = Math.floor(run[j]! / size);
      dst[p] = run[j]! % size;
      count[p++] = 1;
    }
    pairOffsets[s + 1] = p;
  }
  return { size, pairOffsets, src: src.slice(0, p), dst: dst.slice(0, p), count: count.slice(0, p), events };
}

/**
 * The mass each pair adds to its class under a pooling: the count itself (`pooled`), or the count divided by
 * the session's visits of the source (`mean-of-rows`: each session contributes its normalised rows).
 */
export function pairWeights(t: SessionTransitions, pooling: Pooling): Float64Array {
  if (pooling === 'pooled') return t.count;
  const w = new Float64Array(t.count.length);
  for (let s = 0; s + 1 < t.pairOffsets.length; s++) {
    let j = t.pairOffsets[s]!;
    const hi = t.pairOffsets[s + 1]!;
    while (j < hi) {
      let k = j, total = 0;
      for (; k < hi && t.src[k] === t.src[j]; k++) total += t.count[k]!;
      for (let i = j; i < k; i++) w[i] = t.count[i]! / total;
      j = k;
    }
  }
  return w;
}
