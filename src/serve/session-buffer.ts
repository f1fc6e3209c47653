/**
 * One live session's normalised events, columnar: the same columns `phantom features` and the kernels
 * read from an events table (SPEC §1.3), grown by doubling. Features are computed by handing this one
 * session's columns to the batch kernels (`computeSessionFeatures`), so there is no second
 * implementation of any feature. Rows also have a compact JSON form for the shared Redis list.
 */
import type { EventRow } from '../events/normalise.js';
import { DictBuilder, type DictColumn, type EventsTable } from '../events/table.js';
import { baseFirstPrice, type FeatureEvents } from '../features/feature-events.js';

/** A row as stored in Redis: [ts, eventName, page, productId, price, priceBaseFirst, dwellMs, userAgent, experimentId, isAgent, srcOffset]. */
export type StoredRow = [number, string, string | null, string | null, number | null, number | null, number | null, string | null, string | null, -1 | 0 | 1, number | null];

const FLOATS = ['ts', 'price', 'priceBaseFirst', 'dwellMs', 'srcOffset'] as const;
const DICTS = ['eventName', 'page', 'productId', 'userAgent', 'experimentId'] as const;

/**
 * The compact stored form of a normalised event (the base-price-first price is resolved here, once).
 * @example toStoredRow(normalise(record).row)
 */
export function toStoredRow(row: EventRow): StoredRow {
  const baseFirst = row.metadata !== null && row.metadata.includes('base_price') ? baseFirstPrice(row.metadata, row.price ?? NaN) : (row.price ?? NaN);
  return [row.ts, row.eventName, row.page, row.productId, row.price, Number.isNaN(baseFirst) ? null : baseFirst, row.dwellMs, row.userAgent, row.experimentId, row.isAgent === null ? -1 : row.isAgent ? 1 : 0, row.srcOffset];
}

export class SessionBuffer {
  length = 0;
  private capacity: number;
  private readonly floats: Record<(typeof FLOATS)[number], Float64Array>;
  private readonly dicts: Record<(typeof DICTS)[number], DictBuilder>;
  private isAgent: Int8Array;

  constructor(readonly sessionId: string, capacity = 16) {
    this.capacity = capacity;
    this.floats = Object.fromEntries(FLOATS.map((c) => [c, new Float64Array(capacity)])) as SessionBuffer['floats'];
    this.dicts = Object.fromEntries(DICTS.map((c) => [c, new DictBuilder(capacity)])) as SessionBuffer['dicts'];
    this.isAgent = new Int8Array(capacity);
  }

  /** Append one stored row. @example buf.append(toStoredRow(row)) */
  append(r: StoredRow): void {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    const f = this.floats, d = this.dicts;
    f.ts[i] = r[0];
    f.price[i] = r[4] ?? NaN;
    f.priceBaseFirst[i] = r[5] ?? NaN;
    f.dwellMs[i] = r[6] ?? NaN;
    f.srcOffset[i] = r[10] ?? NaN;
    d.eventName.codes[i] = d.eventName.intern(r[1]);
    d.page.codes[i] = d.page.intern(r[2]);
    d.productId.codes[i] = d.productId.intern(r[3]);
    d.userAgent.codes[i] = d.userAgent.intern(r[7]);
    d.experimentId.codes[i] = d.experimentId.intern(r[8]);
    this.isAgent[i] = r[9];
  }

  private grow(): void {
    this.capacity *= 2;
    for (const c of FLOATS) {
      const next = new Float64Array(this.capacity);
      next.set(this.floats[c]);
      this.floats[c] = next;
    }
    for (const c of DICTS) this.dicts[c].grow(this.capacity);
    const ia = new Int8Array(this.capacity);
    ia.set(this.isAgent);
    this.isAgent = ia;
  }

  private dict(c: (typeof DICTS)[number]): DictColumn {
    return { codes: this.dicts[c].codes.subarray(0, this.length), dict: this.dicts[c].dict };
  }

  /** The session's columns as the feature kernels read them (views, no copy). */
  featureEvents(): FeatureEvents {
    const n = this.length, f = this.floats;
    return {
      length: n, sessionId: { codes: new Int32Array(n), dict: [this.sessionId] }, experimentId: this.dict('experimentId'),
      ts: f.ts.subarray(0, n), eventName: this.dict('eventName'), page: this.dict('page'), productId: this.dict('productId'),
      price: f.price.subarray(0, n), dwellMs: f.dwellMs.subarray(0, n), userAgent: this.dict('userAgent'),
      isAgent: this.isAgent.subarray(0, n), srcOffset: f.srcOffset.subarray(0, n), priceBaseFirst: f.priceBaseFirst.subarray(0, n),
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
    const f = this.floats, d = this.dicts;
    const str = (c: (typeof DICTS)[number]): string | null => (d[c].codes[i]! < 0 ? null : d[c].dict[d[c].codes[i]!]!);
    const num = (a: Float64Array): number | null => (Number.isNaN(a[i]!) ? null : a[i]!);
    return [f.ts[i]!, str('eventName')!, str('page'), str('productId'), num(f.price), num(f.priceBaseFirst), num(f.dwellMs), str('userAgent'), str('experimentId'), this.isAgent[i] as -1 | 0 | 1, num(f.srcOffset)];
  }

  /** Bytes held by the typed arrays (for the memory bound). */
  get bytes(): number {
    return this.capacity * (FLOATS.length * 8 + DICTS.length * 4 + 1);
  }
}
