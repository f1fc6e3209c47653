/**
 * A direct reader for the simplest Parquet files: every column a flat DOUBLE (required or optional, no logical
 * type), pages PLAIN or dictionary-encoded (data pages v1 or v2), compressed with zstd or not at all. Each
 * column is decoded straight into one Float64Array (NaN for null), without parquet-wasm or Arrow: parquet-wasm's
 * first read of a 100k × 42 file cost ≈ 0.7 s CPU, most of it compiling and tiering up its 5 MB WebAssembly
 * module (docs/perf/distill-read.md); zstd here is @foxglove/wasm-zstd (412 KB, already the writer's codec).
 * Anything else — another type, encoding or codec, nesting, a malformed page — returns null, and the caller
 * reads the file through parquet-wasm as before (which also names the file in any error).
 */
import { createRequire } from 'node:module';
import * as arrow from './arrow.js';

const MAGIC = 0x31524150; // "PAR1" little-endian
const DOUBLE = 5;
const REQUIRED = 0, OPTIONAL = 1;
const UNCOMPRESSED = 0, ZSTD = 6;
const PLAIN = 0, PLAIN_DICTIONARY = 2, RLE = 3, RLE_DICTIONARY = 8;
const DATA_PAGE = 0, DICTIONARY_PAGE = 2, DATA_PAGE_V2 = 3;

/** A column read from a flat file. */
export interface FlatColumn {
  name: string;
  values: Float64Array;
}

export interface FlatTable {
  nRows: number;
  columns: FlatColumn[];
  /** footer key/value metadata, without `ARROW:schema` (as parquet-wasm's Arrow schema reports it) */
  metadata: Record<string, string>;
}

/** Thrown inside the reader for anything it does not handle; never escapes `readFlatDoubleParquet`. */
class Unsupported extends Error {}

type TValue = number | boolean | Uint8Array | TValue[] | TStruct;
type TStruct = Map<number, TValue>;

/** Thrift compact protocol, read into maps of field id → value (lists as arrays, binaries as subarrays). */
class Compact {
  pos: number;
  constructor(readonly buf: Uint8Array, pos = 0) {
    this.pos = pos;
  }
  byte(): number {
    if (this.pos >= this.buf.length) throw new Unsupported('thrift ends early');
    return this.buf[this.pos++]!;
  }
  varint(): number {
    let shift = 0, result = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Unsupported('varint too long');
    }
  }
  zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  value(type: number): TValue {
    switch (type) {
      case 1: return true;
      case 2: return false;
      case 3: return this.byte();
      case 4: case 5: case 6: return this.zigzag();
      case 7: this.pos += 8; return 0;
      case 8: {
        const n = this.varint();
        if (this.pos + n > this.buf.length) throw new Unsupported('binary past the end');
        const out = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return out;
      }
      case 9: case 10: {
        const h = this.byte();
        const size = (h >> 4) === 15 ? this.varint() : h >> 4;
        const et = h & 0x0f;
        const out: TValue[] = [];
        for (let i = 0; i < size; i++) out.push(et === 1 || et === 2 ? this.byte() === 1 : this.value(et));
        return out;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return [];
        const kv = this.byte();
        for (let i = 0; i < size; i++) { this.value(kv >> 4); this.value(kv & 0x0f); }
        return [];
      }
      case 12: return this.struct();
      default: throw new Unsupported(`thrift type ${type}`);
    }
  }
  struct(): TStruct {
    const out: TStruct = new Map();
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return out;
      const delta = h >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      out.set(id, this.value(h & 0x0f));
      last = id;
    }
  }
}

const num = (s: TStruct, id: number): number | undefined => {
  const v = s.get(id);
  return typeof v === 'number' ? v : undefined;
};
const need = (s: TStruct, id: number): number => {
  const v = num(s, id);
  if (v === undefined) throw new Unsupported(`missing field ${id}`);
  return v;
};
const struct = (s: TStruct, id: number): TStruct | undefined => {
  const v = s.get(id);
  return v instanceof Map ? v : undefined;
};
const list = (s: TStruct, id: number): TValue[] => {
  const v = s.get(id);
  return Array.isArray(v) ? v : [];
};

interface Zstd {
  isLoaded: Promise<boolean>;
  decompress(buffer: Uint8Array, size: number): Uint8Array;
}
let zstd: Promise<Zstd> | null = null;
function loadZstd(): Promise<Zstd> {
  zstd ??= (async () => {
    const mod = createRequire(import.meta.url)('@foxglove/wasm-zstd') as Zstd;
    await mod.isLoaded;
    return mod;
  })();
  return zstd;
}

/** Decode an RLE/bit-packed hybrid run of `count` values of `bitWidth` bits from `buf[pos..end)` into `out`. */
function decodeHybrid(buf: Uint8Array, pos: number, end: number, bitWidth: number, count: number, out: Int32Array): void {
  const byteWidth = (bitWidth + 7) >> 3;
  const mask = bitWidth === 32 ? -1 : (1 << bitWidth) - 1;
  let i = 0;
  const r = new Compact(buf, pos);
  while (i < count) {
    if (r.pos >= end) throw new Unsupported('levels end early');
    const header = r.varint();
    if ((header & 1) === 0) {
      const run = Math.floor(header / 2);
      let v = 0;
      for (let b = 0; b < byteWidth; b++) v |= buf[r.pos + b]! << (8 * b);
      r.pos += byteWidth;
      const stop = Math.min(count, i + run);
      while (i < stop) out[i++] = v;
    } else {
      const groups = Math.floor(header / 2);
      const bytes = groups * bitWidth;
      if (r.pos + bytes > end) throw new Unsupported('bit-packed run past the end');
      const n = groups * 8;
      let bitPos = r.pos * 8;
      if (bitWidth <= 24) {
        // at most 24 + 7 bits from four bytes (a byte past the end reads as 0)
        const stop = Math.min(count, i + n);
        // whole words while four bytes remain in the buffer, then byte by byte
        const safeEnd = (buf.length - 4) * 8;
        while (i < stop && bitPos <= safeEnd) {
          const o = bitPos >> 3;
          out[i++] = ((buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16) | (buf[o + 3]! << 24)) >>> (bitPos & 7)) & mask;
          bitPos += bitWidth;
        }
        while (i < stop) {
          const o = bitPos >> 3;
          const word = (buf[o] ?? 0) | ((buf[o + 1] ?? 0) << 8) | ((buf[o + 2] ?? 0) << 16) | ((buf[o + 3] ?? 0) << 24);
          out[i++] = (word >>> (bitPos & 7)) & mask;
          bitPos += bitWidth;
        }
      } else {
        for (let k = 0; k < n && i < count; k++) {
          let v = 0;
          for (let b = 0; b < bitWidth; b++, bitPos++) v |= ((buf[bitPos >> 3]! >> (bitPos & 7)) & 1) << b;
          out[i++] = v & mask;
        }
      }
      r.pos += bytes;
    }
  }
}

/**
 * Read `bytes` (a whole Parquet file) if every column is a flat DOUBLE stored in a way this reader knows;
 * otherwise null (read it through parquet-wasm instead).
 * @example const t = await readFlatDoubleParquet(await readFile('sessions.parquet')) ?? slowPath();
 */
export async function readFlatDoubleParquet(bytes: Uint8Array): Promise<FlatTable | null> {
  try {
    return await decodeFile(bytes);
  } catch (err) {
    // TypeError: a name or value that is not UTF-8
    if (err instanceof Unsupported || err instanceof RangeError || err instanceof TypeError) return null;
    throw err;
  }
}

async function decodeFile(bytes: Uint8Array): Promise<FlatTable> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.byteLength;
  if (size < 12 || dv.getUint32(0, true) !== MAGIC || dv.getUint32(size - 4, true) !== MAGIC) throw new Unsupported('no PAR1');
  const footerLen = dv.getUint32(size - 8, true);
  if (footerLen > size - 12) throw new Unsupported('footer length');
  const meta = new Compact(bytes.subarray(size - 8 - footerLen, size - 8)).struct();
  const schema = list(meta, 2) as TStruct[];
  const root = schema[0];
  if (root === undefined || need(root, 5) !== schema.length - 1) throw new Unsupported('nested schema');
  const dec = new TextDecoder('utf-8', { fatal: true });
  const leaves = schema.slice(1).map((el) => {
    if (num(el, 1) !== DOUBLE || el.has(5) || el.has(6) || el.has(10)) throw new Unsupported('not a plain double');
    const rep = need(el, 3);
    if (rep !== REQUIRED && rep !== OPTIONAL) throw new Unsupported('repeated');
    const name = el.get(4);
    if (!(name instanceof Uint8Array)) throw new Unsupported('no name');
    return { name: dec.decode(name), optional: rep === OPTIONAL };
  });
  if (new Set(leaves.map((l) => l.name)).size !== leaves.length) throw new Unsupported('duplicate names');
  const nRows = need(meta, 3);
  const { metadata: kv, arrowSchema } = footerKeyValues(meta);
  if (arrowSchema !== null) mergeArrowSchema(arrowSchema, kv, leaves.map((l) => l.name));
  const metadata = Object.fromEntries(kv);
  const columns = leaves.map((l) => ({ name: l.name, values: new Float64Array(nRows).fill(NaN) }));
  const ctx: Ctx = { bytes, z: null, levels: new Int32Array(0), idx: new Int32Array(0) };
  let rowBase = 0;
  for (const rg of list(meta, 4) as TStruct[]) {
    const rgRows = need(rg, 3);
    const chunks = list(rg, 1) as TStruct[];
    if (chunks.length !== leaves.length || rowBase + rgRows > nRows) throw new Unsupported('row group shape');
    for (let c = 0; c < chunks.length; c++) {
      const cm = struct(chunks[c]!, 3);
      if (cm === undefined || chunks[c]!.has(1)) throw new Unsupported('external column chunk');
      await decodeChunk(ctx, cm, leaves[c]!.optional, columns[c]!.values, rowBase, rgRows);
    }
    rowBase += rgRows;
  }
  if (rowBase !== nRows) throw new Unsupported('row count');
  return { nRows, columns, metadata };
}

/** Footer key/value metadata in file order, with `ARROW:schema` (base64) taken out. */
function footerKeyValues(meta: TStruct): { metadata: Map<string, string>; arrowSchema: string | null } {
  const dec = new TextDecoder('utf-8', { fatal: true });
  const metadata = new Map<string, string>();
  let arrowSchema: string | null = null;
  const kv = meta.get(5);
  if (kv !== undefined) {
    if (!Array.isArray(kv)) throw new Unsupported('key/value metadata');
    for (const e of kv as TStruct[]) {
      const k = e.get(1), v = e.get(2);
      if (!(k instanceof Uint8Array)) throw new Unsupported('key');
      const key = dec.decode(k);
      const value = v instanceof Uint8Array ? dec.decode(v) : '';
      if (key === 'ARROW:schema') arrowSchema = value;
      else metadata.set(key, value);
    }
  }
  return { metadata, arrowSchema };
}

/**
 * The Arrow schema a writer embedded (base64 IPC, key `ARROW:schema`): its own metadata joins the footer's
 * where a key is missing there, as parquet-wasm (arrow-rs) merges them. With `doubles`, it must declare
 * exactly those columns, each a plain Float64 (else Arrow would read another type). Returns its field names.
 */
function mergeArrowSchema(encoded: string, metadata: Map<string, string>, doubles?: string[]): string[] {
  let schema: arrow.Schema;
  try {
    schema = arrow.tableFromIPC(Buffer.from(encoded, 'base64')).schema;
  } catch {
    throw new Unsupported('ARROW:schema');
  }
  if (doubles !== undefined) {
    if (schema.fields.length !== doubles.length) throw new Unsupported('ARROW:schema fields');
    schema.fields.forEach((f, i) => {
      if (f.name !== doubles[i] || !arrow.DataType.isFloat(f.type) || f.type.precision !== arrow.Precision.DOUBLE) throw new Unsupported('ARROW:schema type');
    });
  }
  for (const [k, v] of schema.metadata) if (!metadata.has(k)) metadata.set(k, v);
  return schema.fields.map((f) => f.name);
}

/**
 * Top-level column names and key/value metadata of a Parquet footer (the bytes before the last 8 of the
 * file), as parquet-wasm's Arrow schema reports them; null if the footer is not one this reader parses
 * (the caller then asks parquet-wasm).
 * @example parquetFooterSummary(footer)?.columns // ['is_agent', 'f0', …]
 */
export function parquetFooterSummary(footer: Uint8Array): { columns: string[]; metadata: Record<string, string> } | null {
  try {
    const meta = new Compact(footer).struct();
    const { metadata, arrowSchema } = footerKeyValues(meta);
    let columns: string[];
    if (arrowSchema !== null) columns = mergeArrowSchema(arrowSchema, metadata);
    else {
      // the schema is a depth-first list: the root's children are the top-level columns
      const schema = list(meta, 2) as TStruct[];
      const root = schema[0];
      if (root === undefined) throw new Unsupported('no schema');
      const dec = new TextDecoder('utf-8', { fatal: true });
      columns = [];
      let at = 1;
      const skip = (): void => {
        const el = schema[at++];
        if (el === undefined) throw new Unsupported('schema ends early');
        for (let c = num(el, 5) ?? 0; c > 0; c--) skip();
      };
      for (let c = need(root, 5); c > 0; c--) {
        const name = schema[at]?.get(4);
        if (!(name instanceof Uint8Array)) throw new Unsupported('no name');
        columns.push(dec.decode(name));
        skip();
      }
      if (at !== schema.length) throw new Unsupported('schema shape');
    }
    return { columns, metadata: Object.fromEntries(metadata) };
  } catch (err) {
    if (err instanceof Unsupported || err instanceof RangeError || err instanceof TypeError) return null;
    throw err;
  }
}

interface Ctx {
  bytes: Uint8Array;
  z: Zstd | null;
  levels: Int32Array;
  idx: Int32Array;
}

async function pageBody(ctx: Ctx, codec: number, src: Uint8Array, uncompressed: number): Promise<Uint8Array> {
  if (codec === UNCOMPRESSED) {
    if (src.length !== uncompressed) throw new Unsupported('page size');
    return src;
  }
  ctx.z ??= await loadZstd();
  let out: Uint8Array;
  try {
    out = ctx.z.decompress(src, uncompressed);
  } catch {
    throw new Unsupported('zstd');
  }
  if (out.length !== uncompressed) throw new Unsupported('page size');
  return out;
}

/** out[at + i] = dict[idx[i]] for i < n; false if an index is out of range. */
function gather(dict: Float64Array, idx: Int32Array, n: number, out: Float64Array, at: number): boolean {
  const dn = dict.length;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    bad |= (dn - 1 - j) | j; // negative when j < 0 or j >= dn
    out[at + i] = dict[j]!;
  }
  return bad >= 0;
}

/** The same for an optional column: row i takes the next index where levels[i] is 1, else stays NaN. */
function gatherPresent(dict: Float64Array, idx: Int32Array, levels: Int32Array, n: number, out: Float64Array, at: number): boolean {
  const dn = dict.length;
  let bad = 0;
  for (let i = 0, k = 0; i < n; i++) {
    if (levels[i] !== 1) continue;
    const j = idx[k++]!;
    bad |= (dn - 1 - j) | j;
    out[at + i] = dict[j]!;
  }
  return bad >= 0;
}

/** Copy `n` little-endian doubles from `src[pos..]` to `out[at..]`. */
function copyDoubles(src: Uint8Array, pos: number, n: number, out: Float64Array, at: number): void {
  if (pos + n * 8 > src.length) throw new Unsupported('values past the end');
  new Uint8Array(out.buffer, out.byteOffset + at * 8, n * 8).set(src.subarray(pos, pos + n * 8));
}

async function decodeChunk(ctx: Ctx, cm: TStruct, optional: boolean, out: Float64Array, rowBase: number, rgRows: number): Promise<void> {
  if (need(cm, 1) !== DOUBLE) throw new Unsupported('type');
  const codec = need(cm, 4);
  if (codec !== UNCOMPRESSED && codec !== ZSTD) throw new Unsupported('codec');
  const numValues = need(cm, 5);
  if (numValues !== rgRows) throw new Unsupported('values per row group');
  const dictOffset = num(cm, 11);
  const dataOffset = need(cm, 9);
  let pos = dictOffset !== undefined && dictOffset > 0 && dictOffset < dataOffset ? dictOffset : dataOffset;
  const end = pos + need(cm, 7);
  if (end > ctx.bytes.length - 8) throw new Unsupported('chunk past the end');
  let dict: Float64Array | null = null;
  let row = 0;
  while (row < rgRows) {
    if (pos >= end) throw new Unsupported('chunk ends early');
    const r = new Compact(ctx.bytes, pos);
    const ph = r.struct();
    const type = need(ph, 1), uncompressed = need(ph, 2), compressed = need(ph, 3);
    const start = r.pos;
    pos = start + compressed;
    if (pos > end) throw new Unsupported('page past the chunk');
    const raw = ctx.bytes.subarray(start, pos);
    if (type === DICTIONARY_PAGE) {
      const h = struct(ph, 7);
      if (h === undefined || dict !== null) throw new Unsupported('dictionary page');
      const enc = need(h, 2);
      if (enc !== PLAIN && enc !== PLAIN_DICTIONARY) throw new Unsupported('dictionary encoding');
      const n = need(h, 1);
      const body = await pageBody(ctx, codec, raw, uncompressed);
      dict = new Float64Array(n);
      copyDoubles(body, 0, n, dict, 0);
      continue;
    }
    let n: number, encoding: number, body: Uint8Array, p: number, levelsEnd: number, levelsStart: number;
    if (type === DATA_PAGE) {
      const h = struct(ph, 5);
      if (h === undefined) throw new Unsupported('data page header');
      n = need(h, 1);
      encoding = need(h, 2);
      body = await pageBody(ctx, codec, raw, uncompressed);
      p = 0;
      levelsStart = 0;
      levelsEnd = 0;
      if (optional) {
        if (need(h, 3) !== RLE) throw new Unsupported('level encoding');
        if (body.length < 4) throw new Unsupported('levels');
        const len = body[0]! | (body[1]! << 8) | (body[2]! << 16) | (body[3]! << 24);
        levelsStart = 4;
        levelsEnd = 4 + len;
        p = levelsEnd;
      }
    } else if (type === DATA_PAGE_V2) {
      const h = struct(ph, 8);
      if (h === undefined) throw new Unsupported('data page v2 header');
      n = need(h, 1);
      encoding = need(h, 4);
      const defLen = need(h, 5), repLen = need(h, 6);
      if (repLen !== 0 || (!optional && defLen !== 0) || defLen > raw.length) throw new Unsupported('v2 levels');
      const isCompressed = h.get(7) !== false;
      const values = isCompressed ? await pageBody(ctx, codec, raw.subarray(defLen), uncompressed - defLen) : raw.subarray(defLen);
      body = new Uint8Array(defLen + values.length);
      body.set(raw.subarray(0, defLen), 0);
      body.set(values, defLen);
      levelsStart = 0;
      levelsEnd = defLen;
      p = defLen;
    } else {
      throw new Unsupported(`page type ${type}`);
    }
    if (row + n > rgRows) throw new Unsupported('too many values');
    // definition levels: 1 = present, 0 = null (flat optional column)
    let present = n;
    if (optional) {
      if (levelsEnd > body.length) throw new Unsupported('levels past the end');
      if (ctx.levels.length < n) ctx.levels = new Int32Array(n);
      decodeHybrid(body, levelsStart, levelsEnd, 1, n, ctx.levels);
      present = 0;
      for (let i = 0; i < n; i++) present += ctx.levels[i]!;
    }
    const at = rowBase + row;
    if (encoding === PLAIN) {
      if (present === n) copyDoubles(body, p, n, out, at);
      else {
        const vals = new Float64Array(present);
        copyDoubles(body, p, present, vals, 0);
        for (let i = 0, k = 0; i < n; i++) if (ctx.levels[i] === 1) out[at + i] = vals[k++]!;
      }
    } else if (encoding === RLE_DICTIONARY || encoding === PLAIN_DICTIONARY) {
      if (dict === null || p >= body.length) throw new Unsupported('no dictionary');
      const bitWidth = body[p]!;
      if (bitWidth > 32) throw new Unsupported('bit width');
      if (ctx.idx.length < present) ctx.idx = new Int32Array(present);
      const idx = ctx.idx;
      if (bitWidth === 0) idx.fill(0, 0, present);
      else decodeHybrid(body, p + 1, body.length, bitWidth, present, idx);
      if (!(present === n ? gather(dict, idx, n, out, at) : gatherPresent(dict, idx, ctx.levels, n, out, at))) throw new Unsupported('dictionary index');
    } else {
      throw new Unsupported(`encoding ${encoding}`);
    }
    row += n;
  }
}
