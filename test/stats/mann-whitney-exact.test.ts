import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { mannWhitneyExactCdf, mannWhitneyExactPmf } from '../../src/stats/mann-whitney-exact.js';
import { expectClose } from './golden.js';

/** Exact counts f(m, n, k) by the Mann–Whitney recursion f(m,n,k) = f(m−1,n,k−n) + f(m,n−1,k), in BigInt. */
function countsBig(m: number, n: number): bigint[] {
  // table[a][b] = counts for sizes (a, b); built up over a + b.
  const table: bigint[][][] = Array.from({ length: m + 1 }, () => Array.from({ length: n + 1 }, () => [] as bigint[]));
  for (let a = 0; a <= m; a++) {
    for (let b = 0; b <= n; b++) {
      const out: bigint[] = new Array<bigint>(a * b + 1).fill(0n);
      if (a === 0 || b === 0) out[0] = 1n;
      else {
        const left = table[a - 1]![b]!, down = table[a]![b - 1]!;
        for (let k = 0; k <= a * b; k++) out[k] = (k - b >= 0 && k - b < left.length ? left[k - b]! : 0n) + (k < down.length ? down[k]! : 0n);
      }
      table[a]![b] = out;
    }
  }
  return table[m]![n]!;
}

/** Ratio of two BigInts as a double with full relative precision. */
function ratio(num: bigint, den: bigint): number {
  const shift = BigInt(Math.max(0, den.toString(2).length - num.toString(2).length + 60));
  return Number((num << shift) / den) / 2 ** Number(shift);
}

describe('exact null distribution of U', () => {
  it('matches BigInt counts to 1e-13 relative in every cell, tails included', () => {
    for (const [m, n] of [[1, 1], [2, 3], [5, 4], [7, 7], [12, 30], [25, 25], [40, 35]] as const) {
      const counts = countsBig(m, n);
      const total = counts.reduce((a, b) => a + b, 0n);
      const pmf = mannWhitneyExactPmf(m, n);
      expect(pmf.length).toBe(m * n + 1);
      let cum = 0n;
      for (let k = 0; k <= m * n; k++) {
        expectClose(pmf[k]!, ratio(counts[k]!, total), 1e-13, 0, `pmf ${m}x${n} k=${k}`);
        cum += counts[k]!;
        if (k % 7 === 0 || k < 5) expectClose(mannWhitneyExactCdf(k, m, n), ratio(cum, total), 1e-13, 0, `cdf ${m}x${n} k=${k}`);
      }
    }
  });

  it('keeps 1e-14 relative accuracy at a few hundred per group (vs exact integer Gaussian-binomial coefficients)', () => {
    for (const [m, n] of [[150, 200], [9, 3000]] as const) {
      const half = Math.floor((m * n) / 2);
      const c: bigint[] = new Array<bigint>(half + 1).fill(0n);
      c[0] = 1n;
      for (let j = 1; j <= m; j++) {
        for (let k = j; k <= half; k++) c[k]! += c[k - j]!;
        for (let k = half; k >= n + j; k--) c[k]! -= c[k - n - j]!;
      }
      let total = 1n;
      for (let i = 1n; i <= BigInt(m); i++) total = (total * (BigInt(n) + i)) / i;
      const pmf = mannWhitneyExactPmf(m, n);
      for (let k = 0; k <= half; k += 1 + (k >> 6)) expectClose(pmf[k]!, ratio(c[k]!, total), 1e-14, 0, `${m}x${n} k=${k}`);
    }
  });

  it('is symmetric in the sample sizes and sums to one', () => {
    const a = mannWhitneyExactPmf(6, 11), b = mannWhitneyExactPmf(11, 6);
    expect(Array.from(a)).toEqual(Array.from(b));
    expectClose(a.reduce((s, v) => s + v, 0), 1, 1e-14, 0, 'sum');
  });

  it('has the right edges and refuses sizes it cannot compute', () => {
    expect(mannWhitneyExactCdf(-1, 4, 5)).toBe(0);
    expect(mannWhitneyExactCdf(20, 4, 5)).toBe(1);
    expectClose(mannWhitneyExactCdf(0, 5, 4), 1 / 126, 1e-15, 0, 'P(U=0)');
    expect(() => mannWhitneyExactCdf(1e7, 5000, 5000)).toThrow(UsageError);
    expect(() => mannWhitneyExactPmf(0, 3)).toThrow(UsageError);
  });
});
