/**
 * The page layer of the direct Parquet reader (parquet-read-flat.ts): walks one column chunk's pages
 * (dictionary page, data pages v1 and v2), decompresses them (zstd through @foxglove/wasm-zstd, gzip through
 * node:zlib, or none) after checking its CRC-32 when the header has one (parquet-checksums.ts), decodes the definition levels of a flat optional column and the dictionary indices
 * (the RLE/bit-packed hybrid), and hands the values to a `ValueSink` that knows the column's type. Anything
 * it does not handle throws `Unsupported`.
 */
import { gunzipSync } from 'node:zlib';
import { checkPage, chunkStart } from './parquet-checksums.js';
import { Compact, need, struct, type TStruct, Unsupported } from './thrift-compact-read.js';
import { loadZstd, type WasmZstd } from './wasm-zstd.js';

const UNCOMPRESSED = 0, GZIP = 2, ZSTD = 6;
const PLAIN = 0, PLAIN_DICTIONARY = 2, RLE = 3, RLE_DICTIONARY = 8;
const DATA_PAGE = 0, DICTIONARY_PAGE = 2, DATA_PAGE_V2 = 3;
export const BOOLEAN = 0;

/** Where a column chunk's values go, by type. `levels` marks the present rows (1) of a page with nulls; null when every row is present. */
export interface ValueSink {
  /** the chunk's dictionary page: `n` PLAIN values */
  dictionary(body: Uint8Array, n: number): void;
  /** PLAIN values of the `present` non-null rows among rows [at, at + n), from `body[pos..]` */
  plain(body: Uint8Array, pos: number, n: number, present: number, at: number, levels: Int32Array | null): void;
  /** dictionary indices of the present rows (the dictionary page came first) */
  indices(idx: Int32Array, n: number, present: number, at: number, levels: Int32Array | null): void;
  /** RLE-encoded booleans (0/1) of the present rows */
  bits(vals: Int32Array, n: number, present: number, at: number, levels: Int32Array | null): void;
}


/** Scratch shared by the chunks of one file. */
export interface PageCtx {
  bytes: Uint8Array;
  z: WasmZstd | null;
  levels: Int32Array;
  idx: Int32Array;
}

export const newPageCtx = (bytes: Uint8Array): PageCtx => ({ bytes, z: null, levels: new Int32Array(0), idx: new Int32Array(0) });

/** Codecs the walker decompresses. */
export const isReadableCodec = (codec: number): boolean => codec === UNCOMPRESSED || codec === ZSTD || codec === GZIP;

/** Decode an RLE/bit-packed hybrid run of `count` values of `bitWidth` bits from `buf[pos..end)` into `out`. */
export function decodeHybrid(buf: Uint8Array, pos: number, end: number, bitWidth: number, count: number, out: Int32Array): void {
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

async function pageBody(ctx: PageCtx, codec: number, src: Uint8Array, uncompressed: number): Promise<Uint8Array> {
  if (codec === UNCOMPRESSED) {
    if (src.length !== uncompressed) throw new Unsupported('page size');
    return src;
  }
  let out: Uint8Array;
  try {
    if (codec === ZSTD) {
      ctx.z ??= await loadZstd();
      out = ctx.z.decompress(src, uncompressed);
    } else {
      out = gunzipSync(src);
    }
  } catch {
    throw new Unsupported('decompression');
  }
  if (out.length !== uncompressed) throw new Unsupported('page size');
  return out;
}

/**
 * Decode the pages of one column chunk (metadata `cm`) into rows [rowBase, rowBase + rgRows) through `sink`.
 * `optional`: the column has definition levels (0 = null, 1 = present).
 */
export async function walkChunk(ctx: PageCtx, cm: TStruct, optional: boolean, rowBase: number, rgRows: number, sink: ValueSink): Promise<void> {
  const codec = need(cm, 4);
  if (!isReadableCodec(codec)) throw new Unsupported('codec');
  if (need(cm, 5) !== rgRows) throw new Unsupported('values per row group');
  let pos = chunkStart(cm);
  const end = pos + need(cm, 7);
  if (end > ctx.bytes.length - 8) throw new Unsupported('chunk past the end');
  const physical = need(cm, 1);
  let hasDict = false;
  let row = 0;
  while (row < rgRows) {
    if (pos >= end) throw new Unsupported('chunk ends early');
    const r = new Compact(ctx.bytes, pos);
    const ph = r.struct();
    const type = need(ph, 1), uncompressed = need(ph, 2), compressed = need(ph, 3);
    const start = r.pos;
    const headerAt = pos;
    pos = start + compressed;
    if (pos > end) throw new Unsupported('page past the chunk');
    const raw = ctx.bytes.subarray(start, pos);
    checkPage(ph, raw, cm, headerAt); // a damaged page is refused here, never handed to parquet-wasm
    if (type === DICTIONARY_PAGE) {
      const h = struct(ph, 7);
      if (h === undefined || hasDict) throw new Unsupported('dictionary page');
      const enc = need(h, 2);
      if (enc !== PLAIN && enc !== PLAIN_DICTIONARY) throw new Unsupported('dictionary encoding');
      sink.dictionary(await pageBody(ctx, codec, raw, uncompressed), need(h, 1));
      hasDict = true;
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
    let present = n;
    let levels: Int32Array | null = null;
    if (optional) {
      if (levelsEnd > body.length) throw new Unsupported('levels past the end');
      if (ctx.levels.length < n) ctx.levels = new Int32Array(n);
      decodeHybrid(body, levelsStart, levelsEnd, 1, n, ctx.levels);
      present = 0;
      for (let i = 0; i < n; i++) present += ctx.levels[i]!;
      if (present < n) levels = ctx.levels;
    }
    const at = rowBase + row;
    if (present === 0) {
      // only nulls: the rows stay null, whatever the (empty) values section says
    } else if (encoding === PLAIN) {
      sink.plain(body, p, n, present, at, levels);
    } else if (encoding === RLE_DICTIONARY || encoding === PLAIN_DICTIONARY) {
      if (!hasDict || p >= body.length) throw new Unsupported('no dictionary');
      const bitWidth = body[p]!;
      if (bitWidth > 32) throw new Unsupported('bit width');
      if (ctx.idx.length < present) ctx.idx = new Int32Array(present);
      if (bitWidth === 0) ctx.idx.fill(0, 0, present);
      else decodeHybrid(body, p + 1, body.length, bitWidth, present, ctx.idx);
      sink.indices(ctx.idx, n, present, at, levels);
    } else if (encoding === RLE && physical === BOOLEAN) {
      // booleans as a length-prefixed hybrid run of width 1 (what v2 writers use)
      if (p + 4 > body.length) throw new Unsupported('boolean run');
      const len = body[p]! | (body[p + 1]! << 8) | (body[p + 2]! << 16) | (body[p + 3]! << 24);
      if (len < 0 || p + 4 + len > body.length) throw new Unsupported('boolean run');
      if (ctx.idx.length < present) ctx.idx = new Int32Array(present);
      decodeHybrid(body, p + 4, p + 4 + len, 1, present, ctx.idx);
      sink.bits(ctx.idx, n, present, at, levels);
    } else {
      throw new Unsupported(`encoding ${encoding}`);
    }
    row += n;
  }
}
