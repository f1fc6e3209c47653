/**
 * The events table → one Parquet row group with docs/contract.md §3's schema, encoded straight from the typed
 * arrays (no Arrow objects; only the compression codec is WASM). Dictionary columns become a dictionary
 * page plus RLE_DICTIONARY pages of their codes. The Parquet types and repetitions are those arrow-rs
 * (parquet-wasm) wrote for `eventsToBatch`'s schema, and the footer's `ARROW:schema` entry tells Arrow
 * readers the Arrow types (Dictionary<Int32, Utf8> for sessionId/eventName/storeMode).
 *
 * A row group's offsets are relative to its own bytes, so row groups can be encoded on any thread and
 * placed later by `EventsParquetFileWriter`.
 */
import * as arrow from '../io/arrow.js';
import { ColumnChunkWriter, PAGE_ROWS } from '../io/parquet-encode.js';
import type { ParquetCodec } from '../io/parquet-codecs.js';
import { type ColumnMetaData, ConvertedType, PhysicalType, Repetition, type SchemaElement } from '../io/parquet-thrift.js';
import { type EVENT_COLUMNS, eventsToBatch, originOffsets, originPartitions } from './arrow.js';
import { type DictColumnName, EventsBuilder, type EventsTable, sliceRows } from './table.js';
import type { RequestDictColumn } from './request-columns.js';
import type { RequestColumnName } from './schema.js';

/** One encoded row group: every column chunk's pages, back to back in schema order. */
export interface EncodedRowGroup {
  numRows: number;
  bytes: Uint8Array;
  /** one per column, offsets relative to the start of `bytes` */
  columns: ColumnMetaData[];
  /** the row group has the request columns (docs/access-logs.md) */
  withRequests: boolean;
}

type Encode = (w: ColumnChunkWriter, t: EventsTable, path: string[], required: boolean) => ColumnMetaData;

interface EventsColumn {
  name: (typeof EVENT_COLUMNS)[number] | RequestColumnName;
  required: boolean;
  schema: Omit<SchemaElement, 'name' | 'repetition'>;
  encode: Encode;
}

const STRING = { type: PhysicalType.BYTE_ARRAY, convertedType: ConvertedType.UTF8, logicalType: { kind: 'string' } } as const;
const TIMESTAMP_MS = { type: PhysicalType.INT64, convertedType: ConvertedType.TIMESTAMP_MILLIS, logicalType: { kind: 'timestamp-millis', utc: true } } as const;

const dict = (c: DictColumnName): Encode => (w, t, path, required) => w.dictionary(path, t[c].codes, t[c].dict, required);

const column = (name: EventsColumn['name'], required: boolean, schema: EventsColumn['schema'], encode: Encode): EventsColumn => ({ name, required, schema, encode });

/** The columns of events.parquet in EVENT_COLUMNS order. */
const COLUMNS: readonly EventsColumn[] = [
  column('sessionId', true, STRING, dict('sessionId')),
  column('experimentId', false, STRING, dict('experimentId')),
  column('ts', true, TIMESTAMP_MS, (w, t, p, r) => w.int64s(p, t.ts, r)),
  column('eventName', true, STRING, dict('eventName')),
  column('page', false, STRING, dict('page')),
  column('productId', false, STRING, dict('productId')),
  column('storeMode', false, STRING, dict('storeMode')),
  column('price', false, { type: PhysicalType.DOUBLE }, (w, t, p, r) => w.doubles(p, t.price, r)),
  column('dwellMs', false, { type: PhysicalType.DOUBLE }, (w, t, p, r) => w.doubles(p, t.dwellMs, r)),
  column('userAgent', false, STRING, dict('userAgent')),
  column('metadata', false, STRING, (w, t, p, r) => w.strings(p, t.metadata, r)),
  column('is_agent', false, { type: PhysicalType.BOOLEAN }, (w, t, p, r) => w.booleans(p, t.isAgent, r)),
  column('src_topic', false, STRING, dict('srcTopic')),
  column('src_partition', false, { type: PhysicalType.INT32 }, (w, t, p, r) => w.int32s(p, t.srcPartition, -1, r)),
  column('src_offset', false, { type: PhysicalType.INT64 }, (w, t, p, r) => w.int64s(p, t.srcOffset, r)),
  column('src_ts', false, TIMESTAMP_MS, (w, t, p, r) => w.int64s(p, t.srcTs, r)),
  column('origin_partition', false, { type: PhysicalType.INT32 }, (w, t, p, r) => w.int32s(p, originPartitions(t), -1, r)),
  column('origin_offset', false, { type: PhysicalType.INT64 }, (w, t, p, r) => w.int64s(p, originOffsets(t), r)),
];

const reqDict = (c: RequestDictColumn): Encode => (w, t, path, required) => w.dictionary(path, t.requests![c].codes, t.requests![c].dict, required);

/** The request columns (REQUEST_COLUMNS in schema.ts), after COLUMNS, only in files from access logs. */
const REQUEST_PARQUET_COLUMNS: readonly EventsColumn[] = [
  column('method', false, STRING, reqDict('method')),
  column('path', false, STRING, reqDict('path')),
  column('query', false, STRING, reqDict('query')),
  column('protocol', false, STRING, reqDict('protocol')),
  column('status', false, { type: PhysicalType.INT32 }, (w, t, p, r) => w.int32s(p, t.requests!.status, -1, r)),
  column('bytes', false, { type: PhysicalType.INT64 }, (w, t, p, r) => w.int64s(p, t.requests!.bytes, r)),
  column('duration_ms', false, { type: PhysicalType.DOUBLE }, (w, t, p, r) => w.doubles(p, t.requests!.durationMs, r)),
  column('referrer', false, STRING, reqDict('referrer')),
  column('resource_kind', false, STRING, reqDict('resourceKind')),
  column('site', false, STRING, reqDict('site')),
  column('client_address', false, STRING, reqDict('clientAddress')),
];

const columnsOf = (withRequests: boolean): readonly EventsColumn[] => (withRequests ? [...COLUMNS, ...REQUEST_PARQUET_COLUMNS] : COLUMNS);

/** The Parquet schema of events.parquet: the root (named as arrow-rs names it) and one leaf per column. */
export function eventsParquetSchema(withRequests: boolean): SchemaElement[] {
  const cols = columnsOf(withRequests);
  return [
    { name: 'arrow_schema', numChildren: cols.length },
    ...cols.map((c) => ({ name: c.name, repetition: c.required ? Repetition.REQUIRED : Repetition.OPTIONAL, ...c.schema })),
  ];
}

/** The schema of files without request columns (docs/contract.md §3). */
export const EVENTS_PARQUET_SCHEMA: readonly SchemaElement[] = eventsParquetSchema(false);

const arrowSchemas = new Map<boolean, string>();

/**
 * The `ARROW:schema` footer value: base64 of the IPC-encapsulated Schema message (0xFFFFFFFF, int32
 * length, flatbuffer) of `eventsToBatch`'s schema — the one definition of the Arrow types — as arrow-rs
 * stores it. Built once per thread by apache-arrow's IPC writer.
 * @example keyValueMetadata.push(['ARROW:schema', eventsArrowSchema()])
 */
export function eventsArrowSchema(withRequests = false): string {
  let schema = arrowSchemas.get(withRequests);
  if (schema === undefined) {
    const empty = new EventsBuilder(1).flush();
    if (withRequests) empty.requests = emptyRequests();
    const ipc = arrow.tableToIPC(new arrow.Table(eventsToBatch(empty)), 'stream');
    const length = new DataView(ipc.buffer, ipc.byteOffset, 8).getInt32(4, true);
    schema = Buffer.from(ipc.subarray(0, 8 + length)).toString('base64');
    arrowSchemas.set(withRequests, schema);
  }
  return schema;
}

function emptyRequests(): NonNullable<EventsTable['requests']> {
  const d = () => ({ codes: new Int32Array(0), dict: [] });
  return { method: d(), path: d(), query: d(), protocol: d(), status: new Int32Array(0), bytes: new Float64Array(0), durationMs: new Float64Array(0), referrer: d(), resourceKind: d(), site: d(), clientAddress: d() };
}

// one writer per thread, reused: its page and output buffers keep their grown sizes between row groups
let writer: ColumnChunkWriter | null = null;

/**
 * Encode a non-empty events table as one row group, compressed with `codec`.
 * @example const rg = encodeEventsRowGroup(table, await parquetCodec('zstd')); await writer.appendRowGroup(rg)
 */
export function encodeEventsRowGroup(table: EventsTable, codec: ParquetCodec): EncodedRowGroup {
  if (table.length === 0) throw new Error('an empty events table makes no row group');
  const w = (writer ??= new ColumnChunkWriter(codec, PAGE_ROWS, 1 << 22));
  w.reset(codec);
  const withRequests = table.requests !== undefined;
  const columns = columnsOf(withRequests).map((c) => c.encode(w, table, [c.name], c.required));
  return { numRows: table.length, bytes: new Uint8Array(w.out.view()), columns, withRequests };
}

/**
 * A table cut into row-group-sized tables (views; dictionaries re-coded per part), for chunks larger
 * than the row-group size.
 * @example for (const part of rowGroupParts(chunk, 250_000)) rgs.push(encodeEventsRowGroup(part, codec))
 */
export function* rowGroupParts(table: EventsTable, maxRows: number): Generator<EventsTable> {
  for (let a = 0; a < table.length; a += maxRows) yield sliceRows(table, a, Math.min(a + maxRows, table.length));
}
