/**
 * Chunks of an events table gathered into one table, as a reader of the file they were written to would
 * see it: rows in order, each dictionary holding the values its rows use in order of first appearance
 * (what reading events.parquet back gives). The pipeline keeps the export's rows this way instead of
 * reading events.parquet again. `add` copies the typed arrays, so a chunk's buffers may then be
 * transferred to a writer thread.
 */
import { REQUEST_DICT_COLUMNS, type RequestColumns } from './request-columns.js';
import { DICT_COLUMNS, type DictColumn, type EventsTable } from './table.js';

/** Dictionary columns of many chunks → one column, values in order of first appearance. */
function concatDict(parts: readonly (DictColumn | undefined)[], lengths: readonly number[]): DictColumn {
  const n = lengths.reduce((a, b) => a + b, 0);
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const index = new Map<string, number>();
  let o = 0;
  lengths.forEach((len, k) => {
    const p = parts[k];
    if (p === undefined) {
      codes.fill(-1, o, o + len);
      o += len;
      return;
    }
    const remap = new Int32Array(p.dict.length).fill(-2);
    for (let i = 0; i < len; i++) {
      const c = p.codes[i]!;
      if (c >= 0 && remap[c] === -2) {
        const s = p.dict[c]!;
        let g = index.get(s);
        if (g === undefined) index.set(s, (g = dict.push(s) - 1));
        remap[c] = g;
      }
      codes[o++] = c < 0 ? -1 : remap[c]!;
    }
  });
  return { codes, dict };
}

/** Typed arrays of many chunks → one array (`fill` for chunks without the column). */
function concatArray<A extends Float64Array | Int32Array | Int8Array>(parts: readonly (A | undefined)[], lengths: readonly number[], make: (n: number) => A, fill: number): A {
  const out = make(lengths.reduce((a, b) => a + b, 0));
  let o = 0;
  lengths.forEach((len, k) => {
    const p = parts[k];
    if (p === undefined) out.fill(fill, o, o + len);
    else out.set(p.subarray(0, len), o);
    o += len;
  });
  return out;
}

const f64 = (n: number) => new Float64Array(n);
const i32 = (n: number) => new Int32Array(n);

/** Accumulates copies of event chunks; `table()` joins them. */
export class EventsTableCollector {
  private readonly chunks: EventsTable[] = [];

  /** Keep a copy of `chunk` (its typed arrays are copied; dictionaries and metadata are shared, never changed). */
  add(chunk: EventsTable): void {
    const dict = (c: DictColumn): DictColumn => ({ codes: c.codes.slice(0, chunk.length), dict: c.dict });
    const r = chunk.requests;
    this.chunks.push({
      ...chunk,
      ...Object.fromEntries(DICT_COLUMNS.map((c) => [c, dict(chunk[c])])),
      ts: chunk.ts.slice(), price: chunk.price.slice(), dwellMs: chunk.dwellMs.slice(), isAgent: chunk.isAgent.slice(), srcPartition: chunk.srcPartition.slice(),
      srcOffset: chunk.srcOffset.slice(), srcTs: chunk.srcTs.slice(), metadata: chunk.metadata.slice(0, chunk.length),
      ...(chunk.originPartition ? { originPartition: chunk.originPartition.slice() } : {}),
      ...(chunk.originOffset ? { originOffset: chunk.originOffset.slice() } : {}),
      ...(r === undefined ? {} : {
        requests: { ...r, ...Object.fromEntries(REQUEST_DICT_COLUMNS.map((c) => [c, dict(r[c])])), status: r.status.slice(), bytes: r.bytes.slice(), durationMs: r.durationMs.slice() },
      }),
    });
  }

  /** Rows collected so far. */
  get length(): number {
    return this.chunks.reduce((a, c) => a + c.length, 0);
  }

  /**
   * The collected rows as one table.
   * @example const c = new EventsTableCollector(); c.add(builder.flush()); c.add(builder.flush()); c.table().length;
   */
  table(): EventsTable {
    const parts = this.chunks;
    const lengths = parts.map((p) => p.length);
    const dict = (pick: (t: EventsTable) => DictColumn | undefined) => concatDict(parts.map(pick), lengths);
    const arr = <A extends Float64Array | Int32Array | Int8Array>(pick: (t: EventsTable) => A | undefined, make: (n: number) => A, fill: number) => concatArray(parts.map(pick), lengths, make, fill);
    const withRequests = parts.some((p) => p.requests !== undefined);
    const requests: RequestColumns | undefined = !withRequests ? undefined : {
      ...(Object.fromEntries(REQUEST_DICT_COLUMNS.map((c) => [c, dict((t) => t.requests?.[c])])) as Pick<RequestColumns, (typeof REQUEST_DICT_COLUMNS)[number]>),
      status: arr((t) => t.requests?.status, i32, -1), bytes: arr((t) => t.requests?.bytes, f64, NaN), durationMs: arr((t) => t.requests?.durationMs, f64, NaN),
    };
    return {
      length: lengths.reduce((a, b) => a + b, 0),
      ...(Object.fromEntries(DICT_COLUMNS.map((c) => [c, dict((t) => t[c])])) as Pick<EventsTable, (typeof DICT_COLUMNS)[number]>),
      ts: arr((t) => t.ts, f64, NaN), price: arr((t) => t.price, f64, NaN), dwellMs: arr((t) => t.dwellMs, f64, NaN),
      metadata: parts.flatMap((p) => p.metadata),
      isAgent: arr((t) => t.isAgent, (n) => new Int8Array(n), -1), srcPartition: arr((t) => t.srcPartition, i32, -1),
      srcOffset: arr((t) => t.srcOffset, f64, NaN), srcTs: arr((t) => t.srcTs, f64, NaN),
      originPartition: arr((t) => t.originPartition, i32, -1), originOffset: arr((t) => t.originOffset, f64, NaN),
      ...(requests === undefined ? {} : { requests }),
    };
  }
}
