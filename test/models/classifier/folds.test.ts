// Fold plans: partitions, stratification, repeats for small n, leave-one-out for a tiny class, holdout,
// and the validation slice carved out of a training part.
import { describe, expect, it } from 'vitest';
import { holdoutPlan, MAX_LEAVE_ONE_OUT_ROWS, planFolds, repeatsFor, stratifiedSplit } from '../../../src/models/classifier/folds.js';
import { createRng } from '../../../src/stats/rng.js';

function labels(n: number, positives: number): Uint8Array {
  const y = new Uint8Array(n);
  for (let i = 0; i < positives; i++) y[(i * 7919) % n] = 1; // spread, deterministic
  return y;
}
const count = (y: Uint8Array, rows: Int32Array, c: number) => rows.reduce((s, i) => s + (y[i] === c ? 1 : 0), 0);

describe('planFolds', () => {
  it('each repeat partitions the rows: every row held out exactly once, train = the rest', () => {
    const y = labels(300, 90);
    const plan = planFolds(y, 5, createRng(1));
    expect(plan).toMatchObject({ scheme: 'stratified-k-fold', k: 5, repeats: repeatsFor(300) });
    expect(plan.folds.length).toBe(5 * plan.repeats);
    for (let r = 0; r < plan.repeats; r++) {
      const seen = new Uint8Array(300);
      for (const f of plan.folds.filter((g) => g.repeat === r)) {
        for (const i of f.test) seen[i]!++;
        expect(f.train.length + f.test.length).toBe(300);
        const test = new Set(f.test);
        expect(Array.from(f.train).some((i) => test.has(i))).toBe(false);
      }
      expect(seen.every((s) => s === 1)).toBe(true);
    }
  });

  it('is stratified: class counts per fold differ by at most one', () => {
    const y = labels(1003, 211);
    const plan = planFolds(y, 5, createRng(2));
    expect(plan.repeats).toBe(1);
    for (const c of [0, 1]) {
      const counts = plan.folds.map((f) => count(y, f.test, c));
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  });

  it('repeats small data so about 1,000 held-out predictions are made (at most 10 repeats)', () => {
    expect([50, 100, 300, 999, 1000, 50_000].map(repeatsFor)).toEqual([10, 10, 4, 2, 1, 1]);
    const plan = planFolds(labels(100, 40), 5, createRng(3));
    expect(plan.repeats).toBe(10);
    const first = plan.folds.filter((f) => f.repeat === 0).map((f) => Array.from(f.test));
    const second = plan.folds.filter((f) => f.repeat === 1).map((f) => Array.from(f.test));
    expect(second).not.toEqual(first); // reshuffled per repeat
  });

  it('falls back to leave-one-out when a class has fewer than k members, and refuses it for huge n', () => {
    const plan = planFolds(labels(40, 3), 5, createRng(4));
    expect(plan).toMatchObject({ scheme: 'leave-one-out', k: 40, repeats: 1 });
    expect(plan.folds.map((f) => f.test[0])).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(plan.folds[7]!.train.length).toBe(39);
    expect(() => planFolds(labels(MAX_LEAVE_ONE_OUT_ROWS + 1, 3), 5, createRng(4))).toThrow(/leave-one-out.*fits/);
    expect(() => planFolds(labels(40, 0), 5, createRng(4))).toThrow(/both classes/);
    expect(() => planFolds(labels(40, 9), 1, createRng(4))).toThrow(/--cv/);
  });

  it('depends only on labels and seed', () => {
    const y = labels(200, 50);
    expect(planFolds(y, 4, createRng(9))).toEqual(planFolds(y, 4, createRng(9)));
  });
});

describe('holdoutPlan and stratifiedSplit', () => {
  it('holds out the share of each class', () => {
    const y = labels(500, 100);
    const { folds: [f] } = holdoutPlan(y, 0.2, createRng(5));
    expect(count(y, f!.test, 1)).toBe(20);
    expect(count(y, f!.test, 0)).toBe(80);
    expect(f!.train.length).toBe(400);
    expect(() => holdoutPlan(y, 1, createRng(5))).toThrow(/--test-size/);
    expect(() => holdoutPlan(labels(10, 1), 0.2, createRng(5))).toThrow(/at least 2 rows of each class/);
  });

  it('carves a stratified part out of the given rows only (at least one of each class), or null', () => {
    const y = labels(300, 60);
    const rows = Int32Array.from({ length: 150 }, (_, i) => 2 * i); // even rows only
    const s = stratifiedSplit(rows, y, 0.2, createRng(6))!;
    expect(s.part.length + s.rest.length).toBe(150);
    expect([...s.part, ...s.rest].every((i) => i % 2 === 0)).toBe(true);
    expect(new Set([...s.part, ...s.rest]).size).toBe(150);
    expect(count(y, s.part, 1)).toBe(Math.round(0.2 * count(y, rows, 1)));
    const tiny = stratifiedSplit(Int32Array.of(0, 1, 2), Uint8Array.of(1, 0, 0), 0.2, createRng(6));
    expect(tiny).toBeNull();
    const two = stratifiedSplit(Int32Array.of(0, 1, 2, 3), Uint8Array.of(1, 1, 0, 0), 0.01, createRng(6))!;
    expect(count(Uint8Array.of(1, 1, 0, 0), two.part, 1)).toBe(1);
  });
});
