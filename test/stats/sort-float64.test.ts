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

describe('sortFloat64 on values that share their high 32 bits', () => {
  it('orders them by their low bits as the built-in sort does (short runs, one long run, integers, both signs)', () => {
    const rng = createRng(11);
    const lowOnly = (base: number, n: number, spread: number): Float64Array => {
      const out = new Float64Array(n), u = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) { out[i] = base; u[2 * i] = Math.floor(rng.next() * spread) >>> 0; }
      return out;
    };
    const mixed = new Float64Array(20_000);
    mixed.set(lowOnly(1.5, 5_000, 2 ** 32)); mixed.set(lowOnly(-1.5, 5_000, 2 ** 32), 5_000);
    mixed.set(lowOnly(3, 5_000, 7), 10_000); // many ties on the whole value
    for (let i = 15_000; i < 20_000; i++) mixed[i] = rng.normal();
    const cases = [
      lowOnly(1, 10_000, 2 ** 32), // one run of 10,000 values
      lowOnly(-2, 10_000, 2 ** 32),
      mixed,
      Float64Array.from({ length: 10_000 }, () => Math.floor(rng.normal() * 50)), // integers: low words zero
    ];
    for (const c of cases) {
      for (let i = c.length - 1; i > 0; i--) { const j = Math.floor(rng.next() * (i + 1)); const t = c[i]!; c[i] = c[j]!; c[j] = t; }
      const want = c.slice().sort();
      expect(bytes(sortFloat64(c.slice())).equals(bytes(want))).toBe(true);
    }
  });
});
