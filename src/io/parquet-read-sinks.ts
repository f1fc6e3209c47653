/**
 * The value side of the direct Parquet reader: PLAIN, dictionary and RLE values of one column written into
 * the typed column a learner reads — numbers as a Float64Array with NaN for null (doubles, floats, int32,
 * int64, booleans as 0/1), strings as codes into one dictionary with −1 for null. Each conversion is the
 * one Arrow + io/arrow-columns.ts make of the same values, so both paths give the same numbers and codes.
 */
import { BOOLEAN, type ValueSink } from './parquet-read-pages.js';
import { Unsupported } from './thrift-compact-read.js';

export const INT32 = 1, INT64 = 2, FLOAT = 4, DOUBLE = 5, BYTE_ARRAY = 6;

const WIDTH: Record<number, number> = { [INT32]: 4, [INT64]: 8, [FLOAT]: 4, [DOUBLE]: 8 };

/** Aligned view or copy of `count` 4-byte words at `src[pos..]`. */
function words(src: Uint8Array, pos: number, count: number): Int32Array {
  const off = src.byteOffset + pos;
  if ((off & 3) === 0) return new Int32Array(src.buffer, off, count);
  const copy = new Uint8Array(count * 4); // not src.slice: a Buffer's slice is a view
  copy.set(src.subarray(pos, pos + count * 4));
  return new Int32Array(copy.buffer);
}

/** `count` PLAIN values of physical type `type` from `src[pos..]` into `out[at..]` as doubles. */
function plainNumbers(type: number, src: Uint8Array, pos: number, count: number, out: Float64Array, at: number): void {
  if (type === BOOLEAN) {
    // bit-packed, least significant bit first
    if (pos + ((count + 7) >> 3) > src.length) throw new Unsupported('values past the end');
    for (let i = 0; i < count; i++) out[at + i] = (src[pos + (i >> 3)]! >> (i & 7)) & 1;
    return;
  }
  const width = WIDTH[type];
  if (width === undefined) throw new Unsupported('type');
  if (pos + count * width > src.length) throw new Unsupported('values past the end');
  if (type === DOUBLE) {
    new Uint8Array(out.buffer, out.byteOffset + at * 8, count * 8).set(src.subarray(pos, pos + count * 8));
  } else if (type === INT32) {
    out.set(words(src, pos, count), at);
  } else if (type === INT64) {
    // as io/arrow-columns.ts's int64ToNumbers: high word × 2^32 + unsigned low word (exact below 2^53)
    const w = words(src, pos, count * 2);
    for (let i = 0; i < count; i++) out[at + i] = w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0);
  } else {
    const w = words(src, pos, count);
    out.set(new Float32Array(w.buffer, w.byteOffset, count), at);
  }
}

/** Numbers (and booleans as 0/1) into a Float64Array whose null rows stay NaN. */
export class NumberSink implements ValueSink {
  private dict: Float64Array | null = null;
  constructor(private readonly type: number, readonly out: Float64Array) {}
  dictionary(body: Uint8Array, n: number): void {
    if (this.type === BOOLEAN) throw new Unsupported('boolean dictionary');
    this.dict = new Float64Array(n);
    plainNumbers(this.type, body, 0, n, this.dict, 0);
  }
  plain(body: Uint8Array, pos: number, n: number, present: number, at: number, levels: Int32Array | null): void {
    if (levels === null) {
      plainNumbers(this.type, body, pos, n, this.out, at);
      return;
    }
    const vals = new Float64Array(present);
    plainNumbers(this.type, body, pos, present, vals, 0);
    this.scatter(vals, n, at, levels);
  }
  indices(idx: Int32Array, n: number, _present: number, at: number, levels: Int32Array | null): void {
    const dict = this.dict!, dn = dict.length, out = this.out;
    let bad = 0;
    if (levels === null) {
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        bad |= (dn - 1 - j) | j; // negative when j < 0 or j >= dn
        out[at + i] = dict[j]!;
      }
    } else {
      for (let i = 0, k = 0; i < n; i++) {
        if (levels[i] !== 1) continue;
        const j = idx[k++]!;
        bad |= (dn - 1 - j) | j;
        out[at + i] = dict[j]!;
      }
    }
    if (bad < 0) throw new Unsupported('dictionary index');
  }
  bits(vals: Int32Array, n: number, _present: number, at: number, levels: Int32Array | null): void {
    if (this.type !== BOOLEAN) throw new Unsupported('RLE values');
    if (levels === null) for (let i = 0; i < n; i++) this.out[at + i] = vals[i]!;
    else this.scatter(vals, n, at, levels);
  }
  private scatter(vals: ArrayLike<number>, n: number, at: number, levels: Int32Array): void {
    for (let i = 0, k = 0; i < n; i++) if (levels[i] === 1) this.out[at + i] = vals[k++]!;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * UTF-8 strings into codes of one dictionary. `dictionaryOrder`: the column is an Arrow Dictionary, whose
 * reader interns each chunk's whole dictionary in its order (io/arrow-columns.ts readDictColumn), so every
 * page must then be dictionary-encoded; otherwise (Arrow Utf8) codes follow first appearance in row order.
 */
export class StringSink implements ValueSink {
  readonly codes: Int32Array;
  readonly dict: string[] = [];
  private readonly index = new Map<string, number>();
  private local: string[] = [];
  private remap = new Int32Array(0);
  constructor(nRows: number, private readonly dictionaryOrder: boolean) {
    this.codes = new Int32Array(nRows).fill(-1);
  }
  private intern(s: string): number {
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(s);
      this.index.set(s, c);
    }
    return c;
  }
  /**
   * Strings of `count` PLAIN byte arrays (4-byte length, bytes) from `src[pos..]`, to `each`. They must fill the
   * page to its last byte: zstd without a checksum can inflate a damaged page to the right size, and a changed
   * length then shifts every later string, which only the end position shows (arrow-rs refuses such a page too).
   */
  private strings(src: Uint8Array, pos: number, count: number, each: (k: number, s: string) => void): void {
    const buf = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
    for (let k = 0; k < count; k++) {
      if (pos + 4 > src.length) throw new Unsupported('string past the end');
      const len = buf.readUInt32LE(pos);
      const s = pos + 4, e = s + len;
      if (e > src.length) throw new Unsupported('string past the end');
      let ascii = true;
      for (let b = s; b < e; b++) if (src[b]! >= 0x80) { ascii = false; break; }
      // latin1 is the same text for ASCII, and decodes natively; other bytes must be valid UTF-8 (fatal)
      each(k, ascii ? buf.toString('latin1', s, e) : utf8.decode(src.subarray(s, e)));
      pos = e;
    }
    if (pos !== src.length) throw new Unsupported('strings do not fill the page');
  }
  dictionary(body: Uint8Array, n: number): void {
    this.local = new Array<string>(n);
    this.remap = new Int32Array(n).fill(-1);
    this.strings(body, 0, n, (k, s) => {
      this.local[k] = s;
      if (this.dictionaryOrder) this.remap[k] = this.intern(s);
    });
  }
  plain(body: Uint8Array, pos: number, n: number, present: number, at: number, levels: Int32Array | null): void {
    if (this.dictionaryOrder) throw new Unsupported('dictionary column with PLAIN pages');
    const codes = this.codes;
    if (levels === null) {
      this.strings(body, pos, n, (k, s) => { codes[at + k] = this.intern(s); });
      return;
    }
    let i = 0;
    this.strings(body, pos, present, (_k, s) => {
      while (levels[i] !== 1) i++;
      codes[at + i++] = this.intern(s);
    });
  }
  indices(idx: Int32Array, n: number, _present: number, at: number, levels: Int32Array | null): void {
    const codes = this.codes, remap = this.remap, local = this.local, dn = local.length;
    for (let i = 0, k = 0; i < n; i++) {
      if (levels !== null && levels[i] !== 1) continue;
      const j = idx[k++]!;
      if (j < 0 || j >= dn) throw new Unsupported('dictionary index');
      let c = remap[j]!;
      if (c < 0) c = remap[j] = this.intern(local[j]!);
      codes[at + i] = c;
    }
  }
  bits(): void {
    throw new Unsupported('RLE strings');
  }
}
