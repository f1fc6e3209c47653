/**
 * Parquet's metadata structs (parquet.thrift) as plain data, and their compact-protocol encoding: page
 * headers (data page v1, dictionary page) and the file footer (FileMetaData with its schema, row groups,
 * column chunks, statistics and key/value metadata). Only the fields a flat-schema writer needs.
 */
import { CompactWriter, TType } from './thrift-compact.js';

export const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
export const Encoding = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
export const CodecId = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, ZSTD: 6 } as const;
export const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;
export const Repetition = { REQUIRED: 0, OPTIONAL: 1 } as const;
export const ConvertedType = { UTF8: 0, TIMESTAMP_MILLIS: 9 } as const;

/** Column statistics: min/max are PLAIN-encoded values (absent for strings and booleans here). */
export interface Statistics {
  nullCount: number;
  min?: Uint8Array;
  max?: Uint8Array;
}

export interface PageHeader {
  type: number;
  uncompressedSize: number;
  compressedSize: number;
  /** CRC-32 of the page bytes as stored (parquet-checksums.ts pageCrc) */
  crc?: number;
  /** data page v1: value count (nulls included) and the values' encoding; levels are RLE */
  data?: { numValues: number; encoding: number };
  dictionary?: { numValues: number };
}

export type LogicalType = { kind: 'string' } | { kind: 'timestamp-millis'; utc: boolean };

export interface SchemaElement {
  name: string;
  type?: number;
  repetition?: number;
  numChildren?: number;
  convertedType?: number;
  logicalType?: LogicalType;
}

export interface ColumnMetaData {
  type: number;
  encodings: number[];
  path: string[];
  codec: number;
  numValues: number;
  totalUncompressedSize: number;
  totalCompressedSize: number;
  dataPageOffset: number;
  dictionaryPageOffset?: number;
  statistics: Statistics;
  /** [page type, encoding, page count] */
  encodingStats: [number, number, number][];
}

export interface RowGroupMetaData {
  columns: ColumnMetaData[];
  /** uncompressed bytes of all column chunks */
  totalByteSize: number;
  numRows: number;
  fileOffset: number;
  totalCompressedSize: number;
  ordinal: number;
}

export interface FileMetaData {
  schema: SchemaElement[];
  numRows: number;
  rowGroups: RowGroupMetaData[];
  keyValueMetadata: [string, string][];
  createdBy: string;
}

/**
 * Append a page header to `w`'s sink.
 * @example writePageHeader(w, { type: PageType.DATA_PAGE, uncompressedSize: 100, compressedSize: 60, data: { numValues: 10, encoding: Encoding.PLAIN } })
 */
export function writePageHeader(w: CompactWriter, h: PageHeader): void {
  w.structBegin();
  w.fieldI32(1, h.type);
  w.fieldI32(2, h.uncompressedSize);
  w.fieldI32(3, h.compressedSize);
  if (h.crc !== undefined) w.fieldI32(4, h.crc);
  if (h.data) {
    w.fieldStruct(5);
    w.fieldI32(1, h.data.numValues);
    w.fieldI32(2, h.data.encoding);
    w.fieldI32(3, Encoding.RLE); // definition levels
    w.fieldI32(4, Encoding.RLE); // repetition levels (none: flat schema)
    w.structEnd();
  }
  if (h.dictionary) {
    w.fieldStruct(7);
    w.fieldI32(1, h.dictionary.numValues);
    w.fieldI32(2, Encoding.PLAIN);
    w.structEnd();
  }
  w.structEnd();
}

function writeColumnMetaDataFields(w: CompactWriter, c: ColumnMetaData): void {
  w.fieldI32(1, c.type);
  w.fieldList(2, TType.I32, c.encodings.length);
  for (const e of c.encodings) w.i32(e);
  w.fieldList(3, TType.BINARY, c.path.length);
  for (const p of c.path) w.string(p);
  w.fieldI32(4, c.codec);
  w.fieldI64(5, c.numValues);
  w.fieldI64(6, c.totalUncompressedSize);
  w.fieldI64(7, c.totalCompressedSize);
  w.fieldI64(9, c.dataPageOffset);
  if (c.dictionaryPageOffset !== undefined) w.fieldI64(11, c.dictionaryPageOffset);
  const s = c.statistics;
  w.fieldStruct(12);
  // the deprecated min/max (1, 2) too, as arrow-rs does: for the signed types written here both orders agree
  if (s.max) w.fieldBinary(1, s.max);
  if (s.min) w.fieldBinary(2, s.min);
  w.fieldI64(3, s.nullCount);
  if (s.max) w.fieldBinary(5, s.max);
  if (s.min) w.fieldBinary(6, s.min);
  w.structEnd();
  w.fieldList(13, TType.STRUCT, c.encodingStats.length);
  for (const [pageType, encoding, count] of c.encodingStats) {
    w.structBegin();
    w.fieldI32(1, pageType);
    w.fieldI32(2, encoding);
    w.fieldI32(3, count);
    w.structEnd();
  }
}

function writeSchemaElement(w: CompactWriter, e: SchemaElement): void {
  w.structBegin();
  if (e.type !== undefined) w.fieldI32(1, e.type);
  if (e.repetition !== undefined) w.fieldI32(3, e.repetition);
  w.fieldString(4, e.name);
  if (e.numChildren !== undefined) w.fieldI32(5, e.numChildren);
  if (e.convertedType !== undefined) w.fieldI32(6, e.convertedType);
  if (e.logicalType) {
    w.fieldStruct(10);
    if (e.logicalType.kind === 'string') {
      w.fieldStruct(1); // StringType {}
      w.structEnd();
    } else {
      w.fieldStruct(8); // TimestampType { isAdjustedToUTC, unit: TimeUnit { MILLIS {} } }
      w.fieldBool(1, e.logicalType.utc);
      w.fieldStruct(2);
      w.fieldStruct(1);
      w.structEnd();
      w.structEnd();
      w.structEnd();
    }
    w.structEnd();
  }
  w.structEnd();
}

/**
 * The compact-protocol bytes of a footer. Column offsets in `rowGroups` are absolute file offsets.
 * @example const footer = encodeFileMetaData({ schema, numRows, rowGroups, keyValueMetadata: [], createdBy: 'phantom' })
 */
export function encodeFileMetaData(m: FileMetaData): Uint8Array {
  const w = new CompactWriter();
  w.structBegin();
  w.fieldI32(1, 1); // format version 1, as arrow-rs writes by default
  w.fieldList(2, TType.STRUCT, m.schema.length);
  for (const e of m.schema) writeSchemaElement(w, e);
  w.fieldI64(3, m.numRows);
  w.fieldList(4, TType.STRUCT, m.rowGroups.length);
  for (const rg of m.rowGroups) {
    w.structBegin();
    w.fieldList(1, TType.STRUCT, rg.columns.length);
    for (const c of rg.columns) {
      w.structBegin();
      w.fieldI64(2, 0); // file_offset: deprecated, 0 as arrow-rs writes it
      w.fieldStruct(3);
      writeColumnMetaDataFields(w, c);
      w.structEnd();
      w.structEnd();
    }
    w.fieldI64(2, rg.totalByteSize);
    w.fieldI64(3, rg.numRows);
    w.fieldI64(5, rg.fileOffset);
    w.fieldI64(6, rg.totalCompressedSize);
    w.fieldI32(7, rg.ordinal); // i16 on the wire is the same zigzag varint
    w.structEnd();
  }
  if (m.keyValueMetadata.length > 0) {
    w.fieldList(5, TType.STRUCT, m.keyValueMetadata.length);
    for (const [k, v] of m.keyValueMetadata) {
      w.structBegin();
      w.fieldString(1, k);
      w.fieldString(2, v);
      w.structEnd();
    }
  }
  w.fieldString(6, m.createdBy);
  // column_orders: TYPE_DEFINED_ORDER for every leaf, so readers trust min_value/max_value
  const leaves = m.schema.length - 1;
  w.fieldList(7, TType.STRUCT, leaves);
  for (let i = 0; i < leaves; i++) {
    w.structBegin();
    w.fieldStruct(1);
    w.structEnd();
    w.structEnd();
  }
  w.structEnd();
  return w.sink.view().slice();
}
