/**
 * The columns session features read: a slice of the events table (docs/contract.md §3), plus the `original`
 * set's price (metadata.base_price first). Any EventsTable is one (`fromEventsTable`); the Parquet
 * loader fills only these columns.
 */
import type { DictColumn, EventsTable } from '../events/table.js';
import type { RequestColumns } from './requests.js';

export type FeatureEvents = Pick<
  EventsTable,
  'length' | 'sessionId' | 'experimentId' | 'ts' | 'eventName' | 'page' | 'productId' | 'price' | 'dwellMs' | 'userAgent' | 'isAgent' | 'srcOffset'
> & {
  /** metadata.base_price, else metadata.price (the `original` set); null when not loaded */
  priceBaseFirst: Float64Array | null;
  /** the request columns (events from access logs); absent or null → no `requests` features */
  requests?: RequestColumns | null;
  /** the `site` column (virtual host), kept per session in sessions.parquet; absent or null → null sites */
  site?: DictColumn | null;
};

/** base_price-first price of one metadata JSON text, or `fallback` (the price column) when it has none. */
export function baseFirstPrice(metadata: string, fallback: number): number {
  let meta: unknown;
  try {
    meta = JSON.parse(metadata);
  } catch {
    return fallback;
  }
  if (typeof meta !== 'object' || meta === null) return fallback;
  const bp = (meta as Record<string, unknown>)['base_price'];
  return typeof bp === 'number' && Number.isFinite(bp) ? bp : fallback;
}

/**
 * The feature columns of an events table; with `baseFirst`, also the `original` set's price, parsing
 * only the metadata texts that mention `base_price`.
 * @example computeSessionFeatures(fromEventsTable(table, false), { featureSet: 'default' })
 */
export function fromEventsTable(t: EventsTable, baseFirst: boolean): FeatureEvents {
  let priceBaseFirst: Float64Array | null = null;
  if (baseFirst) {
    priceBaseFirst = t.price.slice();
    for (let i = 0; i < t.length; i++) {
      const m = t.metadata[i];
      if (m?.includes('base_price')) priceBaseFirst[i] = baseFirstPrice(m, t.price[i]!);
    }
  }
  return {
    length: t.length, sessionId: t.sessionId, experimentId: t.experimentId, ts: t.ts, eventName: t.eventName, page: t.page,
    productId: t.productId, price: t.price, dwellMs: t.dwellMs, userAgent: t.userAgent, isAgent: t.isAgent, srcOffset: t.srcOffset, priceBaseFirst,
  };
}

/** Rows `keep` (ascending indices) of several inputs, concatenated in order, dictionaries re-encoded. */
export function concatFeatureEvents(parts: readonly { events: FeatureEvents; rows: Uint32Array }[], baseFirst: boolean): FeatureEvents {
  const n = parts.reduce((a, p) => a + p.rows.length, 0);
  const dictCol = (pick: (e: FeatureEvents) => DictColumn | null | undefined): DictColumn => {
    const codes = new Int32Array(n);
    const dict: string[] = [];
    const index = new Map<string, number>();
    let o = 0;
    for (const p of parts) {
      const src = pick(p.events) ?? { codes: new Int32Array(p.events.length).fill(-1), dict: [] };
      const remap = new Int32Array(src.dict.length).fill(-2);
      for (const r of p.rows) {
        const c = src.codes[r]!;
        if (c >= 0 && remap[c] === -2) {
          const s = src.dict[c]!;
          let g = index.get(s);
          if (g === undefined) index.set(s, (g = dict.push(s) - 1));
          remap[c] = g;
        }
        codes[o++] = c < 0 ? -1 : remap[c]!;
      }
    }
    return { codes, dict };
  };
  const gather = <A extends Float64Array | Int8Array>(pick: (e: FeatureEvents) => A, make: (n: number) => A): A => {
    const out = make(n);
    let o = 0;
    for (const p of parts) for (const r of p.rows) out[o++] = pick(p.events)[r]!;
    return out;
  };
  const f64 = (k: number) => new Float64Array(k);
  // request columns and site: kept when any part has them, null in the rows of parts without
  const any = (pick: (e: FeatureEvents) => unknown): boolean => parts.some((p) => pick(p.events) != null);
  const optDict = (pick: (e: FeatureEvents) => DictColumn | null | undefined): DictColumn | null => (any(pick) ? dictCol(pick) : null);
  const optNum = (pick: (e: FeatureEvents) => Float64Array | null | undefined): Float64Array | null => {
    if (!any(pick)) return null;
    const out = new Float64Array(n).fill(NaN);
    let o = 0;
    for (const p of parts) {
      const v = pick(p.events);
      for (const r of p.rows) out[o++] = v != null ? v[r]! : NaN;
    }
    return out;
  };
  const requests = any((e) => e.requests) ? {
    resource_kind: dictCol((e) => e.requests?.resource_kind), method: optDict((e) => e.requests?.method), path: optDict((e) => e.requests?.path),
    query: optDict((e) => e.requests?.query), referrer: optDict((e) => e.requests?.referrer),
    status: optNum((e) => e.requests?.status), bytes: optNum((e) => e.requests?.bytes),
  } : null;
  return {
    requests, site: optDict((e) => e.site),
    length: n, sessionId: dictCol((e) => e.sessionId), experimentId: dictCol((e) => e.experimentId), ts: gather((e) => e.ts, f64),
    eventName: dictCol((e) => e.eventName), page: dictCol((e) => e.page), productId: dictCol((e) => e.productId),
    price: gather((e) => e.price, f64), dwellMs: gather((e) => e.dwellMs, f64), userAgent: dictCol((e) => e.userAgent),
    isAgent: gather((e) => e.isAgent, (k) => new Int8Array(k)), srcOffset: gather((e) => e.srcOffset, f64),
    priceBaseFirst: baseFirst ? gather((e) => e.priceBaseFirst ?? e.price, f64) : null,
  };
}
