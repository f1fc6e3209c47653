import { describe, expect, it } from 'vitest';
import { markupFidelity, tierFidelity } from '../../src/distill/fidelity.js';
import { holdoutSplit } from '../../src/distill/holdout.js';
import { effectiveMinSamplesLeaf } from '../../src/distill/leaf-size.js';
import { revenueImpact } from '../../src/distill/revenue.js';
import { createRng } from '../../src/stats/rng.js';

describe('holdoutSplit', () => {
  it('partitions the rows, sorted, with round(n·testSize) held out, the same for a seed', () => {
    const a = holdoutSplit(1000, 0.2, createRng(7));
    expect(a.test.length).toBe(200);
    expect(a.train.length).toBe(800);
    const all = [...a.train, ...a.test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...a.test]).toEqual([...a.test].sort((x, y) => x - y));
    expect(holdoutSplit(1000, 0.2, createRng(7))).toEqual(a);
    expect(holdoutSplit(1000, 0.2, createRng(8)).test).not.toEqual(a.test);
  });

  it('splits a subset of rows, keeps one row on each side, and holds out nothing at 0', () => {
    const rows = Int32Array.of(3, 5, 9, 11);
    const s = holdoutSplit(rows, 0.01, createRng(1));
    expect(s.test.length).toBe(1);
    expect([...s.train, ...s.test].sort((x, y) => x - y)).toEqual([3, 5, 9, 11]);
    expect(holdoutSplit(2, 0.9, createRng(1)).train.length).toBe(1);
    expect(holdoutSplit(10, 0, createRng(1))).toMatchObject({ test: new Int32Array(0) });
    expect(() => holdoutSplit(10, 1, createRng(1))).toThrow(/--test-size/);
  });
});

describe('fidelity', () => {
  it('computes R², MAE and the largest error on the chosen rows', () => {
    const teacher = Float64Array.of(1, 2, 3, 4, 100);
    const student = Float64Array.of(1, 2, 3, 5, -100);
    expect(markupFidelity(teacher, student, Int32Array.of(0, 1, 2, 3))).toEqual({ rows: 4, r2: 1 - 1 / 5, mae: 0.25, maxAbsError: 1 });
    expect(markupFidelity(teacher, teacher).r2).toBe(1);
    expect(markupFidelity(Float64Array.of(2, 2), Float64Array.of(2, 3)).r2).toBeNull();
    expect(markupFidelity(teacher, student, new Int32Array(0))).toEqual({ rows: 0, r2: null, mae: null, maxAbsError: null });
  });

  it('gives tier accuracy and the MAE of the implied markups', () => {
    const f = tierFidelity(Int32Array.of(0, 1, 2, 2), Float64Array.of(0, 2, 2, 2), [1, 1.1, 1.3]);
    expect(f.accuracy).toBe(0.75);
    expect(f.mae).toBeCloseTo(0.2 / 4, 12);
  });
});

describe('effectiveMinSamplesLeaf', () => {
  it('scales the default down to floor(n / 2^depth) when a full tree cannot form, with the reason', () => {
    const d = effectiveMinSamplesLeaf(240, 5, 50, true);
    expect(d).toMatchObject({ requested: 50, used: 7, scaled: true });
    expect(d.reason).toMatch(/only 240 training sessions: min-samples-leaf 50 scaled down to 7/);
    expect(effectiveMinSamplesLeaf(10, 5, 50, true).used).toBe(1);
  });

  it('keeps the value on enough data, or when the user chose it', () => {
    expect(effectiveMinSamplesLeaf(1600, 5, 50, true)).toEqual({ requested: 50, used: 50, scaled: false, reason: null });
    expect(effectiveMinSamplesLeaf(240, 5, 50, false)).toMatchObject({ used: 50, scaled: false });
  });
});

describe('revenueImpact', () => {
  it('sums price × markup over purchased sessions, by class, skipping rows without a price', () => {
    const r = revenueImpact({
      priceColumn: 'avg_price_seen',
      price: Float64Array.of(100, 200, 50, NaN, 10),
      purchased: Float64Array.of(1, 1, 0, 1, NaN),
      isAgent: Int8Array.of(0, 1, 1, 0, 1),
      teacher: Float64Array.of(0.8, 1.5, 1.5, 1, 1),
      student: Float64Array.of(1, 1.4, 1.4, 1, 1),
    });
    expect(r).toMatchObject({ basis: 'purchased sessions', sessions: 2, baseRevenue: 300, teacherRevenue: 380, studentRevenue: 380 });
    expect(r.teacherChange).toBeCloseTo(80 / 300, 12);
    expect(r.byClass!.human).toMatchObject({ sessions: 1, baseRevenue: 100, teacherRevenue: 80, studentRevenue: 100 });
    expect(r.byClass!.agent).toMatchObject({ sessions: 1, baseRevenue: 200, teacherRevenue: 300, studentRevenue: 280 });
  });

  it('counts every session once without a purchased column, and has no class split without labels', () => {
    const r = revenueImpact({
      priceColumn: 'p', price: Float64Array.of(10, 20), purchased: null, isAgent: null,
      teacher: Float64Array.of(1, 1), student: Float64Array.of(1.1, 1),
    });
    expect(r).toMatchObject({ basis: 'all sessions', sessions: 2, baseRevenue: 30, byClass: null });
    expect(r.studentRevenue).toBeCloseTo(31, 12);
  });
});
