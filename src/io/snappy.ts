/**
 * Snappy compression (raw block format, as Parquet's SNAPPY codec stores pages), after Google's
 * reference compressor: 64 KiB blocks, a hash table of 4-byte sequences, literal and copy elements.
 * Pure TypeScript: the npm snappy compressors are native add-ons or need a WASM runtime of their own.
 */

const BLOCK = 1 << 16;
const HASH_BITS = 14;
// bytes kept back at a block's end so 4-byte loads never run past it (kInputMarginBytes)
const MARGIN = 15;

function load32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

function hash(x: number): number {
  return Math.imul(x, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

class Out {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }
  literal(src: Uint8Array, from: number, to: number): void {
    const n = to - from - 1;
    if (n < 0) return;
    const b = this.buf;
    if (n < 60) b[this.pos++] = n << 2;
    else if (n < 0x100) { b[this.pos++] = 60 << 2; b[this.pos++] = n; }
    else if (n < 0x10000) { b[this.pos++] = 61 << 2; b[this.pos++] = n & 0xff; b[this.pos++] = n >>> 8; }
    else { b[this.pos++] = 62 << 2; b[this.pos++] = n & 0xff; b[this.pos++] = (n >>> 8) & 0xff; b[this.pos++] = n >>> 16; }
    b.set(src.subarray(from, to), this.pos);
    this.pos += to - from;
  }
  /** A copy of `len` bytes from `offset` back (offset < 65536 inside a block). */
  copy(offset: number, len: number): void {
    const b = this.buf;
    while (len >= 68) { this.copy2(offset, 64); len -= 64; }
    if (len > 64) { this.copy2(offset, 60); len -= 60; }
    if (len < 12 && offset < 2048) {
      b[this.pos++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
      b[this.pos++] = offset & 0xff;
    } else this.copy2(offset, len);
  }
  private copy2(offset: number, len: number): void {
    this.buf[this.pos++] = 2 | ((len - 1) << 2);
    this.buf[this.pos++] = offset & 0xff;
    this.buf[this.pos++] = offset >>> 8;
  }
}

function compressBlock(src: Uint8Array, start: number, end: number, table: Int32Array, out: Out): void {
  if (end - start < MARGIN) {
    out.literal(src, start, end);
    return;
  }
  table.fill(0);
  const limit = end - MARGIN;
  let nextEmit = start;
  let ip = start + 1;
  for (;;) {
    // find a 4-byte match, probing less often the longer nothing matches (skip heuristic)
    let skip = 32;
    let candidate = 0;
    let next = ip;
    do {
      ip = next;
      next = ip + (skip++ >> 5);
      if (next > limit) {
        out.literal(src, nextEmit, end);
        return;
      }
      const h = hash(load32(src, ip));
      candidate = start + table[h]!;
      table[h] = ip - start;
    } while (load32(src, ip) !== load32(src, candidate));
    out.literal(src, nextEmit, ip);
    // emit copies while the next position matches again
    do {
      let len = 4;
      while (ip + len < end && src[candidate + len] === src[ip + len]) len++;
      out.copy(ip - candidate, len);
      ip += len;
      nextEmit = ip;
      if (ip >= limit) {
        out.literal(src, nextEmit, end);
        return;
      }
      table[hash(load32(src, ip - 1))] = ip - 1 - start;
      const h = hash(load32(src, ip));
      candidate = start + table[h]!;
      table[h] = ip - start;
    } while (load32(src, ip) === load32(src, candidate));
    ip++;
  }
}

/**
 * Snappy-compress `src` into a new buffer.
 * @example const page = snappyCompress(new TextEncoder().encode('aaaaaaaaaaaaaaaaaaaa'))
 */
export function snappyCompress(src: Uint8Array): Uint8Array {
  const out = new Out(new Uint8Array(32 + src.length + Math.ceil(src.length / 6)));
  out.varint(src.length);
  const table = new Int32Array(1 << HASH_BITS);
  for (let s = 0; s < src.length; s += BLOCK) compressBlock(src, s, Math.min(s + BLOCK, src.length), table, out);
  return out.buf.subarray(0, out.pos);
}
