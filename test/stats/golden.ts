import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** A golden number: JSON can't hold NaN/±Infinity, so the oracle writes them as strings. */
export type G = number | 'NaN' | 'Infinity' | '-Infinity';

export function num(v: G): number {
  return typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity;
}

export function nums(v: readonly G[]): number[] {
  return v.map(num);
}

/** Loaded test/golden/stats.json (written by test/oracles/stats.py). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const golden: any = JSON.parse(readFileSync(new URL('../golden/stats.json', import.meta.url), 'utf8'));

/** |actual − expected| ≤ max(abs, rel·|expected|); NaN matches NaN, infinities must match exactly. */
export function expectClose(actual: number, expected: number, rel = 1e-9, abs = 1e-15, label = ''): void {
  if (Number.isNaN(expected) || !Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
    return;
  }
  const tol = Math.max(abs, rel * Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tol)) {
    expect.fail(`${label}: got ${actual}, expected ${expected} (|diff| ${Math.abs(actual - expected)} > ${tol})`);
  }
}

export function expectAllClose(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-9, abs = 1e-15, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i]!, expected[i]!, rel, abs, `${label}[${i}]`);
}
