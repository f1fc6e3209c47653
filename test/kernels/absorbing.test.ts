// Absorption probabilities, expected steps and removal effects against the fundamental-matrix solution of
// numpy/scipy (test/oracles/absorbing.py → test/golden/absorbing.json), 1e-10 relative.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { absorbingAnalysis } from '../../src/kernels/absorbing.js';

interface Case {
  vocabulary: string[];
  alpha: number;
  counts: number[][];
  expected: { purchaseProbability: number[]; expectedSteps: number[]; conversion: number; removalEffect: (number | null)[]; removalDrop: (number | null)[] };
}
const golden = JSON.parse(readFileSync(new URL('../golden/absorbing.json', import.meta.url), 'utf8')) as { cases: Case[] };

function near(a: number, b: number | null): boolean {
  if (b === null) return Number.isNaN(a);
  return Math.abs(a - b) <= 1e-12 + 1e-10 * Math.abs(b);
}

describe('absorbing-chain analysis vs numpy/scipy fundamental matrix', () => {
  for (const [i, c] of golden.cases.entries()) {
    it(`case ${i}: α = ${c.alpha}, ${c.vocabulary.length} states`, () => {
      const v = c.vocabulary.length;
      const r = absorbingAnalysis({ size: v, values: Float64Array.from(c.counts.flat()) }, c.vocabulary, c.alpha);
      const check = (got: number[], want: (number | null)[]) => got.forEach((x, k) => expect(near(x, want[k]!), `${k}: ${x} vs ${want[k]}`).toBe(true));
      check(r.purchaseProbability, c.expected.purchaseProbability);
      check(r.expectedSteps, c.expected.expectedSteps);
      check(r.removalEffect, c.expected.removalEffect);
      check(r.removalDrop, c.expected.removalDrop);
      expect(near(r.conversion, c.expected.conversion)).toBe(true);
    });
  }

  it('refuses a vocabulary without a purchase state or without boundary states', () => {
    const m = { size: 3, values: new Float64Array(9) };
    expect(() => absorbingAnalysis(m, ['<end>', '<start>', 'cart'], 0.5)).toThrow(/needs a purchase_complete state/);
    expect(() => absorbingAnalysis(m, ['a', 'b', 'purchase_complete'], 0.5)).toThrow(/drop --no-boundary/);
  });
});
