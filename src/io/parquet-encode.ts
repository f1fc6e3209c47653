/**
 * Parquet encoding of flat columns straight from typed arrays: the RLE/bit-packed hybrid (definition
 * levels, dictionary indices), PLAIN values, and column chunks of data pages (v1, compressed) with an
 * optional dictionary page. Null conventions are phantom's: NaN in doubles, code −1 in dictionary codes,
 * a chosen null value in int32s, −1 in boolean flags, `null` in strings.
 *
 * A `ColumnChunkWriter` appends chunks to one byte sink (a row group's bytes) and returns each chunk's
 * metadata with offsets relative to that sink's start, so a row group can be placed anywhere in a file.
 */
import { pageCrc } from './parquet-checksums.js';
import type { ParquetCodec } from './parquet-codecs.js';
import { type ColumnMetaData, Encoding, PageType, type PageHeader, PhysicalType, type Statistics, writePageHeader } from './parquet-thrift.js';
import { ByteSink, CompactWriter } from './thrift-compact.js';

/** Rows per data page (readers decode page by page; zstd sees a few hundred KB to a few MB at once). */
export const PAGE_ROWS = 1 << 16;

/**
 * Bits for values 0..max; at least 1 (a width of 0 is legal but not every reader takes it).
 * @example bitWidth(dict.length - 1) // 70,000 entries → 17
 */
export function bitWidth(max: number): number {
  return max < 2 ? 1 : 32 - Math.clz32(max);
}

/** An RLE run: `count` copies of `value`, stored in ceil(width / 8) little-endian bytes. */
function writeRun(sink: ByteSink, value: number, count: number, width: number): void {
  sink.varint(count * 2);
  const bytes = (width + 7) >> 3;
  sink.ensure(bytes);
  for (let k = 0; k < bytes; k++) sink.buf[sink.pos++] = (value >>> (8 * k)) & 0xff;
}

/**
 * A bit-packed run of values[a, b) in groups of 8, LSB first; the last group is zero-padded. One function per
 * width class (1 bit, up to 24, wider), so each optimises once for the loop it runs.
 */
function writeBitPacked(sink: ByteSink, v: Int32Array | Uint8Array, a: number, b: number, width: number): void {
  const groups = Math.ceil((b - a) / 8);
  sink.varint(groups * 2 + 1);
  sink.ensure(groups * width);
  if (width === 1) sink.pos = packBits1(sink.buf, sink.pos, v, a, b);
  else if (width <= 24) sink.pos = packBitsNarrow(sink.buf, sink.pos, v, a, b, width, groups);
  else sink.pos = packBitsWide(sink.buf, sink.pos, v, a, b, width, groups);
}

/** Definition levels: eight 0/1 values to a byte; returns the new write position. */
function packBits1(buf: Uint8Array, o: number, v: Int32Array | Uint8Array, a: number, b: number): number {
  const full = a + ((b - a) & ~7);
  for (let k = a; k < full; k += 8) {
    buf[o++] = v[k]! | (v[k + 1]! << 1) | (v[k + 2]! << 2) | (v[k + 3]! << 3) | (v[k + 4]! << 4) | (v[k + 5]! << 5) | (v[k + 6]! << 6) | (v[k + 7]! << 7);
  }
  if (full < b) {
    let last = 0;
    for (let k = full; k < b; k++) last |= v[k]! << (k - full);
    buf[o++] = last;
  }
  return o;
}

/** Widths 2..24: at most 7 pending bits + 24 new ones fit a 32-bit accumulator. */
function packBitsNarrow(buf: Uint8Array, o: number, v: Int32Array | Uint8Array, a: number, b: number, width: number, groups: number): number {
  let acc = 0, bits = 0;
  for (let k = a; k < b; k++) {
    acc |= v[k]! << bits;
    bits += width;
    while (bits >= 8) {
      buf[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  // zero padding to the group's end: whole bytes of the remaining bits
  for (let pad = (a + groups * 8 - b) * width + bits; pad > 0; pad -= 8) {
    buf[o++] = acc & 0xff;
    acc >>>= 8;
  }
  return o;
}

/** Widths 25..32, in double arithmetic. */
function packBitsWide(buf: Uint8Array, o: number, v: Int32Array | Uint8Array, a: number, b: number, width: number, groups: number): number {
  let acc = 0, bits = 0;
  const end = a + groups * 8;
  for (let k = a; k < end; k++) {
    acc += (k < b ? v[k]! : 0) * 2 ** bits;
    bits += width;
    while (bits >= 8) {
      buf[o++] = acc % 256;
      acc = Math.floor(acc / 256);
      bits -= 8;
    }
  }
  return o;
}

/**
 * RLE/bit-packed hybrid encoding of non-negative `values` (no length prefix). Runs of 8 or more equal
 * values starting at a group boundary become RLE runs, everything else is bit-packed (as arrow-rs does).
 * @example writeHybrid(sink, Uint8Array.of(1, 1, 0, 1), 1)
 */
export function writeHybrid(sink: ByteSink, values: Int32Array | Uint8Array, width: number): void {
  const n = values.length;
  let i = 0;
  let packFrom = 0; // start of the pending bit-packed values; i − packFrom is a multiple of 8
  while (i < n) {
    const x = values[i]!;
    let j = i + 1;
    while (j < n && values[j] === x) j++;
    if (j - i >= 8) {
      if (packFrom < i) writeBitPacked(sink, values, packFrom, i, width);
      writeRun(sink, x, j - i, width);
      i = packFrom = j;
    } else i = Math.min(i + 8, n);
  }
  if (packFrom < n) writeBitPacked(sink, values, packFrom, n, width);
}

// Buffer's own utf8Write skips write()'s argument handling (~20 % on short strings); in every Node release
// though undocumented, so the public write() stands in if it ever goes.
const nativeUtf8Write = (Buffer.prototype as unknown as { utf8Write?: (s: string, offset: number) => number }).utf8Write;
const utf8Write: (buf: Buffer, s: string, offset: number) => number = nativeUtf8Write
  ? (buf, s, offset) => nativeUtf8Write.call(buf, s, offset)
  : (buf, s, offset) => buf.write(s, offset, 'utf8');

/**
 * PLAIN BYTE_ARRAY values of the non-null strings in [a, b): a 4-byte little-endian length, then UTF-8.
 * One native `write` per string: measured faster than an ASCII check plus latin1 writes (docs/parquet.md).
 * @example writePlainStrings(sink, dict, 0, dict.length) // a dictionary page's body
 */
export function writePlainStrings(sink: ByteSink, strings: readonly (string | null)[], a: number, b: number): void {
  for (let i = a; i < b; i++) {
    const s = strings[i];
    if (s == null) continue;
    sink.ensure(4 + 3 * s.length); // a UTF-16 unit is at most 3 UTF-8 bytes
    const n = utf8Write(sink.buf, s, sink.pos + 4);
    sink.putU32le(sink.pos, n);
    sink.pos += 4 + n;
  }
}

/** Most characters of distinct strings a string column is dictionary-encoded with. */
export const DICTIONARY_LIMIT = 1 << 20;

/**
 * Strings as dictionary codes (first-use order, −1 = null), or null once the distinct strings pass
 * `DICTIONARY_LIMIT` characters. Rows come in runs, and equal strings are often the same object, so the
 * previous string is compared before hashing.
 */
export function dictionaryCodes(strings: readonly (string | null)[]): { codes: Int32Array; dict: string[] } | null {
  const n = strings.length;
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const index = new Map<string, number>();
  let chars = 0, last: string | null = null, lastCode = -1;
  for (let i = 0; i < n; i++) {
    const s = strings[i];
    if (s == null) {
      codes[i] = -1;
      continue;
    }
    if (s !== last) {
      let c = index.get(s);
      if (c === undefined) {
        chars += s.length;
        if (chars > DICTIONARY_LIMIT) return null;
        c = dict.length;
        dict.push(s);
        index.set(s, c);
      }
      last = s;
      lastCode = c;
    }
    codes[i] = lastCode;
  }
  return { codes, dict };
}

// The per-page row loops live in small module functions, one per element type, rather than inline in the
// ColumnChunkWriter methods: V8 then optimises each loop once as a small function (and every column of a
// type shares it) instead of on-stack-replacing, deoptimising and re-optimising each large method as it
// warms up (docs/perf/pgwarm.md). `rangeMin`/`rangeMax` carry a column's min and max in and out (module
// variables: their stores after an on-stack-replaced loop need no type feedback, a typed array's would).
let rangeMin = Infinity, rangeMax = -Infinity;

/** Rows in [a, b) with a negative (null) code. */
function nullCodes(codes: Int32Array, a: number, b: number): number {
  let nulls = 0;
  for (let i = a; i < b; i++) nulls += codes[i]! >>> 31; // the sign bit: no branch left without type feedback
  return nulls;
}

/** Mark present rows of codes[a, b) and gather the non-null codes into `compact`; returns their count. */
function gatherCodes(codes: Int32Array, a: number, b: number, present: Int32Array, compact: Int32Array): number {
  let k = 0;
  for (let i = a; i < b; i++) {
    const c = codes[i]!;
    present[i - a] = c < 0 ? 0 : 1;
    if (c >= 0) compact[k++] = c;
  }
  return k;
}

/** Doubles: NaN = null, or with `valid` the rows marked 0; gathers values, widens the range; returns the count. */
function gatherDoubles(values: Float64Array, valid: Uint8Array | undefined, a: number, b: number, present: Int32Array, compact: Float64Array): number {
  let min = rangeMin, max = rangeMax, k = 0;
  for (let i = a; i < b; i++) {
    const x = values[i]!;
    const isNull = valid === undefined ? x !== x : valid[i] === 0;
    present[i - a] = isNull ? 0 : 1;
    if (isNull) continue;
    if (x < min) min = x;
    if (x > max) max = x;
    compact[k++] = x;
  }
  rangeMin = min;
  rangeMax = max;
  return k;
}

/** Integer-valued doubles (NaN = null) as INT64 word pairs; widens the range; returns the count of words. */
function gatherInt64Words(values: Float64Array, a: number, b: number, present: Int32Array, words: Int32Array): number {
  let min = rangeMin, max = rangeMax, k = 0;
  for (let i = a; i < b; i++) {
    const x = values[i]!;
    const isNull = x !== x;
    present[i - a] = isNull ? 0 : 1;
    if (isNull) continue;
    if (x < min) min = x;
    if (x > max) max = x;
    int64Words(x, words, k);
    k += 2;
  }
  rangeMin = min;
  rangeMax = max;
  return k;
}

/** Int32s other than `nullValue`; widens the range; returns the count. */
function gatherInt32s(values: Int32Array, nullValue: number, a: number, b: number, present: Int32Array, compact: Int32Array): number {
  let min = rangeMin, max = rangeMax, k = 0;
  for (let i = a; i < b; i++) {
    const x = values[i]!;
    const isNull = x === nullValue;
    present[i - a] = isNull ? 0 : 1;
    if (isNull) continue;
    if (x < min) min = x;
    if (x > max) max = x;
    compact[k++] = x;
  }
  rangeMin = min;
  rangeMax = max;
  return k;
}

/** −1/0/1 flags (−1 null) as bits, LSB first; returns the count of present values. */
function gatherBits(flags: Int8Array, a: number, b: number, present: Int32Array, bits: Uint8Array): number {
  let k = 0, acc = 0;
  for (let i = a; i < b; i++) {
    const f = flags[i]!;
    present[i - a] = f < 0 ? 0 : 1;
    if (f < 0) continue;
    acc |= f << (k & 7);
    if ((++k & 7) === 0) {
      bits[(k >> 3) - 1] = acc;
      acc = 0;
    }
  }
  if ((k & 7) !== 0) bits[k >> 3] = acc;
  return k;
}

/** PLAIN BYTE_ARRAY values of the non-null rows in [a, b) of an Arrow Utf8 buffer pair, copied as they are. */
function writeUtf8Values(body: ByteSink, offsets: Int32Array, bytes: Uint8Array, valid: Uint8Array | undefined, a: number, b: number): void {
  body.ensure(4 * (b - a) + offsets[b]! - offsets[a]!);
  const buf = body.buf;
  let o = body.pos;
  for (let i = a; i < b; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const x = offsets[i]!, len = offsets[i + 1]! - x;
    body.putU32le(o, len);
    o += 4;
    // a byte loop beats TypedArray.set for short strings
    if (len < 32) for (let k = 0; k < len; k++) buf[o + k] = bytes[x + k]!;
    else buf.set(bytes.subarray(x, x + len), o);
    o += len;
  }
  body.pos = o;
}

interface ChunkState {
  uncompressed: number;
  compressed: number;
  dictionaryOffset?: number;
  dataOffset: number;
  dataPages: number;
  nulls: number;
}

/** A double holding an integer as INT64 words, little-endian: the high word by floor division, the low word
 * the remainder (two's complement; fractions floor, as the Arrow path's conversion did). */
function int64Words(x: number, words: Int32Array, at: number): void {
  const hi = Math.floor(x / 4294967296);
  words[at] = (x - hi * 4294967296) | 0;
  words[at + 1] = hi | 0;
}

function int64Bytes(x: number): Uint8Array {
  const words = new Int32Array(2);
  int64Words(x, words, 0);
  return new Uint8Array(words.buffer);
}

/**
 * Encodes column chunks one after another into `out`. Each method makes one pass per page that marks
 * present rows and gathers the non-null values, then writes levels, values and the compressed page.
 * Reusable: `reset` empties `out` and keeps the grown buffers.
 * @example const w = new ColumnChunkWriter(await parquetCodec('zstd')); const meta = w.doubles(['price'], prices)
 */
export class ColumnChunkWriter {
  readonly out: ByteSink;
  private readonly body = new ByteSink(1 << 20);
  private readonly header = new CompactWriter();
  /** per page: 1 where the row has a value (Int32Array, as the dictionary indices: one array type reaches writeHybrid) */
  private readonly present: Int32Array;
  /** per page: the non-null values (up to 8 bytes each) */
  private readonly values: ArrayBuffer;

  constructor(public codec: ParquetCodec, readonly pageRows = PAGE_ROWS, capacity = 1 << 20) {
    this.out = new ByteSink(capacity);
    this.present = new Int32Array(pageRows);
    this.values = new ArrayBuffer(8 * pageRows);
  }

  /** Start a new row group's bytes, optionally with another codec. */
  reset(codec = this.codec): void {
    this.out.reset();
    this.body.reset(); // a page left half-written by a throw
    this.codec = codec;
  }

  private begin(): ChunkState {
    return { uncompressed: 0, compressed: 0, dataOffset: -1, dataPages: 0, nulls: 0 };
  }

  /** Compress the page body, append header + page, account sizes. */
  private page(s: ChunkState, type: number, extra: Pick<PageHeader, 'data' | 'dictionary'>): void {
    const body = this.body.view();
    const packed = this.codec.compress(body);
    const h = this.header;
    h.sink.reset();
    writePageHeader(h, { type, uncompressedSize: body.length, compressedSize: packed.length, crc: pageCrc(packed), ...extra });
    if (type === PageType.DICTIONARY_PAGE) s.dictionaryOffset = this.out.pos;
    else if (s.dataOffset < 0) s.dataOffset = this.out.pos;
    this.out.bytes(h.sink.view());
    this.out.bytes(packed);
    s.uncompressed += h.sink.pos + body.length;
    s.compressed += h.sink.pos + packed.length;
    if (type === PageType.DATA_PAGE) s.dataPages++;
    this.body.reset();
  }

  /**
   * The start of a data page of `count` rows, `nulls` of them null (marked 0 in `present`): definition
   * levels (optional columns: 4-byte length + hybrid runs). The caller then writes the values into `body`
   * and ends the page with `dataPageEnd` (no closure per page).
   */
  private dataPageLevels(s: ChunkState, path: string[], required: boolean, count: number, nulls: number): void {
    if (required && nulls > 0) throw new Error(`column ${path.join('.')} is required but has null value(s)`);
    s.nulls += nulls;
    if (!required) {
      const body = this.body;
      const at = body.pos;
      body.u32le(0);
      if (nulls === 0 || nulls === count) writeRun(body, nulls === 0 ? 1 : 0, count, 1);
      else writeHybrid(body, this.present.subarray(0, count), 1);
      body.putU32le(at, body.pos - at - 4);
    }
  }

  private dataPageEnd(s: ChunkState, count: number, encoding: number): void {
    this.page(s, PageType.DATA_PAGE, { data: { numValues: count, encoding } });
  }

  private end(s: ChunkState, path: string[], type: number, n: number, valueEncoding: number, minMax?: { min: Uint8Array; max: Uint8Array }): ColumnMetaData {
    const encodings = valueEncoding === Encoding.RLE_DICTIONARY ? [Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY] : [Encoding.PLAIN, Encoding.RLE];
    const encodingStats: [number, number, number][] = [[PageType.DATA_PAGE, valueEncoding, s.dataPages]];
    if (s.dictionaryOffset !== undefined) encodingStats.unshift([PageType.DICTIONARY_PAGE, Encoding.PLAIN, 1]);
    const statistics: Statistics = { nullCount: s.nulls, ...(s.nulls < n ? minMax : undefined) };
    return {
      type, encodings, path, codec: this.codec.id, numValues: n,
      totalUncompressedSize: s.uncompressed, totalCompressedSize: s.compressed,
      dataPageOffset: s.dataOffset, ...(s.dictionaryOffset === undefined ? {} : { dictionaryPageOffset: s.dictionaryOffset }),
      statistics, encodingStats,
    };
  }

  /**
   * A string column held as dictionary codes (−1 = null): a PLAIN dictionary page, then RLE_DICTIONARY
   * data pages of the codes; per-row strings are never built. An empty dictionary (every row null)
   * gives PLAIN pages of definition levels only.
   */
  dictionary(path: string[], codes: Int32Array, dict: readonly string[], required: boolean): ColumnMetaData {
    const n = codes.length;
    const s = this.begin();
    const hasDict = dict.length > 0;
    if (hasDict) {
      writePlainStrings(this.body, dict, 0, dict.length);
      this.page(s, PageType.DICTIONARY_PAGE, { dictionary: { numValues: dict.length } });
    }
    const width = bitWidth(dict.length - 1);
    const present = this.present;
    const compact = new Int32Array(this.values, 0, this.pageRows);
    for (let a = 0; a < n; a += this.pageRows) {
      const b = Math.min(a + this.pageRows, n);
      const nulls = nullCodes(codes, a, b);
      // without nulls the codes are the indices as they stand; with some, mark rows and gather codes
      const indices = nulls > 0 ? compact.subarray(0, gatherCodes(codes, a, b, present, compact)) : codes.subarray(a, b);
      if (!hasDict && indices.length > 0) throw new Error(`column ${path.join('.')}: code ${indices[0]} but an empty dictionary`);
      this.dataPageLevels(s, path, required, b - a, nulls);
      if (hasDict) {
        // the bit width even when every row is null: readers take it before looking at the count
        this.body.byte(width);
        writeHybrid(this.body, indices, width);
      }
      this.dataPageEnd(s, b - a, hasDict ? Encoding.RLE_DICTIONARY : Encoding.PLAIN);
    }
    return this.end(s, path, PhysicalType.BYTE_ARRAY, n, hasDict ? Encoding.RLE_DICTIONARY : Encoding.PLAIN);
  }

  /**
   * A string column with one JS string (or null) per row: dictionary-encoded while its distinct strings
   * stay under `DICTIONARY_LIMIT` characters (arrow-rs's rule, 1 MiB), PLAIN otherwise.
   */
  strings(path: string[], strings: readonly (string | null)[], required = false): ColumnMetaData {
    const coded = dictionaryCodes(strings);
    if (coded !== null) return this.dictionary(path, coded.codes, coded.dict, required);
    return this.plainStrings(path, strings, required);
  }

  /** A string column PLAIN-encoded, one UTF-8 write per non-null row. */
  plainStrings(path: string[], strings: readonly (string | null)[], required = false): ColumnMetaData {
    const n = strings.length;
    const s = this.begin();
    const present = this.present;
    for (let a = 0; a < n; a += this.pageRows) {
      const b = Math.min(a + this.pageRows, n);
      let nulls = 0;
      for (let i = a; i < b; i++) {
        const isNull = strings[i] == null;
        present[i - a] = isNull ? 0 : 1;
        if (isNull) nulls++;
      }
      this.dataPageLevels(s, path, required, b - a, nulls);
      writePlainStrings(this.body, strings, a, b);
      this.dataPageEnd(s, b - a, Encoding.PLAIN);
    }
    return this.end(s, path, PhysicalType.BYTE_ARRAY, n, Encoding.PLAIN);
  }

  /**
   * A string column PLAIN-encoded from UTF-8 bytes and n + 1 offsets into them (an Arrow Utf8 buffer pair),
   * copied as they are; rows with `valid[i] === 0` are null.
   */
  plainUtf8(path: string[], offsets: Int32Array, bytes: Uint8Array, valid: Uint8Array | undefined, required = false): ColumnMetaData {
    const n = offsets.length - 1;
    const s = this.begin();
    const present = this.present;
    for (let a = 0; a < n; a += this.pageRows) {
      const b = Math.min(a + this.pageRows, n);
      let nulls = 0;
      for (let i = a; i < b; i++) {
        const isNull = valid !== undefined && valid[i] === 0;
        present[i - a] = isNull ? 0 : 1;
        if (isNull) nulls++;
      }
      this.dataPageLevels(s, path, required, b - a, nulls);
      writeUtf8Values(this.body, offsets, bytes, valid, a, b);
      this.dataPageEnd(s, b - a, Encoding.PLAIN);
    }
    return this.end(s, path, PhysicalType.BYTE_ARRAY, n, Encoding.PLAIN);
  }

  /**
   * A DOUBLE column: NaN = null, or, with `valid` (1 per row that has a value), the rows marked 0 (an Arrow
   * column may hold NaN as a value; NaN is left out of min/max, as arrow-rs does).
   */
  doubles(path: string[], values: Float64Array, required = false, valid?: Uint8Array): ColumnMetaData {
    const n = values.length;
    const s = this.begin();
    const present = this.present;
    const compact = new Float64Array(this.values, 0, this.pageRows);
    rangeMin = Infinity;
    rangeMax = -Infinity;
    for (let a = 0; a < n; a += this.pageRows) {
      const b = Math.min(a + this.pageRows, n);
      const k = gatherDoubles(values, valid, a, b, present, compact);
      this.dataPageLevels(s, path, required, b - a, b - a - k);
      this.body.bytes(new Uint8Array(this.values, 0, 8 * k));
      this.dataPageEnd(s, b - a, Encoding.PLAIN);
    }
    const min = rangeMin, max = rangeMax;
    // the spec's rule for zeros: min −0, max +0, whichever zero the data held
    const bytes = (x: number): Uint8Array => new Uint8Array(Float64Array.of(x).buffer);
    // min > max: every value was NaN (only with `valid`)
    return this.end(s, path, PhysicalType.DOUBLE, n, Encoding.PLAIN, min <= max ? { min: bytes(min === 0 ? -0 : min), max: bytes(max === 0 ? 0 : max) } : undefined);
  }

  /** An INT64 column from doubles holding integers below 2^53 in magnitude (NaN = null; fractions floor). */
  int64s(path: string[], values: Float64Array, required = false): ColumnMetaData {
    const n = values.length;
    const s = this.begin();
    const present = this.present;
    const words = new Int32Array(this.values, 0, 2 * this.pageRows);
    rangeMin = Infinity;
    rangeMax = -Infinity;
    for (let a = 0; a < n; a += this.pageRows) {
      const b = Math.min(a + this.pageRows, n);
      const k = gatherInt64Words(values, a, b, present, words);
      this.dataPageLevels(s, path, required, b - a, b - a - k / 2);
      this.body.bytes(new Uint8Array(this.values, 0, 4 * k));
      this.dataPageEnd(s, b - a, Encoding.PLAIN);
    }
    const min = rangeMin, max = rangeMax;
    return this.end(s, path, PhysicalType.INT64, n, Encoding.PLAIN, min <= max ? { min: int64Bytes(min), max: int64Bytes(max) } : undefined);
  }

  /**
   * An INT64 column from 64-bit two's-complement words as int32 pairs (low, high; an Arrow Int64 or
   * Timestamp column's buffer), exact over the whole range; rows with `valid[i] === 0` are null.
   */
  int64Pairs(path: string[], words: Int32Array, valid: Uint8Array | undefined, required = false): ColumnMetaData {
    const n = words.length >> 1;
    const s = this.begin();
    const present = this.present;
    const out = new Int32Array(this.values, 0, 2 * this.pageRows);
    // min/max compared as (high signed, low unsigned)
    let minHi = 0, minLo = 0, maxHi = 0, maxLo = 0, any = false;
    for (let a = 0; a < n; a += this.pageRows) {
      const b = Math.min(a + this.pageRows, n);
      let k = 0;
      for (let i = a; i < b; i++) {
        if (valid !== undefined && valid[i] === 0) {
          present[i - a] = 0;
          continue;
        }
        present[i - a] = 1;
        const lo = words[2 * i]!, hi = words[2 * i + 1]!;
        if (!any || hi < minHi || (hi === minHi && lo >>> 0 < minLo >>> 0)) {
          minHi = hi;
          minLo = lo;
        }
        if (!any || hi > maxHi || (hi === maxHi && lo >>> 0 > maxLo >>> 0)) {
          maxHi = hi;
          maxLo = lo;
        }
        any = true;
        out[k++] = lo;
        out[k++] = hi;
      }
      this.dataPageLevels(s, path, required, b - a, b - a - k / 2);
      this.body.bytes(new Uint8Array(this.values, 0, 4 * k));
      this.dataPageEnd(s, b - a, Encoding.PLAIN);
    }
    const bytes = (lo: number, hi: number): Uint8Array => new Uint8Array(Int32Array.of(lo, hi).buffer);
    return this.end(s, path, PhysicalType.INT64, n, Encoding.PLAIN, any ? { min: bytes(minLo, minHi), max: bytes(maxLo, maxHi) } : undefined);
  }

  /** An INT32 column; `nullValue` marks nulls. */
  int32s(path: string[], values: Int32Array, nullValue: number, required = false): ColumnMetaData {
    const n = values.length;
    const s = this.begin();
    const present = this.present;
    const compact = new Int32Array(this.values, 0, this.pageRows);
    rangeMin = Infinity;
    rangeMax = -Infinity;
    for (let a = 0; a < n; a += this.pageRows) {
      const b = Math.min(a + this.pageRows, n);
      const k = gatherInt32s(values, nullValue, a, b, present, compact);
      this.dataPageLevels(s, path, required, b - a, b - a - k);
      this.body.bytes(new Uint8Array(this.values, 0, 4 * k));
      this.dataPageEnd(s, b - a, Encoding.PLAIN);
    }
    const min = rangeMin, max = rangeMax;
    const bytes = (x: number): Uint8Array => new Uint8Array(Int32Array.of(x).buffer);
    return this.end(s, path, PhysicalType.INT32, n, Encoding.PLAIN, { min: bytes(min), max: bytes(max) });
  }

  /** A BOOLEAN column from −1/0/1 flags (−1 null): PLAIN, one bit per present value, LSB first. */
  booleans(path: string[], flags: Int8Array, required = false): ColumnMetaData {
    const n = flags.length;
    const s = this.begin();
    const present = this.present;
    const bits = new Uint8Array(this.values, 0, (this.pageRows >> 3) + 1);
    for (let a = 0; a < n; a += this.pageRows) {
      const b = Math.min(a + this.pageRows, n);
      const k = gatherBits(flags, a, b, present, bits);
      this.dataPageLevels(s, path, required, b - a, b - a - k);
      this.body.bytes(bits.subarray(0, (k + 7) >> 3));
      this.dataPageEnd(s, b - a, Encoding.PLAIN);
    }
    return this.end(s, path, PhysicalType.BOOLEAN, n, Encoding.PLAIN);
  }
}
