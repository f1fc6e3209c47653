/**
 * Flat Arrow record batches → Parquet with phantom's own encoder (parquet-encode.ts, parquet-file-writer.ts),
 * so every page carries a CRC-32 (docs/parquet.md, "Page checksums"). `writeParquet` (parquet.ts) takes this
 * path whenever `flatColumns` accepts the batches' schema: top-level Utf8, Dictionary<Int32, Utf8>, Int32,
 * Int64, Float64, Bool and Timestamp(ms, with a time zone) columns, the types sessions.parquet, scores,
 * clusters and price logs hold. Anything else goes through parquet-wasm as before.
 *
 * The file matches what arrow-rs (parquet-wasm) wrote for the same batches, as readers see it: the same
 * Parquet physical and logical types and repetitions (nullable → OPTIONAL), the same key/value metadata in
 * the same order (the caller's, `ARROW:schema`, then `finalMetadata`, written once at the end), and an
 * `ARROW:schema` entry holding the batches' schema (with its metadata), so parquet-wasm and apache-arrow give
 * back the same Arrow types. Batches are merged into row groups of `rowGroupSize` rows, as arrow-rs does;
 * each row group is encoded column by column from the batches it holds.
 */
import * as arrow from './arrow.js';
import { ColumnChunkWriter, dictionaryCodes } from './parquet-encode.js';
import { parquetCodec } from './parquet-codecs.js';
import { ParquetFileWriter } from './parquet-file-writer.js';
import { type ColumnMetaData, ConvertedType, PhysicalType, Repetition, type SchemaElement } from './parquet-thrift.js';
import type { CompressionName } from './compressions.js';

export interface FlatWriteOptions {
  compression?: CompressionName;
  /** most rows per row group (default 1,000,000); batches are merged and split to fill them */
  rowGroupSize?: number;
  /** key/value metadata known before writing (default `phantom.schema_version` = 1) */
  metadata?: Record<string, string>;
  /** key/value metadata computed after the last batch, written into the one footer */
  finalMetadata?: () => Record<string, string>;
  /** columns written without dictionary encoding */
  plainColumns?: readonly string[];
}

type Kind = 'utf8' | 'dict' | 'int32' | 'int64' | 'float64' | 'bool';

/** How one Arrow field is written. */
export interface FlatColumn {
  name: string;
  kind: Kind;
  required: boolean;
  plain: boolean;
  element: SchemaElement;
}

const STRING = { type: PhysicalType.BYTE_ARRAY, convertedType: ConvertedType.UTF8, logicalType: { kind: 'string' } } as const;

/**
 * The columns of a schema this writer handles, or null (write through parquet-wasm): every field one of
 * the types above, names distinct, at least one field.
 * @example flatColumns(batch.schema, ['sessionId'])?.map((c) => c.kind) // ['utf8', 'float64', …]
 */
export function flatColumns(schema: arrow.Schema, plainColumns: readonly string[] = []): FlatColumn[] | null {
  const fields = schema.fields;
  if (fields.length === 0 || new Set(fields.map((f) => f.name)).size !== fields.length) return null;
  const out: FlatColumn[] = [];
  for (const f of fields) {
    const t = f.type;
    let kind: Kind;
    let el: Omit<SchemaElement, 'name' | 'repetition'>;
    if (arrow.DataType.isUtf8(t)) [kind, el] = ['utf8', STRING];
    else if (arrow.DataType.isDictionary(t) && arrow.DataType.isUtf8(t.dictionary) && t.indices.bitWidth === 32 && t.indices.isSigned) [kind, el] = ['dict', STRING];
    else if (arrow.DataType.isInt(t) && t.isSigned && t.bitWidth === 32) [kind, el] = ['int32', { type: PhysicalType.INT32 }];
    else if (arrow.DataType.isInt(t) && t.isSigned && t.bitWidth === 64) [kind, el] = ['int64', { type: PhysicalType.INT64 }];
    else if (arrow.DataType.isFloat(t) && t.precision === arrow.Precision.DOUBLE) [kind, el] = ['float64', { type: PhysicalType.DOUBLE }];
    else if (arrow.DataType.isBool(t)) [kind, el] = ['bool', { type: PhysicalType.BOOLEAN }];
    else if (arrow.DataType.isTimestamp(t) && t.unit === arrow.TimeUnit.MILLISECOND && t.timezone) {
      // a time zone means UTC-adjusted instants: arrow-rs writes TIMESTAMP(isAdjustedToUTC, MILLIS)
      [kind, el] = ['int64', { type: PhysicalType.INT64, convertedType: ConvertedType.TIMESTAMP_MILLIS, logicalType: { kind: 'timestamp-millis', utc: true } }];
    } else return null;
    const required = !f.nullable;
    out.push({ name: f.name, kind, required, plain: plainColumns.includes(f.name), element: { name: f.name, repetition: required ? Repetition.REQUIRED : Repetition.OPTIONAL, ...el } });
  }
  return out;
}

/**
 * The `ARROW:schema` footer value of a schema: base64 of its IPC-encapsulated Schema message (0xFFFFFFFF,
 * int32 length, flatbuffer), the schema's own metadata included, as arrow-rs stores it.
 */
export function arrowSchemaEntry(schema: arrow.Schema): string {
  const ipc = arrow.tableToIPC(new arrow.Table(schema), 'stream');
  const length = new DataView(ipc.buffer, ipc.byteOffset, 8).getInt32(4, true);
  return Buffer.from(ipc.subarray(0, 8 + length)).toString('base64');
}

/*
 * Reading Arrow data: apache-arrow slices fixed-width value buffers and value offsets along with the data
 * (index them from 0), but not bitmaps — validity and Bool values — which are indexed from `offset`.
 */

/** Per row, 1 where the parts' rows have a value; undefined when none is null. */
function validity(parts: readonly arrow.Data[], n: number): Uint8Array | undefined {
  if (parts.every((d) => d.nullCount === 0)) return undefined;
  const valid = new Uint8Array(n).fill(1);
  let o = 0;
  for (const d of parts) {
    const bits = d.nullBitmap;
    if (d.nullCount > 0 && bits !== undefined && bits.length > 0) {
      for (let i = 0, at = d.offset; i < d.length; i++, at++) valid[o + i] = (bits[at >> 3]! >> (at & 7)) & 1;
    }
    o += d.length;
  }
  return valid;
}

/** A value for int32 null slots that no valid row holds. */
function int32Sentinel(values: Int32Array, valid: Uint8Array): number {
  let min = 2 ** 31, max = -(2 ** 31) - 1;
  for (let i = 0; i < values.length; i++) {
    if (valid[i] === 0) continue;
    const x = values[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (min > -(2 ** 31)) return min - 1;
  if (max < 2 ** 31 - 1) return max + 1;
  const used = Int32Array.from(values.filter((_, i) => valid[i] === 1)).sort();
  let next = -(2 ** 31);
  for (const x of used) {
    if (x > next) return next;
    next = x + 1;
  }
  throw new Error('no free int32 value'); // unreachable: fewer than 2^32 rows
}

const decoder = new TextDecoder();

/** Strings of Utf8 parts (null where not valid). */
function utf8Strings(parts: readonly arrow.Data[], valid: Uint8Array | undefined, n: number): (string | null)[] {
  const out = new Array<string | null>(n);
  let o = 0;
  for (const d of parts) {
    const offsets = d.valueOffsets as Int32Array, bytes = d.values as Uint8Array;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < d.length; i++) {
      const a = offsets[i]!, b = offsets[i + 1]!;
      out[o + i] = valid !== undefined && valid[o + i] === 0 ? null : b - a < 64 ? buf.toString('utf8', a, b) : decoder.decode(bytes.subarray(a, b));
    }
    o += d.length;
  }
  return out;
}

/** Utf8 parts as one offsets array (n + 1) into one byte array. */
function utf8Buffers(parts: readonly arrow.Data[], n: number): { offsets: Int32Array; bytes: Uint8Array } {
  if (parts.length === 1) {
    const d = parts[0]!;
    return { offsets: (d.valueOffsets as Int32Array).subarray(0, n + 1), bytes: d.values as Uint8Array };
  }
  const offsets = new Int32Array(n + 1);
  let size = 0;
  for (const d of parts) {
    const off = d.valueOffsets as Int32Array;
    size += off[d.length]! - off[0]!;
  }
  const bytes = new Uint8Array(size);
  let o = 0, at = 0;
  for (const d of parts) {
    const off = d.valueOffsets as Int32Array;
    const first = off[0]!, last = off[d.length]!;
    bytes.set((d.values as Uint8Array).subarray(first, last), at);
    for (let i = 1; i <= d.length; i++) offsets[o + i] = at + off[i]! - first;
    at += last - first;
    o += d.length;
  }
  return { offsets, bytes };
}

/** Dictionary parts as codes (−1 = null) into one dictionary of the strings used, in first-use order. */
function dictCodes(parts: readonly arrow.Data[], valid: Uint8Array | undefined, n: number): { codes: Int32Array; dict: string[] } {
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const index = new Map<string, number>();
  let o = 0;
  for (const d of parts) {
    const entries = Array.from(d.dictionary!.toArray() as ArrayLike<string | null>);
    const trans = new Int32Array(entries.length).fill(-2); // −2: not seen yet
    const keys = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) {
      if (valid !== undefined && valid[o + i] === 0) {
        codes[o + i] = -1;
        continue;
      }
      const k = keys[i]!;
      let c = trans[k]!;
      if (c === -2) {
        const s = entries[k] ?? null;
        if (s === null) c = -1;
        else {
          c = index.get(s) ?? -2;
          if (c === -2) {
            c = dict.length;
            dict.push(s);
            index.set(s, c);
          }
        }
        trans[k] = c;
      }
      codes[o + i] = c;
    }
    o += d.length;
  }
  return { codes, dict };
}

/** The values of `parts` (fixed-width columns, one Data per batch slice) one after another in `into`. */
function joinValues<T extends Float64Array | Int32Array>(parts: readonly arrow.Data[], into: T): T {
  let o = 0;
  for (const d of parts) {
    into.set((d.values as T).subarray(0, d.length), o);
    o += d.length;
  }
  return into;
}

/** Encode one column of a row group from its parts (one Data per batch slice). */
function encodeColumn(w: ColumnChunkWriter, col: FlatColumn, parts: readonly arrow.Data[], n: number): ColumnMetaData {
  const path = [col.name];
  const valid = validity(parts, n);
  switch (col.kind) {
    case 'float64': {
      const values = joinValues(parts, new Float64Array(n));
      // NaN stands for null unless a row holds NaN as a value: then nulls come from the validity mask
      let mask = valid;
      if (mask === undefined) {
        for (let i = 0; i < n; i++) if (values[i] !== values[i]) { mask = new Uint8Array(n).fill(1); break; }
      }
      return w.doubles(path, values, col.required, mask);
    }
    case 'int32': {
      const values = joinValues(parts, new Int32Array(n));
      let nullValue = 0;
      if (valid !== undefined) {
        nullValue = int32Sentinel(values, valid);
        for (let i = 0; i < n; i++) if (valid[i] === 0) values[i] = nullValue;
      }
      // without nulls, a null value no row can match: int32s compares it with every row
      return w.int32s(path, values, valid === undefined ? 2 ** 32 : nullValue, col.required);
    }
    case 'int64': {
      const words = new Int32Array(2 * n);
      let o = 0;
      for (const d of parts) {
        const v = d.values as BigInt64Array;
        words.set(new Int32Array(v.buffer, v.byteOffset, 2 * d.length), 2 * o);
        o += d.length;
      }
      return w.int64Pairs(path, words, valid, col.required);
    }
    case 'bool': {
      const flags = new Int8Array(n);
      let o = 0;
      for (const d of parts) {
        const bits = d.values as Uint8Array;
        for (let i = 0, at = d.offset; i < d.length; i++, at++) flags[o + i] = (bits[at >> 3]! >> (at & 7)) & 1;
        o += d.length;
      }
      if (valid !== undefined) for (let i = 0; i < n; i++) if (valid[i] === 0) flags[i] = -1;
      return w.booleans(path, flags, col.required);
    }
    case 'utf8': {
      // dictionary-encoded while the distinct strings stay under DICTIONARY_LIMIT characters (as `strings`
      // does), else PLAIN straight from the UTF-8 bytes
      const coded = col.plain ? null : dictionaryCodes(utf8Strings(parts, valid, n));
      if (coded !== null) return w.dictionary(path, coded.codes, coded.dict, col.required);
      const { offsets, bytes } = utf8Buffers(parts, n);
      return w.plainUtf8(path, offsets, bytes, valid, col.required);
    }
    case 'dict': {
      const { codes, dict } = dictCodes(parts, valid, n);
      if (!col.plain) return w.dictionary(path, codes, dict, col.required);
      return w.plainStrings(path, Array.from(codes, (c) => (c < 0 ? null : dict[c]!)), col.required);
    }
  }
}

const typeKey = (s: arrow.Schema): string => s.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`).join('\n');

/**
 * Write flat record batches whose schema `flatColumns` accepted to `path` atomically. Returns the rows
 * written and the SHA-256 of the file's bytes. A batch with another schema is an error.
 * @example const cols = flatColumns(first.schema); if (cols) await writeFlatParquet('t.parquet', first.schema, cols, batches, { compression: 'zstd' })
 */
export async function writeFlatParquet(path: string, schema: arrow.Schema, columns: readonly FlatColumn[], batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>, opts: FlatWriteOptions = {}): Promise<{ rows: number; sha256: string }> {
  const codec = await parquetCodec(opts.compression ?? 'zstd');
  const maxRows = opts.rowGroupSize ?? 1_000_000;
  if (!(maxRows >= 1)) throw new Error(`row group size ${maxRows}: at least 1 row`);
  const key = typeKey(schema);
  const file = await ParquetFileWriter.open(path);
  const w = new ColumnChunkWriter(codec);
  // the row group being filled: per batch slice, its column data
  let pending: arrow.Data[][] = [];
  let pendingRows = 0;
  const flush = async (): Promise<void> => {
    w.reset();
    const metas = columns.map((c, j) => encodeColumn(w, c, pending.map((p) => p[j]!), pendingRows));
    await file.appendRowGroup({ numRows: pendingRows, bytes: w.out.view(), columns: metas });
    pending = [];
    pendingRows = 0;
  };
  try {
    for await (const b of batches) {
      if (b.schema !== schema && typeKey(b.schema) !== key) throw new Error(`${path}: a record batch's schema differs from the first batch's`);
      const children = b.data.children;
      for (let at = 0; at < b.numRows;) {
        const take = Math.min(b.numRows - at, maxRows - pendingRows);
        pending.push(at === 0 && take === b.numRows ? children : children.map((d) => d.slice(at, take)));
        pendingRows += take;
        at += take;
        if (pendingRows === maxRows) await flush();
      }
    }
    if (pendingRows > 0) await flush();
    const kv = new Map(Object.entries(opts.metadata ?? { 'phantom.schema_version': '1' }));
    kv.set('ARROW:schema', arrowSchemaEntry(schema));
    for (const [k, v] of Object.entries(opts.finalMetadata?.() ?? {})) kv.set(k, v);
    const elements: SchemaElement[] = [{ name: 'arrow_schema', numChildren: columns.length }, ...columns.map((c) => c.element)];
    return await file.finish(elements, [...kv]);
  } catch (err) {
    await file.abort();
    throw err;
  }
}
