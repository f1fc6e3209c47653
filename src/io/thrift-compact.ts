/**
 * The write side of Thrift's compact protocol, as far as Parquet's page headers and footer need it:
 * structs, zigzag-varint i32/i64, binary, bool and lists, over a growable byte sink. Integers are JS
 * numbers (exact below 2^53, ample for sizes and offsets).
 */

/** Compact-protocol type ids (field headers and list element types). */
export const TType = { TRUE: 1, FALSE: 2, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

/** A growable byte buffer written front to back (a Buffer, for native string writes). */
export class ByteSink {
  buf: Buffer;
  pos = 0;
  constructor(capacity = 1 << 16) {
    // unzeroed: only bytes below `pos`, all written, are ever read
    this.buf = Buffer.allocUnsafe(capacity);
  }
  /** Make room for `n` more bytes (doubling). */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  u32le(n: number): void {
    this.ensure(4);
    this.putU32le(this.pos, n);
    this.pos += 4;
  }
  /** Overwrite 4 bytes at `at` (a length written after its content). */
  putU32le(at: number, n: number): void {
    const b = this.buf;
    b[at] = n & 0xff;
    b[at + 1] = (n >>> 8) & 0xff;
    b[at + 2] = (n >>> 16) & 0xff;
    b[at + 3] = (n >>> 24) & 0xff;
  }
  /** Unsigned LEB128 of a non-negative integer below 2^53. */
  varint(n: number): void {
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }
  /** The bytes written so far (a view, valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
  reset(): void {
    this.pos = 0;
  }
}

/**
 * Compact-protocol writer: call `structBegin`, then `field…` methods with ascending ids, then `structEnd`.
 * @example const w = new CompactWriter(); w.structBegin(); w.fieldI32(1, 7); w.structEnd(); w.sink.view()
 */
export class CompactWriter {
  private lastField = 0;
  private readonly stack: number[] = [];
  constructor(readonly sink = new ByteSink(1024)) {}

  structBegin(): void {
    this.stack.push(this.lastField);
    this.lastField = 0;
  }
  structEnd(): void {
    this.sink.byte(0);
    this.lastField = this.stack.pop()!;
  }
  /** Field header: the id as a delta from the previous field when it fits in 4 bits. */
  private header(id: number, type: number): void {
    const delta = id - this.lastField;
    if (delta > 0 && delta <= 15) this.sink.byte((delta << 4) | type);
    else {
      this.sink.byte(type);
      this.sink.varint(zigzag(id));
    }
    this.lastField = id;
  }
  fieldI32(id: number, v: number): void {
    this.header(id, TType.I32);
    this.sink.varint(zigzag(v));
  }
  fieldI64(id: number, v: number): void {
    this.header(id, TType.I64);
    this.sink.varint(zigzag(v));
  }
  fieldBool(id: number, v: boolean): void {
    this.header(id, v ? TType.TRUE : TType.FALSE);
  }
  fieldBinary(id: number, b: Uint8Array): void {
    this.header(id, TType.BINARY);
    this.binary(b);
  }
  fieldString(id: number, s: string): void {
    this.fieldBinary(id, Buffer.from(s, 'utf8'));
  }
  /** A struct-typed field: header, then the caller writes its fields and calls `structEnd`. */
  fieldStruct(id: number): void {
    this.header(id, TType.STRUCT);
    this.structBegin();
  }
  /** A list-typed field: header and list header; the caller writes `size` elements. */
  fieldList(id: number, elementType: number, size: number): void {
    this.header(id, TType.LIST);
    if (size < 15) this.sink.byte((size << 4) | elementType);
    else {
      this.sink.byte(0xf0 | elementType);
      this.sink.varint(size);
    }
  }
  /** List elements. */
  i32(v: number): void {
    this.sink.varint(zigzag(v));
  }
  binary(b: Uint8Array): void {
    this.sink.varint(b.length);
    this.sink.bytes(b);
  }
  string(s: string): void {
    this.binary(Buffer.from(s, 'utf8'));
  }
}

/** Zigzag mapping of a signed integer (|n| < 2^52) to an unsigned one: 0,−1,1,−2 → 0,1,2,3. */
function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}
