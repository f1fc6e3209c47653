/**
 * The request columns of an events table (REQUEST_COLUMNS in schema.ts, docs/access-logs.md): typed
 * arrays beside the docs/contract.md §3 columns, present only when the source had requests (access logs).
 * Nulls: code −1 in dictionary columns, −1 in `status`, NaN in `bytes` and `durationMs`.
 */
import type { ResourceKind } from './schema.js';
import { type DictColumn, DictBuilder } from './table.js';
import { dictValue } from '../io/dict-column.js';

/** One request's fields as a source produces them. */
export interface RequestFields {
  method: string | null;
  path: string | null;
  query: string | null;
  protocol: string | null;
  status: number | null;
  bytes: number | null;
  durationMs: number | null;
  referrer: string | null;
  resourceKind: ResourceKind;
  site: string | null;
  clientAddress: string | null;
}

export const REQUEST_DICT_COLUMNS = ['method', 'path', 'query', 'protocol', 'referrer', 'resourceKind', 'site', 'clientAddress'] as const;
export type RequestDictColumn = (typeof REQUEST_DICT_COLUMNS)[number];

export interface RequestColumns {
  method: DictColumn;
  path: DictColumn;
  query: DictColumn;
  protocol: DictColumn;
  /** −1 null */
  status: Int32Array;
  /** NaN null */
  bytes: Float64Array;
  /** NaN null */
  durationMs: Float64Array;
  referrer: DictColumn;
  resourceKind: DictColumn;
  site: DictColumn;
  clientAddress: DictColumn;
}

/** Grows the request columns row by row (rows before the first request are null). */
export class RequestColumnsBuilder {
  private dicts: Record<RequestDictColumn, DictBuilder>;
  private status: Int32Array;
  private bytes: Float64Array;
  private durationMs: Float64Array;

  constructor(capacity: number, filledRows: number) {
    this.dicts = Object.fromEntries(REQUEST_DICT_COLUMNS.map((c) => [c, new DictBuilder(capacity)])) as Record<RequestDictColumn, DictBuilder>;
    for (const c of REQUEST_DICT_COLUMNS) this.dicts[c].codes.fill(-1, 0, filledRows);
    this.status = new Int32Array(capacity).fill(-1, 0, filledRows);
    this.bytes = new Float64Array(capacity).fill(NaN, 0, filledRows);
    this.durationMs = new Float64Array(capacity).fill(NaN, 0, filledRows);
  }

  grow(capacity: number): void {
    for (const c of REQUEST_DICT_COLUMNS) this.dicts[c].grow(capacity);
    const st = new Int32Array(capacity);
    st.set(this.status);
    this.status = st;
    const b = new Float64Array(capacity);
    b.set(this.bytes);
    this.bytes = b;
    const d = new Float64Array(capacity);
    d.set(this.durationMs);
    this.durationMs = d;
  }

  /** Row i: the request's fields, or all null. */
  set(i: number, r: RequestFields | undefined): void {
    const d = this.dicts;
    if (r === undefined) {
      for (const c of REQUEST_DICT_COLUMNS) d[c].codes[i] = -1;
      this.status[i] = -1;
      this.bytes[i] = NaN;
      this.durationMs[i] = NaN;
      return;
    }
    d.method.codes[i] = d.method.intern(r.method);
    d.path.codes[i] = d.path.intern(r.path);
    d.query.codes[i] = d.query.intern(r.query);
    d.protocol.codes[i] = d.protocol.intern(r.protocol);
    d.referrer.codes[i] = d.referrer.intern(r.referrer);
    d.resourceKind.codes[i] = d.resourceKind.intern(r.resourceKind);
    d.site.codes[i] = d.site.intern(r.site);
    d.clientAddress.codes[i] = d.clientAddress.intern(r.clientAddress);
    this.status[i] = r.status ?? -1;
    this.bytes[i] = r.bytes ?? NaN;
    this.durationMs[i] = r.durationMs ?? NaN;
  }

  /** The first n rows as columns (arrays trimmed). */
  flush(n: number): RequestColumns {
    const dict = (c: RequestDictColumn): DictColumn => ({ codes: this.dicts[c].codes.slice(0, n), dict: this.dicts[c].dict });
    return {
      method: dict('method'), path: dict('path'), query: dict('query'), protocol: dict('protocol'), status: this.status.slice(0, n),
      bytes: this.bytes.slice(0, n), durationMs: this.durationMs.slice(0, n), referrer: dict('referrer'), resourceKind: dict('resourceKind'),
      site: dict('site'), clientAddress: dict('clientAddress'),
    };
  }
}

/** Decode row i (tests, small outputs). */
export function requestAt(r: RequestColumns, i: number): RequestFields {
  const s = (c: DictColumn): string | null => dictValue(c, i);
  const status = r.status[i] ?? -1, bytes = r.bytes[i] ?? NaN, durationMs = r.durationMs[i] ?? NaN;
  return {
    method: s(r.method), path: s(r.path), query: s(r.query), protocol: s(r.protocol), status: status < 0 ? null : status,
    bytes: Number.isNaN(bytes) ? null : bytes, durationMs: Number.isNaN(durationMs) ? null : durationMs,
    referrer: s(r.referrer), resourceKind: s(r.resourceKind) as ResourceKind, site: s(r.site), clientAddress: s(r.clientAddress),
  };
}

/** Typed-array buffers of the columns (for transfer to a writer thread). */
export function requestBuffers(r: RequestColumns): ArrayBuffer[] {
  return [...REQUEST_DICT_COLUMNS.map((c) => r[c].codes.buffer as ArrayBuffer), r.status.buffer as ArrayBuffer, r.bytes.buffer as ArrayBuffer, r.durationMs.buffer as ArrayBuffer];
}
