/**
 * The events table ⇄ Arrow record batches with the exact schema of docs/contract.md §3.
 */
import type * as arrow from '../io/arrow.js';
import { readDictColumn, readFlags, readNumbers, readStrings } from '../io/arrow-columns.js';
import { boolData, dictionaryData, float64Data, int32Data, int64Data, recordBatch, timestampMsData, utf8Data, utf8FromCodes } from '../io/arrow-vectors.js';
import type { RequestColumns } from './request-columns.js';
import type { EventsTable } from './table.js';

/** Bumped whenever the column set or a column's meaning changes. */
export const EVENTS_SCHEMA_VERSION = '2'; // 2: origin_partition, origin_offset

/** Column order of events.parquet. */
export const EVENT_COLUMNS = [
  'sessionId', 'experimentId', 'ts', 'eventName', 'page', 'productId', 'storeMode', 'price', 'dwellMs',
  'userAgent', 'metadata', 'is_agent', 'src_topic', 'src_partition', 'src_offset', 'src_ts', 'origin_partition', 'origin_offset',
] as const;

/** One record batch holding the table's rows in docs/contract.md §3 layout. */
export function eventsToBatch(t: EventsTable): arrow.RecordBatch {
  return recordBatch([
    { name: 'sessionId', data: dictionaryData(t.sessionId.codes, t.sessionId.dict, 0), nullable: false },
    { name: 'experimentId', data: utf8FromCodes(t.experimentId.codes, t.experimentId.dict), nullable: true },
    { name: 'ts', data: timestampMsData(t.ts), nullable: false },
    { name: 'eventName', data: dictionaryData(t.eventName.codes, t.eventName.dict, 1), nullable: false },
    { name: 'page', data: utf8FromCodes(t.page.codes, t.page.dict), nullable: true },
    { name: 'productId', data: utf8FromCodes(t.productId.codes, t.productId.dict), nullable: true },
    { name: 'storeMode', data: dictionaryData(t.storeMode.codes, t.storeMode.dict, 2), nullable: true },
    { name: 'price', data: float64Data(t.price), nullable: true },
    { name: 'dwellMs', data: float64Data(t.dwellMs), nullable: true },
    { name: 'userAgent', data: utf8FromCodes(t.userAgent.codes, t.userAgent.dict), nullable: true },
    { name: 'metadata', data: utf8Data(t.metadata), nullable: true },
    { name: 'is_agent', data: boolData(t.isAgent), nullable: true },
    { name: 'src_topic', data: utf8FromCodes(t.srcTopic.codes, t.srcTopic.dict), nullable: true },
    { name: 'src_partition', data: int32Data(t.srcPartition), nullable: true },
    { name: 'src_offset', data: int64Data(t.srcOffset), nullable: true },
    { name: 'src_ts', data: timestampMsData(t.srcTs), nullable: true },
    { name: 'origin_partition', data: int32Data(originPartitions(t)), nullable: true },
    { name: 'origin_offset', data: int64Data(originOffsets(t)), nullable: true },
    ...(t.requests === undefined ? [] : requestFields(t.requests)),
  ]);
}

/** The envelope partitions of a table (all null, −1, when it carries none). */
export function originPartitions(t: EventsTable): Int32Array {
  return t.originPartition ?? new Int32Array(t.length).fill(-1);
}

/** The envelope offsets of a table (all null, NaN, when it carries none). */
export function originOffsets(t: EventsTable): Float64Array {
  return t.originOffset ?? new Float64Array(t.length).fill(NaN);
}

/** The request columns (docs/access-logs.md) as Arrow fields, in REQUEST_COLUMNS order. */
function requestFields(r: RequestColumns): { name: string; data: arrow.Data; nullable: boolean }[] {
  const s = (name: string, c: { codes: Int32Array; dict: string[] }) => ({ name, data: utf8FromCodes(c.codes, c.dict) as arrow.Data, nullable: true });
  return [
    s('method', r.method), s('path', r.path), s('query', r.query), s('protocol', r.protocol),
    { name: 'status', data: int32Data(r.status), nullable: true },
    { name: 'bytes', data: int64Data(r.bytes), nullable: true },
    { name: 'duration_ms', data: float64Data(r.durationMs), nullable: true },
    s('referrer', r.referrer), s('resource_kind', r.resourceKind), s('site', r.site), s('client_address', r.clientAddress),
  ];
}

/** Request columns of an Arrow table, or undefined when it has none (it must have all of them). */
function requestsFromArrow(table: arrow.Table, n: number): RequestColumns | undefined {
  if (child(table, 'resource_kind') === null) return undefined;
  const status = readNumbers(child(table, 'status'), n);
  const st = new Int32Array(n);
  for (let i = 0; i < n; i++) st[i] = Number.isNaN(status[i]!) ? -1 : status[i]!;
  const d = (name: string) => readDictColumn(child(table, name), n);
  return {
    method: d('method'), path: d('path'), query: d('query'), protocol: d('protocol'), status: st, bytes: readNumbers(child(table, 'bytes'), n),
    durationMs: readNumbers(child(table, 'duration_ms'), n), referrer: d('referrer'), resourceKind: d('resource_kind'), site: d('site'), clientAddress: d('client_address'),
  };
}

function child(table: arrow.Table, name: string): arrow.Vector | null {
  return table.getChild(name);
}

/**
 * An Arrow table (events.parquet, or any file with at least sessionId, eventName, ts) → events table.
 * Columns that are absent come back as all-null.
 */
export function eventsFromArrow(table: arrow.Table): EventsTable {
  const n = table.numRows;
  const isAgent = readFlags(child(table, 'is_agent'), n);
  const partition = readNumbers(child(table, 'src_partition'), n);
  const srcPartition = new Int32Array(n);
  for (let i = 0; i < n; i++) srcPartition[i] = Number.isNaN(partition[i]!) ? -1 : partition[i]!;
  const requests = requestsFromArrow(table, n);
  const origin = readNumbers(child(table, 'origin_partition'), n);
  const originPartition = new Int32Array(n);
  for (let i = 0; i < n; i++) originPartition[i] = Number.isNaN(origin[i]!) ? -1 : origin[i]!;
  return {
    length: n,
    sessionId: readDictColumn(child(table, 'sessionId'), n),
    experimentId: readDictColumn(child(table, 'experimentId'), n),
    ts: readNumbers(child(table, 'ts'), n),
    eventName: readDictColumn(child(table, 'eventName'), n),
    page: readDictColumn(child(table, 'page'), n),
    productId: readDictColumn(child(table, 'productId'), n),
    storeMode: readDictColumn(child(table, 'storeMode'), n),
    price: readNumbers(child(table, 'price'), n),
    dwellMs: readNumbers(child(table, 'dwellMs'), n),
    userAgent: readDictColumn(child(table, 'userAgent'), n),
    metadata: readStrings(child(table, 'metadata'), n),
    isAgent,
    srcTopic: readDictColumn(child(table, 'src_topic'), n),
    srcPartition,
    srcOffset: readNumbers(child(table, 'src_offset'), n),
    srcTs: readNumbers(child(table, 'src_ts'), n),
    originPartition,
    originOffset: readNumbers(child(table, 'origin_offset'), n),
    ...(requests === undefined ? {} : { requests }),
  };
}
