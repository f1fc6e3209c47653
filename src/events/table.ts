/**
 * The in-memory events table: one typed array per column of docs/contract.md §3, strings dictionary-encoded.
 * Nulls: code −1 in dictionary columns, NaN in float columns, −1 in `isAgent`/`srcPartition`.
 */
import type { EventRow } from './normalise.js';
import { type RequestColumns, RequestColumnsBuilder } from './request-columns.js';

/** A dictionary-encoded string column; code −1 is null. */
export type { DictColumn } from '../io/dict-column.js';
import { type DictColumn, dictValue } from '../io/dict-column.js';

export interface EventsTable {
  length: number;
  sessionId: DictColumn;
  experimentId: DictColumn;
  /** epoch ms (integers, exact in a double) */
  ts: Float64Array;
  eventName: DictColumn;
  page: DictColumn;
  productId: DictColumn;
  storeMode: DictColumn;
  price: Float64Array;
  dwellMs: Float64Array;
  userAgent: DictColumn;
  metadata: (string | null)[];
  /** −1 null, 0 human, 1 agent */
  isAgent: Int8Array;
  srcTopic: DictColumn;
  srcPartition: Int32Array;
  srcOffset: Float64Array;
  srcTs: Float64Array;
  /** request columns (docs/access-logs.md); only sources with requests (access logs) have them */
  requests?: RequestColumns;
  /**
   * A Kafka-console envelope's own partitionID/offset (−1 / NaN: none). Kept apart from src_*, which are
   * always the transport's; optional so tables built elsewhere (generate, serve) need not carry them.
   */
  originPartition?: Int32Array;
  originOffset?: Float64Array;
}

export const DICT_COLUMNS = ['sessionId', 'experimentId', 'eventName', 'page', 'productId', 'storeMode', 'userAgent', 'srcTopic'] as const;
export type DictColumnName = (typeof DICT_COLUMNS)[number];
export const FLOAT_COLUMNS = ['ts', 'price', 'dwellMs', 'srcOffset', 'srcTs', 'originOffset'] as const;
export type FloatColumnName = (typeof FLOAT_COLUMNS)[number];

/** Grows a dictionary column: interns strings, doubles its code array on demand. */
export class DictBuilder {
  codes: Int32Array;
  readonly dict: string[] = [];
  private readonly index = new Map<string, number>();
  // the previous value and its code: rows arrive in runs (a session's events, one page, one user agent),
  // and comparing with the last string is cheaper than hashing a freshly decoded one
  private last: string | null = null;
  private lastCode = -1;
  constructor(capacity: number) {
    this.codes = new Int32Array(capacity);
  }
  /** Code for a string (interning it), −1 for null. */
  intern(value: string | null): number {
    if (value === null) return -1;
    if (value === this.last) return this.lastCode;
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.dict.length;
      this.dict.push(value);
      this.index.set(value, code);
    }
    this.last = value;
    this.lastCode = code;
    return code;
  }
  /**
   * Code for a string the caller knows is new to this column and will not intern again (a generated
   * session id): appended without entering the lookup index, which only `intern` consults.
   */
  fresh(value: string): number {
    this.dict.push(value);
    return this.dict.length - 1;
  }
  grow(capacity: number): void {
    const next = new Int32Array(capacity);
    next.set(this.codes);
    this.codes = next;
  }
}

function growFloat(a: Float64Array, capacity: number): Float64Array {
  const next = new Float64Array(capacity);
  next.set(a);
  return next;
}

/**
 * Accumulates event rows column by column and hands out tables in chunks (the "builders grow and flush"
 * pattern): `append` rows, `flush()` returns the table so far and starts a fresh one.
 */
export class EventsBuilder {
  length = 0;
  private capacity: number;
  dicts!: Record<DictColumnName, DictBuilder>;
  floats!: Record<FloatColumnName, Float64Array>;
  metadata: (string | null)[] = [];
  isAgent!: Int8Array;
  srcPartition!: Int32Array;
  /** created by the first row with a request; earlier rows of the chunk get nulls */
  requests: RequestColumnsBuilder | null = null;
  originPartition!: Int32Array;
  // sessionOrdinal → that session's code in the current chunk, valid where its epoch is this chunk's:
  // rows of sources that number their sessions skip hashing the id (one lookup per row saved). Opt-in
  // (`numberedSessions`): the tables cost 8 bytes per session of the whole export, so only a builder
  // reused for every chunk (the single-file sink) takes it, not one builder per output folder.
  private sessionCodes = new Int32Array(0);
  private sessionEpochs = new Int32Array(0);
  private epoch = 0;

  constructor(
    private readonly initialCapacity = 4096,
    private readonly numberedSessions = false,
  ) {
    this.capacity = initialCapacity;
    this.reset();
  }

  private reset(): void {
    this.epoch++;
    this.length = 0;
    this.capacity = this.initialCapacity;
    this.dicts = Object.fromEntries(DICT_COLUMNS.map((c) => [c, new DictBuilder(this.capacity)])) as Record<DictColumnName, DictBuilder>;
    this.floats = Object.fromEntries(FLOAT_COLUMNS.map((c) => [c, new Float64Array(this.capacity)])) as Record<FloatColumnName, Float64Array>;
    this.metadata = [];
    this.isAgent = new Int8Array(this.capacity);
    this.srcPartition = new Int32Array(this.capacity);
    this.requests = null;
    this.originPartition = new Int32Array(this.capacity);
  }

  /** Make room for one more row, doubling every column when full. */
  reserve(): number {
    if (this.length === this.capacity) {
      this.capacity *= 2;
      for (const c of DICT_COLUMNS) this.dicts[c].grow(this.capacity);
      for (const c of FLOAT_COLUMNS) this.floats[c] = growFloat(this.floats[c], this.capacity);
      const ia = new Int8Array(this.capacity);
      ia.set(this.isAgent);
      this.isAgent = ia;
      const sp = new Int32Array(this.capacity);
      sp.set(this.srcPartition);
      this.srcPartition = sp;
      this.requests?.grow(this.capacity);
      const op = new Int32Array(this.capacity);
      op.set(this.originPartition);
      this.originPartition = op;
    }
    // origin_* are null unless `append` sets them (writers that fill columns directly know nothing of envelopes)
    this.originPartition[this.length] = -1;
    this.floats.originOffset[this.length] = NaN;
    return this.length++;
  }

  append(row: EventRow): void {
    const i = this.reserve();
    const d = this.dicts;
    d.sessionId.codes[i] =
      row.sessionOrdinal === undefined || !this.numberedSessions ? d.sessionId.intern(row.sessionId) : this.sessionCode(row.sessionOrdinal, row.sessionId);
    d.experimentId.codes[i] = d.experimentId.intern(row.experimentId);
    d.eventName.codes[i] = d.eventName.intern(row.eventName);
    d.page.codes[i] = d.page.intern(row.page);
    d.productId.codes[i] = d.productId.intern(row.productId);
    d.storeMode.codes[i] = d.storeMode.intern(row.storeMode);
    d.userAgent.codes[i] = d.userAgent.intern(row.userAgent);
    d.srcTopic.codes[i] = d.srcTopic.intern(row.srcTopic);
    const f = this.floats;
    f.ts[i] = row.ts;
    f.price[i] = row.price ?? NaN;
    f.dwellMs[i] = row.dwellMs ?? NaN;
    f.srcOffset[i] = row.srcOffset ?? NaN;
    f.srcTs[i] = row.srcTs ?? NaN;
    f.originOffset[i] = row.originOffset ?? NaN;
    this.metadata[i] = row.metadata;
    this.isAgent[i] = row.isAgent === null ? -1 : row.isAgent ? 1 : 0;
    this.srcPartition[i] = row.srcPartition ?? -1;
    if (row.request !== undefined && this.requests === null) this.requests = new RequestColumnsBuilder(this.capacity, i);
    this.requests?.set(i, row.request);
    this.originPartition[i] = row.originPartition ?? -1;
  }

  /** The chunk's code of a numbered session: its first row in the chunk appends the id to the dictionary. */
  private sessionCode(ord: number, id: string): number {
    if (ord >= this.sessionCodes.length) {
      const n = Math.max(ord + 1, this.sessionCodes.length * 2, 1024);
      const codes = new Int32Array(n), epochs = new Int32Array(n);
      codes.set(this.sessionCodes);
      epochs.set(this.sessionEpochs);
      this.sessionCodes = codes;
      this.sessionEpochs = epochs;
    }
    if (this.sessionEpochs[ord] === this.epoch) return this.sessionCodes[ord]!;
    const code = this.dicts.sessionId.fresh(id);
    this.sessionCodes[ord] = code;
    this.sessionEpochs[ord] = this.epoch;
    return code;
  }

  /** The rows appended so far as a table (arrays trimmed to length); the builder starts empty again. */
  flush(): EventsTable {
    const n = this.length;
    const dict = (c: DictColumnName): DictColumn => ({ codes: this.dicts[c].codes.slice(0, n), dict: this.dicts[c].dict });
    const table: EventsTable = {
      length: n,
      sessionId: dict('sessionId'),
      experimentId: dict('experimentId'),
      ts: this.floats.ts.slice(0, n),
      eventName: dict('eventName'),
      page: dict('page'),
      productId: dict('productId'),
      storeMode: dict('storeMode'),
      price: this.floats.price.slice(0, n),
      dwellMs: this.floats.dwellMs.slice(0, n),
      userAgent: dict('userAgent'),
      metadata: this.metadata.slice(0, n),
      isAgent: this.isAgent.slice(0, n),
      srcTopic: dict('srcTopic'),
      srcPartition: this.srcPartition.slice(0, n),
      srcOffset: this.floats.srcOffset.slice(0, n),
      srcTs: this.floats.srcTs.slice(0, n),
      ...(this.requests === null ? {} : { requests: this.requests.flush(n) }),
      originPartition: this.originPartition.slice(0, n),
      originOffset: this.floats.originOffset.slice(0, n),
    };
    this.reset();
    return table;
  }
}

/** Decode row i of a table back to an EventRow (for tests, dead letters and small outputs, not hot loops). */
export function rowAt(t: EventsTable, i: number): EventRow {
  if (!Number.isInteger(i) || i < 0 || i >= t.length) throw new RangeError(`rowAt: row ${i} is outside the table's ${t.length} rows`);
  const s = (c: DictColumn): string | null => dictValue(c, i);
  const f = (a: Float64Array): number | null => {
    const x = a[i] ?? NaN;
    return Number.isNaN(x) ? null : x;
  };
  const srcPartition = t.srcPartition[i] ?? -1, originPartition = t.originPartition?.[i] ?? -1, originOffset = t.originOffset?.[i] ?? NaN;
  return {
    sessionId: s(t.sessionId)!,
    experimentId: s(t.experimentId),
    ts: t.ts[i] ?? NaN,
    eventName: s(t.eventName)!,
    page: s(t.page),
    productId: s(t.productId),
    storeMode: s(t.storeMode),
    price: f(t.price),
    dwellMs: f(t.dwellMs),
    userAgent: s(t.userAgent),
    metadata: t.metadata[i] ?? null,
    isAgent: t.isAgent[i] === -1 ? null : t.isAgent[i] === 1,
    srcTopic: s(t.srcTopic),
    srcPartition: srcPartition === -1 ? null : srcPartition,
    srcOffset: f(t.srcOffset),
    srcTs: f(t.srcTs),
    // present only when set, so rows of plain (non-envelope) records keep their shape
    ...(originPartition !== -1 ? { originPartition } : {}),
    ...(!Number.isNaN(originOffset) ? { originOffset } : {}),
  };
}

/** Codes of rows [start, end) against a dictionary of only the entries they use (first-use order). */
function sliceDict(c: DictColumn, start: number, end: number): DictColumn {
  const remap = new Int32Array(c.dict.length).fill(-1);
  const codes = new Int32Array(end - start);
  const dict: string[] = [];
  for (let i = start; i < end; i++) {
    const code = c.codes[i]!;
    if (code < 0) {
      codes[i - start] = -1;
      continue;
    }
    let m = remap[code]!;
    if (m < 0) {
      m = remap[code] = dict.length;
      dict.push(c.dict[code]!);
    }
    codes[i - start] = m;
  }
  return { codes, dict };
}

/**
 * Rows [start, end) as a table of their own: numeric columns are views, dictionary columns are re-coded
 * so each dictionary holds only the entries its rows use (a Parquet row group's dictionary page).
 * @example for (let a = 0; a < t.length; a += 250_000) encode(sliceRows(t, a, Math.min(a + 250_000, t.length)))
 */
export function sliceRows(t: EventsTable, start: number, end: number): EventsTable {
  if (start === 0 && end === t.length) return t;
  return {
    length: end - start,
    sessionId: sliceDict(t.sessionId, start, end),
    experimentId: sliceDict(t.experimentId, start, end),
    ts: t.ts.subarray(start, end),
    eventName: sliceDict(t.eventName, start, end),
    page: sliceDict(t.page, start, end),
    productId: sliceDict(t.productId, start, end),
    storeMode: sliceDict(t.storeMode, start, end),
    price: t.price.subarray(start, end),
    dwellMs: t.dwellMs.subarray(start, end),
    userAgent: sliceDict(t.userAgent, start, end),
    metadata: t.metadata.slice(start, end),
    isAgent: t.isAgent.subarray(start, end),
    srcTopic: sliceDict(t.srcTopic, start, end),
    srcPartition: t.srcPartition.subarray(start, end),
    srcOffset: t.srcOffset.subarray(start, end),
    srcTs: t.srcTs.subarray(start, end),
    ...(t.originPartition ? { originPartition: t.originPartition.subarray(start, end) } : {}),
    ...(t.originOffset ? { originOffset: t.originOffset.subarray(start, end) } : {}),
    ...(t.requests === undefined ? {} : { requests: sliceRequests(t.requests, start, end) }),
  };
}

function sliceRequests(r: RequestColumns, start: number, end: number): RequestColumns {
  return {
    method: sliceDict(r.method, start, end), path: sliceDict(r.path, start, end), query: sliceDict(r.query, start, end),
    protocol: sliceDict(r.protocol, start, end), status: r.status.subarray(start, end), bytes: r.bytes.subarray(start, end),
    durationMs: r.durationMs.subarray(start, end), referrer: sliceDict(r.referrer, start, end), resourceKind: sliceDict(r.resourceKind, start, end),
    site: sliceDict(r.site, start, end), clientAddress: sliceDict(r.clientAddress, start, end),
  };
}
