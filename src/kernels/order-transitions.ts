/**
 * Order-k transitions: the state of an order-k chain is the tuple of the last k events (a history), padded
 * with `<start>` at the beginning of a session, and the chain moves from a history to the next event. Each
 * session's counts n_s(h, b) come as sparse pairs, like `sessionTransitions` at order 1, so the same
 * count matrices (histories × V), divergences, gap scores and null apply (see docs/method.md, order k).
 */
import { UsageError } from '../errors.js';
import type { SessionIndex } from './session-index.js';
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
 * Walk every session's order-k transitions, calling `visit(session, historyKey, next)`; the history key
 * is Σ_j h_j·V^(k−1−j), exact in a double for V ≤ 2048 and k ≤ 3.
 */
function walk(index: SessionIndex, states: StateEncoding, order: number, visit: (s: number, key: number, next: number) => void): void {
  const { order: rows, offsets } = index;
  const size = states.vocabulary.length, boundary = states.start >= 0;
  const top = size ** (order - 1);
  for (let s = 0; s + 1 < offsets.length; s++) {
    // with <start> padding the first history is (<start>, …, <start>); without, k events must be seen first
    let key = 0, seen = 0;
    if (boundary) {
      for (let j = 0; j < order; j++) key = key * size + states.start;
      seen = order;
    }
    let n = 0;
    for (let j = offsets[s]!; j < offsets[s + 1]!; j++) {
      const cur = states.stateOf[rows[j]!]!;
      if (cur < 0) continue;
      n++;
      if (seen >= order) visit(s, key, cur);
      key = (key % top) * size + cur;
      seen++;
    }
    if (boundary && n > 0) visit(s, key, states.end);
  }
}

/**
 * Count every session's order-k transitions. At order 1 the counts equal `sessionTransitions`' (the
 * histories are then the source states that occur).
 * @example orderTransitions(indexSessions(t), encodeStates(t, 'event', true), 2).historyCount
 */
export function orderTransitions(index: SessionIndex, states: StateEncoding, order: number): OrderTransitions {
  if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) throw new UsageError(`--order must be an integer from 1 to ${MAX_ORDER} (got ${order})`);
  const size = states.vocabulary.length, sessions = index.offsets.length - 1;
  // pass 1: which histories occur
  const dense = size ** order <= DENSE_HISTORY_LIMIT;
  const denseId = dense ? new Int32Array(size ** order).fill(-1) : null;
  const seenKeys = new Set<number>();
  let transitions = 0;
  walk(index, states, order, (_s, key) => {
    transitions++;
    if (denseId) denseId[key] = 0;
    else seenKeys.add(key);
  });
  const keys = denseId ? denseKeys(denseId) : Float64Array.from(seenKeys).sort();
  const historyCount = keys.length;
  if (historyCount * size > MAX_ORDER_CELLS) {
    throw new UsageError(`--order ${order}: ${historyCount.toLocaleString('en-US')} histories × ${size} states is too large for dense kernels; use a lower --order or a coarser --state`);
  }
  const sparseId = new Map<number, number>();
  keys.forEach((k, h) => (denseId ? (denseId[k] = h) : sparseId.set(k, h)));
  const histories = new Int32Array(historyCount * order);
  keys.forEach((k, h) => {
    for (let j = order - 1; j >= 0; j--, k = Math.floor(k / size)) histories[h * order + j] = k % size;
  });
  // pass 2: per-session sparse pairs, sorted by (history, next) within a session
  const src = new Int32Array(transitions), dst = new Int32Array(transitions), count = new Float64Array(transitions);
  const pairOffsets = new Int32Array(sessions + 1), events = new Int32Array(sessions);
  let run = new Float64Array(64), m = 0, current = 0, p = 0;
  const flush = (s: number): void => {
    const sorted = run.subarray(0, m).sort();
    for (let j = 0; j < m; j++) {
      if (j > 0 && sorted[j] === sorted[j - 1]) {
        count[p - 1]!++;
        continue;
      }
      src[p] = Math.floor(sorted[j]! / size);
      dst[p] = sorted[j]! % size;
      count[p++] = 1;
    }
    pairOffsets[s + 1] = p;
    m = 0;
  };
  walk(index, states, order, (s, key, next) => {
    while (current < s) flush(current++);
    if (m === run.length) {
      const grown = new Float64Array(run.length * 2);
      grown.set(run);
      run = grown;
    }
    run[m++] = (denseId ? denseId[key]! : sparseId.get(key)!) * size + next;
  });
  while (current < sessions) flush(current++);
  countEvents(index, states, events);
  return { size, order, historyCount, histories, pairOffsets, src: src.slice(0, p), dst: dst.slice(0, p), count: count.slice(0, p), events };
}

function denseKeys(ids: Int32Array): Float64Array {
  let n = 0;
  for (let k = 0; k < ids.length; k++) if (ids[k]! >= 0) n++;
  const out = new Float64Array(n);
  for (let k = 0, j = 0; k < ids.length; k++) if (ids[k]! >= 0) out[j++] = k;
  return out;
}

function countEvents(index: SessionIndex, states: StateEncoding, events: Int32Array): void {
  for (let s = 0; s < events.length; s++) {
    let n = 0;
    for (let j = index.offsets[s]!; j < index.offsets[s + 1]!; j++) if (states.stateOf[index.order[j]!]! >= 0) n++;
    events[s] = n;
  }
}

/**
 * Readable labels of the histories, e.g. `<start> → page_view`.
 * @example historyLabels(t, vocabulary)[0] // '<start> → <start>'
 */
export function historyLabels(t: OrderTransitions, vocabulary: readonly string[]): string[] {
  return Array.from({ length: t.historyCount }, (_, h) => Array.from(t.histories.subarray(h * t.order, (h + 1) * t.order), (x) => vocabulary[x]!).join(' → '));
}
