/**
 * Order-k transitions: the state of an order-k chain is the tuple of the last k events (a history), padded
 * with `<start>` at the beginning of a session, and the chain moves from a history to the next event. Each
 * session's counts n_s(h, b) come as sparse pairs, like `sessionTransitions` at order 1, so the same
 * count matrices (histories × V), divergences, gap scores and null apply (see docs/method.md, order k).
 */
import { UsageError } from '../errors.js';
import type { SessionIndex } from '../events/session-index.js';
import type { SessionTransitions } from './session-transitions.js';
import type { StateEncoding } from './states.js';

export const MAX_ORDER = 3;

/** Dense history × V count matrices above this many cells are refused (a coarser --state is the answer). */
export const MAX_ORDER_CELLS = 50_000_000;

export interface OrderTransitions extends SessionTransitions {
  order: number;
  /** number of distinct histories H (source rows) */
  historyCount: number;
  /** history h is histories[h·order .. (h+1)·order), oldest state first; sorted lexicographically */
  histories: Int32Array;
}

// Dense history lookup while V^k is small (the usual case: 19 event states → 6,859 histories at k = 3).
const DENSE_HISTORY_LIMIT = 1 << 24;

/**
 * Count every session's order-k transitions. At order 1 the counts equal `sessionTransitions`' (the
 * histories are then the source states that occur). One walk over the events assigns provisional history ids
 * (key Σ_j h_j·V^(k−1−j), exact in a double for V ≤ 2048 and k ≤ 3); the ids are then renumbered in sorted
 * history order and each session's (history, next) pairs sorted and merged.
 * @example orderTransitions(indexSessions(t), encodeStates(t, 'event', true), 2).historyCount
 */
export function orderTransitions(index: SessionIndex, states: StateEncoding, order: number): OrderTransitions {
  if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) throw new UsageError(`--order must be an integer from 1 to ${MAX_ORDER} (got ${order})`);
  const size = states.vocabulary.length, sessions = index.nSessions, boundary = states.start >= 0;
  const rows = index.order, starts = index.starts, stateOf = states.stateOf;
  const top = size ** (order - 1);
  const dense = size ** order <= DENSE_HISTORY_LIMIT;
  const denseId = dense ? new Int32Array(size ** order).fill(-1) : null;
  const sparseId = new Map<number, number>();
  const keys: number[] = [];
  const capacity = rows.length + (boundary ? sessions : 0);
  const hist = new Int32Array(capacity), next = new Int32Array(capacity), sessionEnd = new Int32Array(sessions + 1), events = new Int32Array(sessions);
  let m = 0;
  const idOf = (key: number): number => {
    let id = denseId ? denseId[key]! : (sparseId.get(key) ?? -1);
    if (id < 0) {
      id = keys.length;
      keys.push(key);
      if (denseId) denseId[key] = id;
      else sparseId.set(key, id);
    }
    return id;
  };
  for (let s = 0; s < sessions; s++) {
    // with <start> padding the first history is (<start>, …, <start>); without, k events must be seen first
    let key = 0, seen = 0, n = 0;
    if (boundary) {
      for (let j = 0; j < order; j++) key = key * size + states.start;
      seen = order;
    }
    for (let j = starts[s]!; j < starts[s + 1]!; j++) {
      const cur = stateOf[rows[j]!]!;
      if (cur < 0) continue;
      n++;
      if (seen >= order) {
        hist[m] = idOf(key);
        next[m++] = cur;
      }
      key = (key % top) * size + cur;
      seen++;
    }
    if (boundary && n > 0) {
      hist[m] = idOf(key);
      next[m++] = states.end;
    }
    events[s] = n;
    sessionEnd[s + 1] = m;
  }
  const historyCount = keys.length;
  if (historyCount * size > MAX_ORDER_CELLS) {
    throw new UsageError(`--order ${order}: ${historyCount.toLocaleString('en-US')} histories × ${size} states is too large for dense kernels; use a lower --order or a coarser --state`);
  }
  // renumber histories in sorted key order
  const byKey = Int32Array.from(keys.keys()).sort((x, y) => keys[x]! - keys[y]!);
  const rank = new Int32Array(historyCount), histories = new Int32Array(historyCount * order);
  byKey.forEach((id, h) => {
    rank[id] = h;
    let k = keys[id]!;
    for (let j = order - 1; j >= 0; j--, k = Math.floor(k / size)) histories[h * order + j] = k % size;
  });
  const src = new Int32Array(m), dst = new Int32Array(m), count = new Float64Array(m), pairOffsets = new Int32Array(sessions + 1);
  let run = new Float64Array(64), p = 0;
  for (let s = 0; s < sessions; s++) {
    const lo = sessionEnd[s]!, len = sessionEnd[s + 1]! - lo;
    if (run.length < len) run = new Float64Array(2 * len);
    for (let j = 0; j < len; j++) run[j] = rank[hist[lo + j]!]! * size + next[lo + j]!;
    const sorted = run.subarray(0, len).sort();
    for (let j = 0; j < len; j++) {
      if (j > 0 && sorted[j] === sorted[j - 1]) {
        count[p - 1]!++;
        continue;
      }
      src[p] = Math.floor(sorted[j]! / size);
      dst[p] = sorted[j]! % size;
      count[p++] = 1;
    }
    pairOffsets[s + 1] = p;
  }
  return { size, order, historyCount, histories, pairOffsets, src: src.slice(0, p), dst: dst.slice(0, p), count: count.slice(0, p), events };
}

/**
 * Readable labels of the histories, e.g. `<start> → page_view`.
 * @example historyLabels(t, vocabulary)[0] // '<start> → <start>'
 */
export function historyLabels(t: OrderTransitions, vocabulary: readonly string[]): string[] {
  return Array.from({ length: t.historyCount }, (_, h) => Array.from(t.histories.subarray(h * t.order, (h + 1) * t.order), (x) => vocabulary[x]!).join(' → '));
}
