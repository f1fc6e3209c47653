/**
 * Adds key/value metadata to a finished Parquet file by rewriting field 5 (`key_value_metadata`) of its
 * Thrift-compact `FileMetaData` footer. Needed because a streaming writer fixes its properties before
 * the first row, while counts are only known after the last. Every other footer byte is copied as is.
 */
import { open } from 'node:fs/promises';
import { Compact } from './thrift-compact-read.js';

const MAGIC = 0x31524150; // "PAR1" little-endian

/** The footer walked as field byte ranges (to copy or replace them), on the direct reader's Thrift bytes. */
class CompactReader extends Compact {
  binary(): Uint8Array {
    const n = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(type: number): void {
    switch (type) {
      case 1: case 2: return; // bool in a field header
      case 3: this.pos += 1; return;
      case 4: case 5: case 6: this.varint(); return;
      case 7: this.pos += 8; return;
      case 8: this.binary(); return;
      case 9: case 10: {
        const h = this.byte();
        const size = (h >> 4) === 15 ? this.varint() : h >> 4;
        const et = h & 0x0f;
        for (let i = 0; i < size; i++) if (et === 1 || et === 2) this.pos += 1; else this.skip(et);
        return;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) { this.skip(kv >> 4); this.skip(kv & 0x0f); }
        return;
      }
      case 12: this.skipStruct(); return;
      default: throw new Error(`unknown thrift type ${type}`);
    }
  }
  /** Walk one struct; returns its fields as [id, type, start, end). */
  fields(): { id: number; type: number; start: number; end: number }[] {
    const out: { id: number; type: number; start: number; end: number }[] = [];
    let last = 0;
    for (;;) {
      const start = this.pos;
      const h = this.byte();
      if (h === 0) return out;
      const delta = h >> 4;
      const type = h & 0x0f;
      let id: number;
      if (delta === 0) { const z = this.varint(); id = (z >>> 1) ^ -(z & 1); } else id = last + delta;
      this.skip(type);
      out.push({ id, type, start, end: this.pos });
      last = id;
    }
  }
  skipStruct(): void { this.fields(); }
}

function varintBytes(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
  out.push(n);
  return out;
}

function fieldHeader(id: number, prev: number, type: number): number[] {
  const delta = id - prev;
  if (delta > 0 && delta <= 15) return [(delta << 4) | type];
  return [type, ...varintBytes((id << 1) ^ (id >> 15))];
}

function readKeyValues(r: CompactReader): Map<string, string> {
  const dec = new TextDecoder();
  const out = new Map<string, string>();
  const h = r.byte();
  const size = (h >> 4) === 15 ? r.varint() : h >> 4;
  for (let i = 0; i < size; i++) {
    let key = '', value = '', last = 0;
    for (;;) {
      const fh = r.byte();
      if (fh === 0) break;
      const id = (fh >> 4) === 0 ? (() => { const z = r.varint(); return (z >>> 1) ^ -(z & 1); })() : last + (fh >> 4);
      if ((fh & 0x0f) === 8 && id === 1) key = dec.decode(r.binary());
      else if ((fh & 0x0f) === 8 && id === 2) value = dec.decode(r.binary());
      else r.skip(fh & 0x0f);
      last = id;
    }
    out.set(key, value);
  }
  return out;
}

function encodeKeyValues(kv: Map<string, string>): number[] {
  const enc = new TextEncoder();
  const out: number[] = kv.size < 15 ? [(kv.size << 4) | 12] : [0xfc, ...varintBytes(kv.size)];
  for (const [k, v] of kv) {
    const kb = enc.encode(k), vb = enc.encode(v);
    out.push(0x18, ...varintBytes(kb.length), ...kb, 0x18, ...varintBytes(vb.length), ...vb, 0);
  }
  return out;
}

/** Parse a footer and return it with `extra` merged into its key/value metadata. */
export function footerWithMetadata(footer: Uint8Array, extra: Record<string, string>): Uint8Array {
  const r = new CompactReader(footer);
  const fields = r.fields();
  const kvField = fields.find((f) => f.id === 5);
  const merged = new Map<string, string>();
  if (kvField) {
    const kr = new CompactReader(footer, kvField.start);
    const h = kr.byte();
    if ((h >> 4) === 0) kr.varint();
    for (const [k, v] of readKeyValues(kr)) merged.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) merged.set(k, v);
  const before = fields.filter((f) => f.id < 5);
  const after = fields.filter((f) => f.id > 5);
  const lastBefore = before.at(-1);
  const prevId = lastBefore?.id ?? 0;
  const head = footer.subarray(0, lastBefore?.end ?? 0);
  const kvBytes = [...fieldHeader(5, prevId, 9), ...encodeKeyValues(merged)];
  // fields after 5 keep their bytes, except the first one's header, whose delta is now relative to 5
  const tail: number[] = [];
  let last = 5;
  for (const f of after) {
    const hr = new CompactReader(footer, f.start);
    const h = hr.byte();
    if ((h >> 4) === 0) hr.varint();
    tail.push(...fieldHeader(f.id, last, f.type), ...footer.subarray(hr.pos, f.end));
    last = f.id;
  }
  return Uint8Array.from([...head, ...kvBytes, ...tail, 0]);
}

/** Rewrite the footer of the Parquet file at `path` in place, adding `extra` key/value metadata. */
export async function rewriteFooterMetadata(path: string, extra: Record<string, string>): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    const { size } = await fh.stat();
    const trailer = Buffer.alloc(8);
    await fh.read(trailer, 0, 8, size - 8);
    if (trailer.readUInt32LE(4) !== MAGIC) throw new Error(`${path}: not a Parquet file (no PAR1 trailer)`);
    const len = trailer.readUInt32LE(0);
    const footer = Buffer.alloc(len);
    await fh.read(footer, 0, len, size - 8 - len);
    const next = footerWithMetadata(footer, extra);
    const out = Buffer.alloc(next.length + 8);
    out.set(next, 0);
    out.writeUInt32LE(next.length, next.length);
    out.writeUInt32LE(MAGIC, next.length + 4);
    await fh.truncate(size - 8 - len);
    await fh.write(out, 0, out.length, size - 8 - len);
  } finally {
    await fh.close();
  }
}
