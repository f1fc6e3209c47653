// sortFloat64 must leave exactly the bytes Float64Array.prototype.sort leaves (the leakage audit's AUCs are
// computed from the sorted values), for NaN-free inputs of every sign, magnitude and tie pattern.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/stats/rng.js';
import { sortFloat64 } from '../../src/stats/sort-float64.js';

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('sortFloat64', () => {
  it('equals the built-in sort byte for byte (±0, ±∞, subnormals, ties, subarrays, small arrays)', () => {
    const rng = createRng(5);
    const special = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1];
    const cases: Float64Array[] = [
      Float64Array.from({ length: 50_000 }, () => rng.normal() * 1e3),
      Float64Array.from({ length: 30_000 }, (_, i) => (i % 3 === 0 ? special[i % special.length]! : Math.floor(rng.next() * 20) - 10)),
      Float64Array.from({ length: 10_000 }, () => rng.next()), // one sign and exponent range: high passes skipped
      new Float64Array(5_000).fill(-0),
      Float64Array.from({ length: 100 }, () => rng.normal()),
      new Float64Array(0),
    ];
    for (const c of cases) {
      const want = c.slice().sort();
      expect(bytes(sortFloat64(c.slice())).equals(bytes(want))).toBe(true);
      // a subarray at an offset, with a caller's scratch
      const host = new Float64Array(c.length + 7);
      host.set(c, 3);
      const sub = host.subarray(3, 3 + c.length);
      expect(bytes(sortFloat64(sub, new Uint32Array(2 * c.length))).equals(bytes(want))).toBe(true);
      expect([...host.subarray(0, 3), ...host.subarray(3 + c.length)]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    }
  });
});
