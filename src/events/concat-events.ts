/**
 * Several events tables as one, rows in the order given (files in argument order, rows in file order) —
 * the table a reader would get from the concatenated file. Dictionaries are merged in first-use order;
 * request columns are kept only when every part has them.
 */
import type { RequestColumns, RequestDictColumn } from './request-columns.js';
import { DICT_COLUMNS, type DictColumn, type EventsTable, type FLOAT_COLUMNS } from './table.js';

/** One dictionary column from parts, codes remapped into a merged dictionary. */
function concatDict(parts: readonly DictColumn[], length: number): DictColumn {
  const codes = new Int32Array(length);
  const dict: string[] = [];
  const index = new Map<string, number>();
  let at = 0;
  for (const p of parts) {
    const remap = Int32Array.from(p.dict, (v) => {
      let c = index.get(v);
      if (c === undefined) index.set(v, (c = dict.push(v) - 1));
      return c;
    });
    for (let i = 0; i < p.codes.length; i++) codes[at + i] = p.codes[i]! < 0 ? -1 : remap[p.codes[i]!]!;
    at += p.codes.length;
  }
  return { codes, dict };
}

/** Typed arrays end to end; `fill` stands in for parts that lack the column. */
function concatTyped<A extends Float64Array | Int32Array | Int8Array>(make: (n: number) => A, parts: readonly (A | undefined)[], lengths: readonly number[], fill: number): A {
  const out = make(lengths.reduce((a, b) => a + b, 0));
  let at = 0;
  lengths.forEach((len, k) => {
    const p = parts[k];
    if (p === undefined) out.fill(fill, at, at + len);
    else out.set(p, at);
    at += len;
  });
  return out;
}

function concatRequests(parts: readonly RequestColumns[], lengths: readonly number[], n: number): RequestColumns {
  const dict = (k: RequestDictColumn): DictColumn => concatDict(parts.map((r) => r[k]), n);
  return {
    method: dict('method'), path: dict('path'), query: dict('query'), protocol: dict('protocol'),
    status: concatTyped((m) => new Int32Array(m), parts.map((r) => r.status), lengths, -1),
    bytes: concatTyped((m) => new Float64Array(m), parts.map((r) => r.bytes), lengths, NaN),
    durationMs: concatTyped((m) => new Float64Array(m), parts.map((r) => r.durationMs), lengths, NaN),
    referrer: dict('referrer'), resourceKind: dict('resourceKind'), site: dict('site'), clientAddress: dict('clientAddress'),
  };
}

/**
 * Concatenate events tables (one part is returned as it is).
 * @example const table = concatEvents([await readEventsParquet('a.parquet'), await readEventsParquet('b.parquet')])
 */
export function concatEvents(parts: readonly EventsTable[]): EventsTable {
  const [only] = parts;
  if (parts.length === 1 && only !== undefined) return only;
  const lengths = parts.map((t) => t.length);
  const n = lengths.reduce((a, b) => a + b, 0);
  const dicts = Object.fromEntries(DICT_COLUMNS.map((c) => [c, concatDict(parts.map((t) => t[c]), n)])) as Record<(typeof DICT_COLUMNS)[number], DictColumn>;
  const float = (c: (typeof FLOAT_COLUMNS)[number]): Float64Array => concatTyped((m) => new Float64Array(m), parts.map((t) => t[c]), lengths, NaN);
  const requests = parts.every((t) => t.requests !== undefined) ? concatRequests(parts.map((t) => t.requests!), lengths, n) : undefined;
  const origins = parts.some((t) => t.originPartition !== undefined || t.originOffset !== undefined);
  return {
    length: n, ...dicts,
    ts: float('ts'), price: float('price'), dwellMs: float('dwellMs'), srcOffset: float('srcOffset'), srcTs: float('srcTs'),
    metadata: parts.flatMap((t) => t.metadata),
    isAgent: concatTyped((m) => new Int8Array(m), parts.map((t) => t.isAgent), lengths, -1),
    srcPartition: concatTyped((m) => new Int32Array(m), parts.map((t) => t.srcPartition), lengths, -1),
    ...(origins ? { originPartition: concatTyped((m) => new Int32Array(m), parts.map((t) => t.originPartition), lengths, -1), originOffset: float('originOffset') } : {}),
    ...(requests === undefined ? {} : { requests }),
  };
}
