import { describe, expect, it } from 'vitest';
import { hodgesLehmann } from '../../src/stats/hodges-lehmann.js';
import { createRng } from '../../src/stats/rng.js';

function bruteForce(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const d: number[] = [];
  for (let i = 0; i < x.length; i++) for (let j = 0; j < y.length; j++) d.push(x[i]! - y[j]!);
  d.sort((a, b) => a - b);
  const m = d.length >> 1;
  return d.length % 2 ? d[m]! : (d[m - 1]! + d[m]!) / 2;
}

describe('hodgesLehmann', () => {
  it('equals the median of all pairwise differences (random sizes, ties, duplicates)', () => {
    const rng = createRng(9);
    for (let t = 0; t < 200; t++) {
      const n1 = 1 + rng.int(t < 100 ? 12 : 150), n2 = 1 + rng.int(t < 100 ? 12 : 150);
      const levels = t % 3 === 0 ? 4 : 0; // a third of the cases are heavily tied
      const x = new Float64Array(n1), y = new Float64Array(n2);
      for (let i = 0; i < n1; i++) x[i] = levels ? rng.int(levels) : rng.normal() + 0.4;
      for (let j = 0; j < n2; j++) y[j] = levels ? rng.int(levels) : rng.normal();
      expect(hodgesLehmann(x, y), `case ${t} (${n1}x${n2})`).toBe(bruteForce(x, y));
    }
  });

  it('equals brute force when the pivot comes from a stride of the rows (n1 > 2048)', () => {
    const rng = createRng(13);
    for (let t = 0; t < 6; t++) {
      const n1 = 2100 + rng.int(4000), n2 = 1 + rng.int(60);
      const x = Float64Array.from({ length: n1 }, () => (t % 2 ? rng.int(7) : rng.normal() * 3));
      const y = Float64Array.from({ length: n2 }, () => (t % 2 ? rng.int(5) : rng.normal()));
      expect(hodgesLehmann(x, y), `case ${t}`).toBe(bruteForce(x, y));
      expect(hodgesLehmann(y, x), `case ${t} swapped`).toBe(bruteForce(y, x));
    }
  });

  it('handles large samples without materialising n1·n2 differences', () => {
    const rng = createRng(1);
    const x = Float64Array.from({ length: 20000 }, () => rng.normal() + 0.5);
    const y = Float64Array.from({ length: 15000 }, () => rng.normal());
    const hl = hodgesLehmann(x, y);
    expect(hl).toBeGreaterThan(0.45);
    expect(hl).toBeLessThan(0.55);
  });

  it('is exact beyond 2³¹ pairs (x = y + 3 ⇒ the differences are symmetric about 3)', () => {
    const rng = createRng(2);
    const y = Float64Array.from({ length: 50001 }, (_, i) => i);
    for (let i = y.length - 1; i > 0; i--) { const j = rng.int(i + 1); [y[i], y[j]] = [y[j]!, y[i]!]; }
    expect(hodgesLehmann(y.map((v) => v + 3), y)).toBe(3); // 2.5e9 pairs, odd count
    expect(hodgesLehmann(y.subarray(1).map((v) => v - 0.5), y.subarray(1))).toBe(-0.5); // even count
  });

  it('is shift-equivariant and antisymmetric', () => {
    const x = [1, 4, 9, 16, 25], y = [2, 3, 5, 7];
    expect(hodgesLehmann(x.map((v) => v + 10), y)).toBe(hodgesLehmann(x, y) + 10);
    expect(hodgesLehmann(y, x)).toBe(-hodgesLehmann(x, y));
    expect(hodgesLehmann([5, 6, 7], [1, 2])).toBe(4.5);
  });

  it('gives NaN where numpy would (undefined differences, empty input)', () => {
    expect(hodgesLehmann([Infinity, 1], [Infinity, 2])).toBeNaN();
    expect(hodgesLehmann([], [1])).toBeNaN();
    expect(hodgesLehmann([Infinity, 1, 2], [0, 1])).toBe(bruteForce([Infinity, 1, 2], [0, 1]));
  });
});
