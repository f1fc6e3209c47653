/**
 * The events table → one Parquet row group with SPEC §1.3's schema, encoded straight from the typed
 * arrays (no Arrow objects; only the compression codec is WASM). Dictionary columns become a dictionary
 * page plus RLE_DICTIONARY pages of their codes. The Parquet types and repetitions are those arrow-rs
 * (parquet-wasm) wrote for `eventsToBatch`'s schema, and the footer's `ARROW:schema` entry tells Arrow
 * readers the Arrow types (Dictionary<Int32, Utf8> for sessionId/eventName/storeMode).
 *
 * A row group's offsets are relative to its own bytes, so row groups can be encoded on any thread and
 * placed later by `EventsParquetFileWriter`.
 */
import * as arrow from 'apache-arrow';
import { ColumnChunkWriter, PAGE_ROWS } from '../io/parquet-encode.js';
import type { ParquetCodec } from '../io/parquet-codecs.js';
import { type ColumnMetaData, ConvertedType, PhysicalType, Repetition, type SchemaElement } from '../io/parquet-thrift.js';
import { EVENT_COLUMNS, eventsToBatch, originOffsets, originPartitions } from './arrow.js';
import { type DictColumnName, EventsBuilder, type EventsTable, sliceRows } from './table.js';

/** One encoded row group: every column chunk's pages, back to back in schema order. */
export interface EncodedRowGroup {
  numRows: number;
  bytes: Uint8Array;
  /** one per column, offsets relative to the start of `bytes` */
  columns: ColumnMetaData[];
}

type Encode = (w: ColumnChunkWriter, t: EventsTable, path: string[], required: boolean) => ColumnMetaData;

interface EventsColumn {
  name: (typeof EVENT_COLUMNS)[number];
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

/** The Parquet schema of events.parquet: the root (named as arrow-rs names it) and one leaf per column. */
export const EVENTS_PARQUET_SCHEMA: readonly SchemaElement[] = [
  { name: 'arrow_schema', numChildren: COLUMNS.length },
  ...COLUMNS.map((c) => ({ name: c.name, repetition: c.required ? Repetition.REQUIRED : Repetition.OPTIONAL, ...c.schema })),
];

let arrowSchema: string | null = null;

/**
 * The `ARROW:schema` footer value: base64 of the IPC-encapsulated Schema message (0xFFFFFFFF, int32
 * length, flatbuffer) of `eventsToBatch`'s schema — the one definition of the Arrow types — as arrow-rs
 * stores it. Built once per thread by apache-arrow's IPC writer.
 * @example keyValueMetadata.push(['ARROW:schema', eventsArrowSchema()])
 */
export function eventsArrowSchema(): string {
  if (arrowSchema === null) {
    const ipc = arrow.tableToIPC(new arrow.Table(eventsToBatch(new EventsBuilder(1).flush())), 'stream');
    const length = new DataView(ipc.buffer, ipc.byteOffset, 8).getInt32(4, true);
    arrowSchema = Buffer.from(ipc.subarray(0, 8 + length)).toString('base64');
  }
  return arrowSchema;
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
  const columns = COLUMNS.map((c) => c.encode(w, table, [c.name], c.required));
  return { numRows: table.length, bytes: new Uint8Array(w.out.view()), columns };
}

/**
 * A table cut into row-group-sized tables (views; dictionaries re-coded per part), for chunks larger
 * than the row-group size.
 * @example for (const part of rowGroupParts(chunk, 250_000)) rgs.push(encodeEventsRowGroup(part, codec))
 */
export function* rowGroupParts(table: EventsTable, maxRows: number): Generator<EventsTable> {
  for (let a = 0; a < table.length; a += maxRows) yield sliceRows(table, a, Math.min(a + maxRows, table.length));
}
