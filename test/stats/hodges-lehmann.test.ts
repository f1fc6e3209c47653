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

  it('handles large samples without materialising n1·n2 differences', () => {
    const rng = createRng(1);
    const x = Float64Array.from({ length: 20000 }, () => rng.normal() + 0.5);
    const y = Float64Array.from({ length: 15000 }, () => rng.normal());
    const hl = hodgesLehmann(x, y);
    expect(hl).toBeGreaterThan(0.45);
    expect(hl).toBeLessThan(0.55);
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
