// formatFloat32 bisects the digit count; it must print exactly what trying every count from 1 to 9 prints
// (xgboost's shortest round-trip form), including at powers of two, whose rounding interval is lopsided.
import { describe, expect, it } from 'vitest';
import { formatFloat32 } from '../../../src/models/gbdt/json-writer.js';

/** The plain definition: the first digit count whose decimal reads back as the same float32. */
function reference(v: number): string {
  const x = Math.fround(v);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0E0' : '0E0';
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    digits = x.toExponential(p - 1);
    if (Math.fround(Number(digits)) === x) break;
  }
  const [mant, exp] = digits.split('e') as [string, string];
  return `${mant}E${Number(exp)}`;
}

describe('formatFloat32', () => {
  it('equals the digit-by-digit definition on a stride through all float32 bit patterns and around every power of two', () => {
    const f = new Float32Array(1), u = new Uint32Array(f.buffer);
    const bad: string[] = [];
    const check = (bits: number): void => {
      u[0] = bits >>> 0;
      const want = reference(f[0]!), got = formatFloat32(f[0]!);
      if (got !== want && bad.length < 5) bad.push(`${u[0]}: ${got} vs ${want}`);
    };
    for (let k = 0; k < 200_000; k++) check(k * 21_475 + 7);
    for (let e = 0; e < 256; e++) for (let d = -8; d <= 8; d++) { check((e << 23) + d); check(((e << 23) + d) | 0x80000000); }
    for (let k = 1; k < 20_000; k++) { check(new Uint32Array(Float32Array.of(k / 100).buffer)[0]!); check(new Uint32Array(Float32Array.of(1 / k).buffer)[0]!); }
    expect(bad).toEqual([]);
    expect(formatFloat32(0.5)).toBe('5E-1');
    expect(formatFloat32(0.1)).toBe('1E-1');
    expect(formatFloat32(16777216)).toBe('1.6777216E7');
  });
});
