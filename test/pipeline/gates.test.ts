import { describe, expect, it } from 'vitest';
import { evaluateGates } from '../../src/pipeline/index.js';

const inputs = { pValue: 0.01, rocAuc: 0.9, leakageFlagged: [] as string[], leakageThreshold: 0.98 };

describe('quality gates', () => {
  it('unset gates are not evaluated', () => {
    expect(evaluateGates({ failIfPAbove: null, failUnderAuc: null, failIfLeakage: false }, inputs)).toEqual([]);
  });

  it('thresholds are inclusive on the passing side', () => {
    const r = evaluateGates({ failIfPAbove: 0.01, failUnderAuc: 0.9, failIfLeakage: true }, inputs);
    expect(r.map((g) => [g.gate, g.passed, g.reason])).toEqual([['fail-if-p-above', true, null], ['fail-under-auc', true, null], ['fail-if-leakage', true, null]]);
  });

  it('failures say what was observed and what to do', () => {
    const r = evaluateGates({ failIfPAbove: 0.001, failUnderAuc: 0.95, failIfLeakage: true }, { ...inputs, leakageFlagged: ['is_headless'] });
    expect(r.every((g) => !g.passed)).toBe(true);
    expect(r[0]!.reason).toBe('separability p = 0.0100 is above --fail-if-p-above 0.001: human and agent gap scores are not separable enough');
    expect(r[1]!.reason).toBe('classifier ROC-AUC 0.9000 is below --fail-under-auc 0.95');
    expect(r[2]!.reason).toMatch(/^--fail-if-leakage: is_headless alone separates the classes .*classifier\.exclude/);
    expect(r[2]!.observed).toEqual(['is_headless']);
  });

  it('an AUC gate without an evaluated AUC fails, and NaN p-values never pass', () => {
    const r = evaluateGates({ failIfPAbove: 1, failUnderAuc: 0, failIfLeakage: false }, { ...inputs, pValue: NaN, rocAuc: null });
    expect(r.map((g) => g.passed)).toEqual([false, false]);
  });
});
