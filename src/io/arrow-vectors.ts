/**
 * Arrow column data from typed arrays, without per-row JS objects (docs/dependencies.md: `vectorFromArray` over
 * objects costs 2.4 s per 1M rows). Null conventions follow src/events/table.ts: NaN, code −1, −1 flags.
 */
import * as arrow from './arrow.js';

const encoder = new TextEncoder();

/** Validity bitmap (1 = valid) from a predicate over indices; `null` when every value is valid. */
export function validityBitmap(n: number, isNull: (i: number) => boolean): { bitmap: Uint8Array | null; nullCount: number } {
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    if (isNull(i)) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return nullCount === 0 ? { bitmap: null, nullCount: 0 } : { bitmap, nullCount };
}

function withNulls<T extends arrow.DataType>(props: Record<string, unknown>, v: { bitmap: Uint8Array | null; nullCount: number }): arrow.Data<T> {
  return arrow.makeData({ ...props, nullCount: v.nullCount, ...(v.bitmap ? { nullBitmap: v.bitmap } : {}) } as never) as arrow.Data<T>;
}

/** Utf8 data for a list of strings (null allowed): one native encode of the joined text, offsets from byte lengths. */
export function utf8Data(strings: readonly (string | null)[]): arrow.Data<arrow.Utf8> {
  const n = strings.length;
  const offsets = new Int32Array(n + 1);
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const s = strings[i];
    const len = s == null ? 0 : Buffer.byteLength(s, 'utf8');
    if (s != null && len !== s.length) ascii = false;
    offsets[i + 1] = offsets[i]! + len;
  }
  let data: Uint8Array;
  if (ascii) {
    data = Buffer.from(strings.join(''), 'latin1');
  } else {
    data = new Uint8Array(offsets[n]!);
    for (let i = 0; i < n; i++) if (strings[i] != null) Buffer.from(data.buffer, data.byteOffset + offsets[i]!).write(strings[i]!, 'utf8');
  }
  const v = validityBitmap(n, (i) => strings[i] == null);
  return withNulls({ type: new arrow.Utf8(), length: n, valueOffsets: offsets, data }, v);
}

/** Dictionary<Int32, Utf8> data from codes (−1 = null) and a dictionary. */
export function dictionaryData(codes: Int32Array, dict: readonly string[], id: number): arrow.Data<arrow.Dictionary<arrow.Utf8, arrow.Int32>> {
  const n = codes.length;
  const v = validityBitmap(n, (i) => codes[i]! < 0);
  const keys = v.nullCount === 0 ? codes : codes.map((c) => (c < 0 ? 0 : c));
  const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), id);
  const dictionary = arrow.makeVector(utf8Data(dict.length === 0 ? [] : dict));
  return withNulls({ type, length: n, data: keys, dictionary }, v);
}

/** Utf8 data from a dictionary column, materialising each row's string (bytes encoded once per entry). */
export function utf8FromCodes(codes: Int32Array, dict: readonly string[]): arrow.Data<arrow.Utf8> {
  const n = codes.length;
  const bytes = dict.map((s) => encoder.encode(s));
  const lengths = Int32Array.from(bytes, (b) => b.length);
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + (codes[i]! < 0 ? 0 : lengths[codes[i]!]!);
  const data = new Uint8Array(offsets[n]!);
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c < 0) continue;
    const src = bytes[c]!;
    const len = src.length;
    let o = offsets[i]!;
    // a byte loop beats TypedArray.set for the short strings typical here
    if (len < 64) for (let k = 0; k < len; k++) data[o++] = src[k]!;
    else data.set(src, o);
  }
  const v = validityBitmap(n, (i) => codes[i]! < 0);
  return withNulls({ type: new arrow.Utf8(), length: n, valueOffsets: offsets, data }, v);
}

/** Float64 data; NaN is null. */
export function float64Data(values: Float64Array): arrow.Data<arrow.Float64> {
  const v = validityBitmap(values.length, (i) => Number.isNaN(values[i]!));
  return withNulls({ type: new arrow.Float64(), length: values.length, data: values }, v);
}

/** Int64 words from doubles holding integers (exact below 2^53), written as two 32-bit halves. */
function int64Words(values: Float64Array): BigInt64Array {
  const out = new BigInt64Array(values.length);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    const hi = Math.floor(x / 4294967296);
    words[2 * i] = (x - hi * 4294967296) | 0;
    words[2 * i + 1] = hi | 0;
  }
  return out;
}

/** Timestamp(ms, UTC) data from epoch-ms doubles; NaN is null. */
export function timestampMsData(values: Float64Array): arrow.Data<arrow.TimestampMillisecond> {
  const v = validityBitmap(values.length, (i) => Number.isNaN(values[i]!));
  return withNulls({ type: new arrow.TimestampMillisecond('UTC'), length: values.length, data: int64Words(values) }, v);
}

/** Int64 data from doubles holding integers; NaN is null. */
export function int64Data(values: Float64Array): arrow.Data<arrow.Int64> {
  const v = validityBitmap(values.length, (i) => Number.isNaN(values[i]!));
  return withNulls({ type: new arrow.Int64(), length: values.length, data: int64Words(values) }, v);
}

/** Int32 data; `nullValue` marks nulls. */
export function int32Data(values: Int32Array, nullValue = -1): arrow.Data<arrow.Int32> {
  const v = validityBitmap(values.length, (i) => values[i] === nullValue);
  return withNulls({ type: new arrow.Int32(), length: values.length, data: values }, v);
}

/** Bool data from −1/0/1 flags (−1 null). */
export function boolData(flags: Int8Array): arrow.Data<arrow.Bool> {
  const n = flags.length;
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (flags[i] === 1) bits[i >> 3]! |= 1 << (i & 7);
  const v = validityBitmap(n, (i) => flags[i]! < 0);
  return withNulls({ type: new arrow.Bool(), length: n, data: bits }, v);
}

/** A record batch from named column data (all the same length). */
export function recordBatch(columns: { name: string; data: arrow.Data; nullable: boolean }[], metadata?: Map<string, string>): arrow.RecordBatch {
  const fields = columns.map((c) => new arrow.Field(c.name, c.data.type, c.nullable));
  const schema = new arrow.Schema(fields, metadata);
  const length = columns[0]?.data.length ?? 0;
  const struct = arrow.makeData({ type: new arrow.Struct(fields), length, nullCount: 0, children: columns.map((c) => c.data) });
  return new arrow.RecordBatch(schema, struct);
}
