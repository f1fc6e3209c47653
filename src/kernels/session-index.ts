/**
 * Sessions as contiguous ranges of one ordering of the event rows: sessions by sorted id, events of a
 * session by (ts, src_offset, row) — docs/contract.md §3's consumer ordering. One counting sort, then a small sort
 * per session (skipped when the session is already in time order, the common case).
 */
import type { EventsTable } from '../events/table.js';

export interface SessionIndex {
  /** event row indices grouped by session, each session in time order */
  order: Int32Array;
  /** session k owns order[offsets[k] .. offsets[k + 1]) */
  offsets: Int32Array;
  /** session ids in ascending order */
  ids: string[];
}

/**
 * Group and order the events of a table by session.
 * @example const { ids, offsets } = indexSessions(table); // events of ids[0]: offsets[0]..offsets[1]
 */
export function indexSessions(table: EventsTable): SessionIndex {
  const { codes, dict } = table.sessionId;
  const ts = table.ts, off = table.srcOffset;
  const byId = Int32Array.from(dict.keys()).sort((a, b) => (dict[a]! < dict[b]! ? -1 : dict[a]! > dict[b]! ? 1 : 0));
  const rankOf = new Int32Array(dict.length);
  byId.forEach((code, rank) => (rankOf[code] = rank));
  const sizes = new Int32Array(dict.length + 1);
  for (let i = 0; i < table.length; i++) if (codes[i]! >= 0) sizes[rankOf[codes[i]!]! + 1]!++;
  // Dictionary entries with no rows (possible after filtering) are dropped from the index.
  const present = [...byId].filter((code) => sizes[rankOf[code]! + 1]! > 0);
  for (let r = 1; r <= dict.length; r++) sizes[r]! += sizes[r - 1]!;
  const cursor = sizes.slice(0, dict.length);
  const order = new Int32Array(sizes[dict.length]!);
  for (let i = 0; i < table.length; i++) if (codes[i]! >= 0) order[cursor[rankOf[codes[i]!]!]!++] = i;
  const before = (a: number, b: number): number => {
    const dt = ts[a]! - ts[b]!;
    if (dt !== 0 && !Number.isNaN(dt)) return dt;
    const oa = off[a]!, ob = off[b]!;
    if (oa !== ob && !Number.isNaN(oa) && !Number.isNaN(ob)) return oa - ob;
    return a - b;
  };
  const offsets = new Int32Array(present.length + 1);
  present.forEach((code, k) => {
    const lo = sizes[rankOf[code]!]!, hi = sizes[rankOf[code]! + 1]!;
    offsets[k + 1] = hi;
    for (let j = lo + 1; j < hi; j++) {
      if (before(order[j - 1]!, order[j]!) > 0) {
        order.subarray(lo, hi).sort(before);
        break;
      }
    }
  });
  return { order, offsets, ids: present.map((code) => dict[code]!) };
}

/** Per-session label from per-event flags (−1/0/1): the common value; sessions with both 0 and 1 are −1. */
export interface SessionLabels {
  labels: Int8Array;
  /** sessions whose events disagree (left unlabelled) */
  conflicts: number;
}

/**
 * One label per session from event-level flags (e.g. `is_agent`).
 * @example sessionLabels(index, table.isAgent).labels; // Int8Array of −1/0/1
 */
export function sessionLabels(index: SessionIndex, flags: Int8Array): SessionLabels {
  const k = index.ids.length;
  const labels = new Int8Array(k).fill(-1);
  let conflicts = 0;
  for (let s = 0; s < k; s++) {
    let seen = -1;
    let clash = false;
    for (let j = index.offsets[s]!; j < index.offsets[s + 1]!; j++) {
      const f = flags[index.order[j]!]!;
      if (f < 0) continue;
      if (seen < 0) seen = f;
      else if (f !== seen) clash = true;
    }
    if (clash) conflicts++;
    labels[s] = clash ? -1 : seen;
  }
  return { labels, conflicts };
}
