/**
 * The one session index (docs/contract.md §3.1) that features, kernels, clusters, serve and the simulator's
 * scorer read: events grouped into contiguous sessions, each session's events in one order —
 * (ts, src_offset with nulls last, position in the input) — and one label per session, a session whose
 * events carry both labels being left unlabelled and counted as `conflictingLabels`.
 * One counting sort buckets rows by session (keeping input order); each session is then ordered by time —
 * skipped when already in order (the common case), insertion sort when short, a comparator sort otherwise.
 */
import type { DictColumn } from './table.js';

/** The columns the index reads (an `EventsTable`, features' `FeatureEvents` and serve's buffer all have them). */
export interface SessionColumns {
  sessionId: DictColumn;
  /** epoch ms */
  ts: Float64Array;
  /** provenance offset, NaN when null */
  srcOffset: Float64Array;
}

/**
 * How sessions are numbered: `first-seen` (order of first appearance, so concatenated inputs give
 * concatenated outputs — `phantom features`) or `by-id` (ascending id — kernels, clusters, separability).
 * It never changes the events of a session or their order.
 */
export type SessionNumbering = 'first-seen' | 'by-id';

export interface SessionIndex {
  /** event row indices grouped by session, each session in (ts, offset nulls last, position) order */
  order: Uint32Array;
  /** session s owns order[starts[s] .. starts[s + 1]); length nSessions + 1 */
  starts: Int32Array;
  /** sessionId dictionary code of each session */
  sessionCodes: Int32Array;
  /** session ids, in session order */
  ids: string[];
  nSessions: number;
  /** rows dropped because their sessionId is null */
  rowsWithoutSession: number;
}

/**
 * The one event order inside a session: true when row a comes before row b — ts ascending (a null ts
 * last), then source offset ascending with nulls last, then position in the input.
 * @example eventBefore(0, 1, Float64Array.of(5, 5), Float64Array.of(NaN, 3)) // false: the null offset goes last
 */
export function eventBefore(a: number, b: number, ts: Float64Array, off: Float64Array): boolean {
  const ta = ts[a]!, tb = ts[b]!;
  if (ta !== tb && !(ta !== ta && tb !== tb)) return tb !== tb || ta < tb;
  const oa = off[a]!, ob = off[b]!;
  if (oa !== ob && !(oa !== oa && ob !== ob)) return ob !== ob || oa < ob;
  return a < b;
}

/** Sort order[lo, hi) into event order. */
function sortRange(order: Uint32Array, lo: number, hi: number, ts: Float64Array, off: Float64Array): void {
  let sorted = true;
  for (let k = lo + 1; k < hi; k++) if (eventBefore(order[k]!, order[k - 1]!, ts, off)) {
    sorted = false;
    break;
  }
  if (sorted) return;
  if (hi - lo <= 48) {
    for (let k = lo + 1; k < hi; k++) {
      const v = order[k]!;
      let j = k - 1;
      while (j >= lo && eventBefore(v, order[j]!, ts, off)) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = v;
    }
    return;
  }
  order.subarray(lo, hi).sort((a, b) => (eventBefore(a, b, ts, off) ? -1 : eventBefore(b, a, ts, off) ? 1 : 0));
}

/** Session number of each used dictionary code (−1 unused), in the requested numbering. */
function numberSessions(sessionId: DictColumn, numbering: SessionNumbering): { sessionOfCode: Int32Array; sessionCodes: Int32Array; counts: Int32Array; rowsWithoutSession: number } {
  const { codes, dict } = sessionId;
  const used = new Int32Array(dict.length);
  const seen: number[] = [];
  let rowsWithoutSession = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c < 0) rowsWithoutSession++;
    else if (used[c]!++ === 0) seen.push(c);
  }
  // a dictionary may hold values no row uses (after filtering): they get no session
  const sessionCodes = Int32Array.from(seen);
  if (numbering === 'by-id') sessionCodes.sort((a, b) => (dict[a]! < dict[b]! ? -1 : dict[a]! > dict[b]! ? 1 : 0));
  const sessionOfCode = new Int32Array(dict.length).fill(-1);
  const counts = new Int32Array(sessionCodes.length);
  sessionCodes.forEach((c, s) => {
    sessionOfCode[c] = s;
    counts[s] = used[c]!;
  });
  return { sessionOfCode, sessionCodes, counts, rowsWithoutSession };
}

/**
 * Group and order the events of a table by session.
 * @example const { ids, order, starts } = indexSessions(table, 'by-id'); // events of ids[0]: order[starts[0]] … order[starts[1] − 1]
 */
export function indexSessions(events: SessionColumns, numbering: SessionNumbering = 'first-seen'): SessionIndex {
  const { ts, srcOffset } = events, codes = events.sessionId.codes;
  const { sessionOfCode, sessionCodes, counts, rowsWithoutSession } = numberSessions(events.sessionId, numbering);
  const nSessions = sessionCodes.length;
  const starts = new Int32Array(nSessions + 1);
  for (let s = 0; s < nSessions; s++) starts[s + 1] = starts[s]! + counts[s]!;
  const fill = starts.slice(0, nSessions);
  const order = new Uint32Array(starts[nSessions]!);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) order[fill[sessionOfCode[c]!]!++] = i;
  }
  for (let s = 0; s < nSessions; s++) sortRange(order, starts[s]!, starts[s + 1]!, ts, srcOffset);
  const dict = events.sessionId.dict;
  return { order, starts, sessionCodes, ids: Array.from(sessionCodes, (c) => dict[c]!), nSessions, rowsWithoutSession };
}

export interface SessionLabels {
  /** per session: −1 unlabelled (no label, or conflicting labels), 0 human, 1 agent */
  labels: Int8Array;
  /** sessions whose events carry both labels: left unlabelled */
  conflictingLabels: number;
  /** the session numbers of those sessions, ascending */
  conflicted: Int32Array;
}

/**
 * The one label policy: a session's label is the label its events carry (nulls ignored); a session whose
 * events carry both 0 and 1 is unlabelled (−1) and counted in `conflictingLabels`.
 * @example sessionLabels(index, table.isAgent).labels; // Int8Array of −1/0/1
 */
export function sessionLabels(index: SessionIndex, flags: Int8Array): SessionLabels {
  const labels = new Int8Array(index.nSessions).fill(-1);
  const conflicted: number[] = [];
  for (let s = 0; s < index.nSessions; s++) {
    let seen = 0; // bit 0: a human event, bit 1: an agent event
    for (let j = index.starts[s]!, hi = index.starts[s + 1]!; j < hi; j++) {
      const f = flags[index.order[j]!]!;
      if (f >= 0) seen |= 1 << f;
    }
    if (seen === 3) conflicted.push(s);
    else if (seen !== 0) labels[s] = seen === 2 ? 1 : 0;
  }
  return { labels, conflictingLabels: conflicted.length, conflicted: Int32Array.from(conflicted) };
}

/**
 * The one warning every command and the pipeline print for conflicting labels.
 * @example conflictingLabelsWarning(2) // '2 session(s) carry both labels (human and agent events); left unlabelled (conflictingLabels, docs/contract.md §3.1)'
 */
export function conflictingLabelsWarning(n: number): string {
  return `${n.toLocaleString('en-US')} session(s) carry both labels (human and agent events); left unlabelled (conflictingLabels, docs/contract.md §3.1)`;
}

/**
 * `labelConflicts`, the old JSON name of `conflictingLabels`, written beside it for one more release
 * (docs/contract.md §3.1).
 * @example withOldConflictKey({ sessions: 3, conflictingLabels: 1 }) // { sessions: 3, conflictingLabels: 1, labelConflicts: 1 }
 */
export function withOldConflictKey<S extends { conflictingLabels: number }>(s: S): S & { labelConflicts: number } {
  return { ...s, labelConflicts: s.conflictingLabels };
}

/** A float column's values in session order (one gather, so later passes read sequentially). */
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
