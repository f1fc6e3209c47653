/**
 * Arrow vectors → phantom's typed columns (the inverse of arrow-vectors.ts), tolerant of files written by
 * other tools: dictionary or plain strings, any integer key width, timestamps in any unit, several chunks.
 */
import * as arrow from './arrow.js';
import { parseTimestampMs } from './timestamp.js';

// the column type and its reader live in dict-column.ts (no Arrow), so building tables needs no Arrow
import type { DictColumn } from './dict-column.js';
export { type DictColumn, dictValue } from './dict-column.js';

const decoder = new TextDecoder();

function isNullAt(d: arrow.Data, i: number): boolean {
  if (d.nullCount === 0 || !d.nullBitmap || d.nullBitmap.length === 0) return false;
  const j = d.offset + i;
  return (d.nullBitmap[j >> 3]! & (1 << (j & 7))) === 0;
}

function utf8At(d: arrow.Data, i: number): string {
  const offs = d.valueOffsets as Int32Array;
  return decoder.decode((d.values as Uint8Array).subarray(offs[i]!, offs[i + 1]!));
}

/** Any string-like vector (Dictionary<*, Utf8> or Utf8) → dictionary column with one global dictionary. */
export function readDictColumn(vec: arrow.Vector | null, length: number): DictColumn {
  const codes = new Int32Array(length).fill(-1);
  const dict: string[] = [];
  if (vec === null) return { codes, dict };
  const index = new Map<string, number>();
  const intern = (s: string): number => {
    let c = index.get(s);
    if (c === undefined) {
      c = dict.length;
      dict.push(s);
      index.set(s, c);
    }
    return c;
  };
  let row = 0;
  for (const d of vec.data) {
    if (arrow.DataType.isDictionary(d.type)) {
      const local = d.dictionary!;
      const remap = new Int32Array(local.length);
      for (let k = 0; k < local.length; k++) remap[k] = intern(String(local.get(k)));
      const keys = d.values as ArrayLike<number>;
      for (let i = 0; i < d.length; i++) codes[row + i] = isNullAt(d, i) ? -1 : remap[Number(keys[i])]!;
    } else if (arrow.DataType.isUtf8(d.type) || arrow.DataType.isLargeUtf8(d.type)) {
      for (let i = 0; i < d.length; i++) codes[row + i] = isNullAt(d, i) ? -1 : intern(utf8At(d, i));
    } else {
      const v = arrow.makeVector(d);
      for (let i = 0; i < d.length; i++) codes[row + i] = isNullAt(d, i) ? -1 : intern(String(v.get(i)));
    }
    row += d.length;
  }
  return { codes, dict };
}

/** Any string-like vector → an array of strings (null where null). */
export function readStrings(vec: arrow.Vector | null, length: number): (string | null)[] {
  const col = readDictColumn(vec, length);
  const out = new Array<string | null>(length);
  for (let i = 0; i < length; i++) out[i] = col.codes[i]! < 0 ? null : col.dict[col.codes[i]!]!;
  return out;
}

/** Epoch ms from a 64-bit timestamp in `unit`, floored; nanoseconds go through BigInt (they exceed 2^53). */
function timestampsToMs(values: BigInt64Array, length: number, unit: arrow.TimeUnit): Float64Array {
  if (unit === arrow.TimeUnit.NANOSECOND) {
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const v = values[i]!;
      const q = v / 1_000_000n;
      out[i] = Number(v < 0n && q * 1_000_000n !== v ? q - 1n : q);
    }
    return out;
  }
  const raw = int64ToNumbers(values, length);
  if (unit === arrow.TimeUnit.SECOND) for (let i = 0; i < length; i++) raw[i] = raw[i]! * 1000;
  if (unit === arrow.TimeUnit.MICROSECOND) for (let i = 0; i < length; i++) raw[i] = Math.floor(raw[i]! / 1000);
  return raw;
}

/** Signed 64-bit words → doubles (exact below 2^53). */
function int64ToNumbers(values: BigInt64Array | Int32Array, length: number): Float64Array {
  const words = values instanceof BigInt64Array ? new Int32Array(values.buffer, values.byteOffset, length * 2) : values;
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0);
  return out;
}

/**
 * Any numeric or timestamp vector → Float64Array with NaN for null. Timestamps become epoch ms, floored
 * (sub-millisecond digits dropped, as docs/contract.md §3 says).
 */
export function readNumbers(vec: arrow.Vector | null, length: number): Float64Array {
  const out = new Float64Array(length).fill(NaN);
  if (vec === null) return out;
  let row = 0;
  for (const d of vec.data) {
    const t = d.type;
    let vals: ArrayLike<number>;
    if (arrow.DataType.isTimestamp(t)) {
      vals = timestampsToMs(d.values as BigInt64Array, d.length, t.unit);
    } else if (arrow.DataType.isInt(t) && t.bitWidth === 64) {
      vals = int64ToNumbers(d.values as BigInt64Array, d.length);
    } else if (arrow.DataType.isDate(t) || arrow.DataType.isUtf8(t)) {
      const v = arrow.makeVector(d);
      vals = Float64Array.from({ length: d.length }, (_, i) => {
        const x = v.get(i) as Date | number | string | null;
        return x === null ? NaN : typeof x === 'string' ? parseTimestampMs(x) : Number(x);
      });
    } else {
      vals = d.values as ArrayLike<number>;
      if (d.nullCount === 0 && (arrow.DataType.isInt(t) || (arrow.DataType.isFloat(t) && t.precision !== arrow.Precision.HALF))) {
        // no nulls, values that are numbers already: one copy, as the loop below would write them
        out.set((d.values as Float64Array | Float32Array | Int32Array).subarray(0, d.length), row);
        row += d.length;
        continue;
      }
    }
    for (let i = 0; i < d.length; i++) if (!isNullAt(d, i)) out[row + i] = Number(vals[i]);
    row += d.length;
  }
  return out;
}

/** Bool vector → −1/0/1 flags (−1 null). Numeric 0/1 columns are accepted too. */
export function readFlags(vec: arrow.Vector | null, length: number): Int8Array {
  const out = new Int8Array(length).fill(-1);
  if (vec === null) return out;
  let row = 0;
  for (const d of vec.data) {
    if (arrow.DataType.isBool(d.type)) {
      // the bit itself, as Vector.get reads it, without a call per row
      const bits = d.values as Uint8Array, off = d.offset;
      for (let i = 0; i < d.length; i++) if (!isNullAt(d, i)) out[row + i] = (bits[(off + i) >> 3]! >> ((off + i) & 7)) & 1;
      row += d.length;
      continue;
    }
    const v = arrow.makeVector(d);
    for (let i = 0; i < d.length; i++) {
      if (isNullAt(d, i)) continue;
      const x = v.get(i) as unknown;
      out[row + i] = x === true || x === 1 || x === 1n ? 1 : 0;
    }
    row += d.length;
  }
  return out;
}
