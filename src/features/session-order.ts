/**
 * The one sort of `phantom features` (docs/features.md): events ordered by (sessionId, ts, provenance offset with
 * nulls last, input position), as a permutation plus contiguous session ranges. Sessions are numbered in
 * order of first appearance (so concatenating inputs concatenates outputs); a counting sort buckets rows
 * by session, keeping input order; each session's rows are then ordered by time — insertion sort for
 * short or nearly sorted sessions, a comparator sort otherwise.
 */
import type { DictColumn } from '../events/table.js';

export interface SessionOrder {
  /** row indices in (session, ts, offset, position) order */
  order: Uint32Array;
  /** session s spans order[starts[s]] … order[starts[s + 1] − 1]; length nSessions + 1 */
  starts: Int32Array;
  /** sessionId dictionary code of each session; sessions are numbered in order of first appearance */
  sessionCodes: Int32Array;
  nSessions: number;
  /** rows dropped because their sessionId is null */
  rowsWithoutSession: number;
}

/** a before b in (ts, offset nulls last, position) order. */
function before(a: number, b: number, ts: Float64Array, off: Float64Array): boolean {
  const ta = ts[a]!, tb = ts[b]!;
  if (ta !== tb) return ta < tb;
  const oa = off[a]!, ob = off[b]!;
  if (oa !== ob && !(Number.isNaN(oa) && Number.isNaN(ob))) return Number.isNaN(ob) || oa < ob;
  return a < b;
}

/** Sort order[lo, hi) by (ts, offset, position). */
function sortRange(order: Uint32Array, lo: number, hi: number, ts: Float64Array, off: Float64Array): void {
  let sorted = true;
  for (let k = lo + 1; k < hi; k++) if (before(order[k]!, order[k - 1]!, ts, off)) {
    sorted = false;
    break;
  }
  if (sorted) return;
  if (hi - lo <= 48) {
    for (let k = lo + 1; k < hi; k++) {
      const v = order[k]!;
      let j = k - 1;
      while (j >= lo && before(v, order[j]!, ts, off)) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = v;
    }
    return;
  }
  order.subarray(lo, hi).sort((a, b) => (before(a, b, ts, off) ? -1 : before(b, a, ts, off) ? 1 : 0));
}

/**
 * Sort events into contiguous sessions.
 * @example const { order, starts, nSessions } = sessionOrder(events.sessionId, events.ts, events.srcOffset)
 */
export function sessionOrder(sessionId: DictColumn, ts: Float64Array, srcOffset: Float64Array): SessionOrder {
  const n = ts.length;
  const codes = sessionId.codes;
  // sessions numbered by first appearance; a dictionary may hold values no row uses
  const sessionOfCode = new Int32Array(sessionId.dict.length).fill(-1);
  const codeOfSession = new Int32Array(sessionId.dict.length);
  let counts = new Int32Array(1024);
  let nSessions = 0, rowsWithoutSession = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c < 0) {
      rowsWithoutSession++;
      continue;
    }
    let s = sessionOfCode[c]!;
    if (s < 0) {
      s = sessionOfCode[c] = nSessions++;
      codeOfSession[s] = c;
      if (nSessions > counts.length) {
        const grown = new Int32Array(counts.length * 2);
        grown.set(counts);
        counts = grown;
      }
    }
    counts[s]!++;
  }
  const starts = new Int32Array(nSessions + 1);
  for (let s = 0; s < nSessions; s++) starts[s + 1] = starts[s]! + counts[s]!;
  const fill = starts.slice(0, nSessions);
  const order = new Uint32Array(n - rowsWithoutSession);
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c >= 0) order[fill[sessionOfCode[c]!]!++] = i;
  }
  for (let s = 0; s < nSessions; s++) sortRange(order, starts[s]!, starts[s + 1]!, ts, srcOffset);
  return { order, starts, sessionCodes: codeOfSession.slice(0, nSessions), nSessions, rowsWithoutSession };
}

/** The column's values in session order (one gather, so the feature passes read sequentially). */
export function gatherFloat(values: Float64Array, order: Uint32Array): Float64Array {
  const out = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = values[order[k]!]!;
  return out;
}

/** Dictionary codes in session order. */
export function gatherCodes(codes: Int32Array, order: Uint32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = codes[order[k]!]!;
  return out;
}
