/**
 * One live session's normalised events, columnar: the same columns `phantom features` and the kernels
 * read from an events table (docs/contract.md §3), grown by doubling. Features are computed by handing this one
 * session's columns to the batch kernels (`computeSessionFeatures`), so there is no second
 * implementation of any feature. Rows also have a compact JSON form for the shared Redis list.
 * Rows are kept in arrival order; features and kernels order them by the one session index
 * (events/session-index.ts, docs/contract.md §3.1), so arrival order only breaks ties of ts and offset.
 */
import type { EventRow } from '../events/normalise.js';
import type { DictColumn, EventsTable } from '../events/table.js';
import { baseFirstPrice, type FeatureEvents } from '../features/feature-events.js';

/** A row as stored in Redis: [ts, eventName, page, productId, price, priceBaseFirst, dwellMs, userAgent, experimentId, isAgent, srcOffset]. */
export type StoredRow = [number, string, string | null, string | null, number | null, number | null, number | null, string | null, string | null, -1 | 0 | 1, number | null];

// Column blocks: floats = ts, price, priceBaseFirst, dwellMs, srcOffset; ints = the codes of eventName,
// page, productId, userAgent, experimentId, then isAgent (−1/0/1).
export const FLOATS = ['ts', 'price', 'priceBaseFirst', 'dwellMs', 'srcOffset'] as const;
export const DICTS = ['eventName', 'page', 'productId', 'userAgent', 'experimentId'] as const;

/**
 * The compact stored form of a normalised event (the base-price-first price is resolved here, once).
 * @example toStoredRow(normalise(record).row)
 */
export function toStoredRow(row: EventRow): StoredRow {
  const baseFirst = row.metadata?.includes('base_price') ? baseFirstPrice(row.metadata, row.price ?? NaN) : (row.price ?? NaN);
  return [row.ts, row.eventName, row.page, row.productId, row.price, Number.isNaN(baseFirst) ? null : baseFirst, row.dwellMs, row.userAgent, row.experimentId, row.isAgent === null ? -1 : row.isAgent ? 1 : 0, row.srcOffset];
}

/**
 * The float and int blocks for `capacity` rows, as two views of one ArrayBuffer (an ArrayBuffer is the
 * costly allocation of a session, ~1 µs with its backing store; the blocks' bytes are the same as two).
 */
function blocks(capacity: number): [Float64Array, Int32Array] {
  const floatBytes = 8 * FLOATS.length * capacity;
  const buf = new ArrayBuffer(floatBytes + 4 * (DICTS.length + 1) * capacity);
  return [new Float64Array(buf, 0, FLOATS.length * capacity), new Int32Array(buf, floatBytes, (DICTS.length + 1) * capacity)];
}

/**
 * A session's strings of one column, interned: a plain array searched linearly while small (sessions
 * have few distinct event names, pages and products), with a Map built once it grows past 16 entries.
 */
class SmallDict {
  readonly dict: string[] = [];
  /** total length of the interned strings (for the session's byte estimate) */
  chars = 0;
  private index: Map<string, number> | null = null;

  code(value: string | null): number {
    if (value === null) return -1;
    const n = this.dict.length;
    const c = this.lookup(value);
    if (this.dict.length > n) this.chars += value.length;
    return c;
  }

  private lookup(value: string): number {
    if (this.index !== null) {
      let c = this.index.get(value);
      if (c === undefined) this.index.set(value, (c = this.dict.push(value) - 1));
      return c;
    }
    const c = this.dict.indexOf(value);
    if (c >= 0) return c;
    if (this.dict.length === 16) this.index = new Map(this.dict.map((v, i) => [v, i]));
    this.index?.set(value, this.dict.length);
    return this.dict.push(value) - 1;
  }
}

/**
 * A session's events in two typed arrays laid out column by column (float columns in one, dictionary
 * codes and the label in the other), so a session costs a handful of objects however many events it has.
 */
export class SessionBuffer {
  length = 0;
  private capacity: number;
  private floats: Float64Array;
  private ints: Int32Array;
  private readonly dicts: SmallDict[] = DICTS.map(() => new SmallDict());

  constructor(readonly sessionId: string, capacity = 8) {
    this.capacity = capacity;
    [this.floats, this.ints] = blocks(capacity);
  }

  /** Append one stored row. @example buf.append(toStoredRow(row)) */
  append(r: StoredRow): void {
    if (this.length === this.capacity) this.grow();
    const i = this.length++, cap = this.capacity, f = this.floats, n = this.ints;
    f[i] = r[0];
    f[cap + i] = r[4] ?? NaN;
    f[2 * cap + i] = r[5] ?? NaN;
    f[3 * cap + i] = r[6] ?? NaN;
    f[4 * cap + i] = r[10] ?? NaN;
    n[i] = this.dicts[0]!.code(r[1]);
    n[cap + i] = this.dicts[1]!.code(r[2]);
    n[2 * cap + i] = this.dicts[2]!.code(r[3]);
    n[3 * cap + i] = this.dicts[3]!.code(r[7]);
    n[4 * cap + i] = this.dicts[4]!.code(r[8]);
    n[5 * cap + i] = r[9];
  }

  private grow(): void {
    const old = this.capacity, cap = (this.capacity *= 2), of = this.floats, oi = this.ints;
    const [f, n] = blocks(cap);
    // element loops, not set(subarray(…)): a session's columns are short, and each subarray is an object
    for (let c = 0; c < FLOATS.length; c++) for (let i = 0; i < old; i++) f[c * cap + i] = of[c * old + i]!;
    for (let c = 0; c <= DICTS.length; c++) for (let i = 0; i < old; i++) n[c * cap + i] = oi[c * old + i]!;
    this.floats = f;
    this.ints = n;
  }

  private float(c: number): Float64Array {
    return this.floats.subarray(c * this.capacity, c * this.capacity + this.length);
  }

  private dict(c: number): DictColumn {
    return { codes: this.ints.subarray(c * this.capacity, c * this.capacity + this.length), dict: this.dicts[c]!.dict };
  }

  /**
   * The float block: column c of FLOATS holds rows [c · stride, c · stride + length) (no copy; for the
   * price path's reused buffers, live-features.ts).
   */
  get floatBlock(): Float64Array {
    return this.floats;
  }

  /** The int block: dictionary codes of DICTS column c at [c · stride, …), then the −1/0/1 label column. */
  get intBlock(): Int32Array {
    return this.ints;
  }

  /** Rows reserved per column in the blocks. */
  get stride(): number {
    return this.capacity;
  }

  /** The interned strings of DICTS column c (the array itself, not a copy). */
  dictValues(c: number): readonly string[] {
    return this.dicts[c]!.dict;
  }

  /** The session's columns as the feature kernels read them (views, no copy). */
  featureEvents(): FeatureEvents {
    const n = this.length;
    return {
      length: n, sessionId: { codes: new Int32Array(n), dict: [this.sessionId] }, experimentId: this.dict(4),
      ts: this.float(0), eventName: this.dict(0), page: this.dict(1), productId: this.dict(2),
      price: this.float(1), dwellMs: this.float(3), userAgent: this.dict(3),
      isAgent: Int8Array.from(this.ints.subarray(5 * this.capacity, 5 * this.capacity + n)), srcOffset: this.float(4), priceBaseFirst: this.float(2),
    };
  }

  /** The session as an events table (for the kernels); columns serve does not keep are null. */
  eventsTable(): EventsTable {
    const n = this.length, ev = this.featureEvents();
    const none: DictColumn = { codes: new Int32Array(n).fill(-1), dict: [] };
    return {
      length: n, sessionId: ev.sessionId, experimentId: ev.experimentId, ts: ev.ts, eventName: ev.eventName, page: ev.page,
      productId: ev.productId, storeMode: none, price: ev.price, dwellMs: ev.dwellMs, userAgent: ev.userAgent,
      metadata: new Array<string | null>(n).fill(null), isAgent: ev.isAgent, srcTopic: none,
      srcPartition: new Int32Array(n).fill(-1), srcOffset: ev.srcOffset, srcTs: new Float64Array(n).fill(NaN),
    };
  }

  /** Row i back in its stored form (to re-seed a Redis that restarted empty). */
  storedRow(i: number): StoredRow {
    const cap = this.capacity, f = this.floats, n = this.ints;
    const str = (c: number): string | null => (n[c * cap + i]! < 0 ? null : this.dicts[c]!.dict[n[c * cap + i]!]!);
    const num = (c: number): number | null => (Number.isNaN(f[c * cap + i]!) ? null : f[c * cap + i]!);
    return [f[i]!, str(0)!, str(1), str(2), num(1), num(2), num(3), str(3), str(4), n[5 * cap + i] as -1 | 0 | 1, num(4)];
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return this.floats.byteLength + this.ints.byteLength;
  }

  /**
   * Estimated bytes of the whole session in memory: typed arrays, interned strings and the id (2 bytes a
   * UTF-16 unit, the worst case of V8's string layout), plus ~64 bytes per object it takes.
   */
  get approxBytes(): number {
    let chars = this.sessionId.length;
    for (const d of this.dicts) chars += d.chars;
    return this.bytes + 2 * chars + 64 * (4 + this.dicts.length);
  }
}
