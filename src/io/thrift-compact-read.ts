/**
 * The read side of Thrift's compact protocol for Parquet's footer and page headers (the write side is
 * thrift-compact.ts): a struct becomes a map of field id → value (lists as arrays, binaries as subarrays
 * of the input). Anything malformed throws `Unsupported`, which the direct Parquet reader turns into
 * "read this file through parquet-wasm instead".
 */

/** Thrown for anything the direct reader does not handle; never escapes its public functions. */
export class Unsupported extends Error {}

export type TValue = number | boolean | Uint8Array | TValue[] | TStruct;
export type TStruct = Map<number, TValue>;

/** A cursor over compact-protocol bytes. */
export class Compact {
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

/** Field `id` of `s` if it is a number. */
export const num = (s: TStruct, id: number): number | undefined => {
  const v = s.get(id);
  return typeof v === 'number' ? v : undefined;
};
/** Field `id` of `s`, which must be a number. */
export const need = (s: TStruct, id: number): number => {
  const v = num(s, id);
  if (v === undefined) throw new Unsupported(`missing field ${id}`);
  return v;
};
/** Field `id` of `s` if it is a struct. */
export const struct = (s: TStruct, id: number): TStruct | undefined => {
  const v = s.get(id);
  return v instanceof Map ? v : undefined;
};
/** Field `id` of `s` as a list (empty when absent). */
export const list = (s: TStruct, id: number): TValue[] => {
  const v = s.get(id);
  return Array.isArray(v) ? v : [];
};
