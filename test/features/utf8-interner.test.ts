// The byte-level interner must agree with a Map over decoded strings: same code for equal strings,
// different codes for different ones, nulls as −1, whatever the lengths and bytes.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/stats/rng.js';
import { Utf8Interner } from '../../src/features/utf8-interner.js';

function encode(values: (string | null)[]): { bytes: Uint8Array; offsets: Int32Array } {
  const parts = values.map((v) => Buffer.from(v ?? '', 'utf8'));
  const offsets = new Int32Array(values.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  return { bytes: new Uint8Array(Buffer.concat(parts)), offsets };
}

describe('Utf8Interner', () => {
  it('matches a Map over strings on random data with runs, multi-byte text, near-duplicates and nulls', () => {
    const rng = createRng(5);
    const alphabet = ['a', 'b', 'é', '東', '😀', '/', '0', '1'];
    const pool = Array.from({ length: 3000 }, () => Array.from({ length: rng.int(41) }, () => alphabet[rng.int(alphabet.length)]).join(''));
    pool.push('Mozilla/5.0 Chrome/124.0.0.0', 'Mozilla/5.0 Chrome/124.0.0.1', 'Mozilla/5.0 Chrome/124.0.0.0 ');
    const values: (string | null)[] = [];
    for (let i = 0; i < 50_000; i++) {
      const v = rng.next() < 0.05 ? null : pool[rng.int(pool.length)]!;
      const run = 1 + rng.int(4);
      for (let k = 0; k < run; k++) values.push(v);
    }
    const { bytes, offsets } = encode(values);
    const interner = new Utf8Interner();
    const codes = new Int32Array(values.length + 3).fill(99);
    interner.internColumn(bytes, offsets, values.length, codes, 3, (i) => values[i] === null);
    const dict = interner.dictionary();
    const seen = new Map<string, number>();
    values.forEach((v, i) => {
      const c = codes[i + 3]!;
      if (v === null) return expect(c).toBe(-1);
      expect(dict[c]).toBe(v);
      const prev = seen.get(v);
      if (prev === undefined) seen.set(v, c);
      else expect(c).toBe(prev);
    });
    expect(dict.length).toBe(seen.size);
    expect(new Set(dict).size).toBe(dict.length);
    expect(dict.length).toBeGreaterThan(2500);
    expect(Array.from(codes.subarray(0, 3))).toEqual([99, 99, 99]);
    expect(interner.internString(pool[0]!)).toBe(seen.get(pool[0]!) ?? dict.length);
  });
});
