// readFlags reads Bool chunks bit by bit, and readNumbers copies null-free numeric chunks in one go (no
// Vector.get per row): the results must be those Vector.get gives, on chunks that start mid-byte (slices),
// carry nulls, or come several to a column.
import * as arrow from '../../src/io/arrow.js';
import { describe, expect, it } from 'vitest';
import { readFlags, readNumbers } from '../../src/io/arrow-columns.js';

/** −1/0/1 as Vector.get reads them (the reference). */
function viaGet(vec: arrow.Vector): number[] {
  const out: number[] = [];
  for (let i = 0; i < vec.length; i++) {
    const x: unknown = vec.get(i);
    out.push(x === null ? -1 : x === true || x === 1 ? 1 : 0);
  }
  return out;
}

describe('readFlags', () => {
  const values: (boolean | null)[] = Array.from({ length: 77 }, (_, i) => (i % 7 === 3 ? null : (i * 37) % 5 < 2));

  it('reads a Bool column with nulls as Vector.get does', () => {
    const vec = arrow.vectorFromArray(values, new arrow.Bool());
    expect(vec.nullCount).toBeGreaterThan(0);
    expect(Array.from(readFlags(vec, vec.length))).toEqual(viaGet(vec));
  });

  it('reads chunks that start mid-byte, several to a column', () => {
    const whole = arrow.vectorFromArray(values, new arrow.Bool());
    const sliced = whole.slice(3, 70);
    const chunked = sliced.slice(0, 20).concat(sliced.slice(20, 45), sliced.slice(45));
    expect(chunked.data.length).toBe(3);
    expect(chunked.data.some((d) => d.offset % 8 !== 0)).toBe(true);
    expect(Array.from(readFlags(chunked, chunked.length))).toEqual(viaGet(chunked));
  });

  it('still reads numeric 0/1 columns', () => {
    const vec = arrow.vectorFromArray([1, 0, null, 1], new arrow.Float64());
    expect(Array.from(readFlags(vec, 4))).toEqual([1, 0, -1, 1]);
  });
});

describe('readNumbers', () => {
  const cases: [string, arrow.DataType][] = [['Float64', new arrow.Float64()], ['Float32', new arrow.Float32()], ['Int32', new arrow.Int32()], ['Uint32', new arrow.Uint32()], ['Int8', new arrow.Int8()]];
  for (const [name, type] of cases) {
    it(`reads ${name} chunks, with and without nulls, as Vector.get does`, () => {
      const xs = Array.from({ length: 50 }, (_, i) => (name.startsWith('U') ? i * 91 : i * 3 - 60) * (name.startsWith('Float') ? 0.37 : 1));
      const plain = arrow.vectorFromArray(xs, type);
      const withNulls = arrow.vectorFromArray(xs.map((x, i) => (i % 9 === 4 ? null : x)), type);
      const chunked = plain.slice(5, 30).concat(withNulls.slice(7, 40), plain.slice(41));
      for (const vec of [plain, withNulls, chunked]) {
        const expected = Array.from({ length: vec.length }, (_, i) => {
          const x: unknown = vec.get(i);
          return x === null ? NaN : Number(x);
        });
        expect(Array.from(readNumbers(vec, vec.length))).toEqual(expected);
      }
    });
  }
});
