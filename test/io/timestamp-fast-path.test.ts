import { describe, expect, it } from 'vitest';
import { parseIsoMs, parseTimestampMs } from '../../src/io/timestamp.js';

// `YYYY-MM-DDTHH:MM:SS.mmmZ` is read without the regex (src/io/timestamp.ts); a leading space sends the
// same text down the regex path (it trims first), so each text is checked against the general parser.
const viaRegex = (s: string): number => parseIsoMs(` ${s}`);
const p2 = (n: number): string => String(n).padStart(2, '0');
const iso = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, z = 'Z'): string =>
  `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}.${String(ms).padStart(3, '0')}${z}`;

describe('canonical ISO timestamps (fast path)', () => {
  it('agrees with the regex parser on every day of every month, leap years, hour 24 and leap seconds, and with Date.parse on valid times', () => {
    let checked = 0;
    for (const y of [50, 100, 1900, 1970, 2000, 2024, 2025, 2100, 2400, 9999]) {
      for (let mo = 0; mo <= 13; mo++) {
        for (let d = 0; d <= 32; d++) {
          for (const [h, mi, s, ms] of [[0, 0, 0, 0], [23, 59, 59, 999], [23, 59, 60, 0], [24, 0, 0, 0], [12, 60, 0, 5]] as const) {
            const text = iso(y, mo, d, h, mi, s, ms);
            expect(parseTimestampMs(text), text).toBe(viaRegex(text));
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(10 * 14 * 33 * 5);
    expect(parseTimestampMs('2024-02-29T23:59:59.999Z')).toBe(Date.parse('2024-02-29T23:59:59.999Z'));
    expect(parseTimestampMs('2025-02-29T00:00:00.000Z')).toBeNaN();
    expect(parseTimestampMs('2025-01-08T14:02:30.081z')).toBe(Date.UTC(2025, 0, 8, 14, 2, 30, 81));
  });

  it('agrees with the regex parser on random times and on texts one character away from the canonical form', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = '0123456789-T:.Zz +';
    for (let k = 0; k < 20_000; k++) {
      const valid = iso(1000 + rnd(9000), 1 + rnd(12), 1 + rnd(28), rnd(24), rnd(60), rnd(60), rnd(1000));
      expect(parseTimestampMs(valid), valid).toBe(Date.parse(valid));
      const chars = valid.split('');
      chars[rnd(24)] = alphabet[rnd(alphabet.length)]!;
      const mutated = chars.join('');
      expect(parseTimestampMs(mutated), mutated).toBe(/^-?\d+(\.\d+)?$/.test(mutated) ? Math.trunc(Number(mutated)) : viaRegex(mutated));
    }
  });
});
