// Headline numbers (issue 17, build 5): the separability AUC oriented as "gap predicts agent" and
// p-values below the double range printed as a bound with z. Golden values from scipy 1.10.1 and
// scikit-learn 1.2.1 (computed with /usr/bin/python3; the snippet is in each test).
import { describe, expect, it } from 'vitest';
import { formatPValue, gapAuc, P_FLOOR } from '../../src/report/headline-numbers.js';
import { mannWhitneyU } from '../../src/stats/mann-whitney.js';

describe('gapAuc', () => {
  it('equals sklearn roc_auc_score(is_agent, gap), ties counted half', () => {
    // roc_auc_score([0]*6 + [1]*5, h + a) = 0.7333333333333333; mannwhitneyu(h, a).statistic = 8.0
    const h = [0.1, -0.3, 0.5, 0.2, -0.1, 0.2], a = [0.4, 0.6, 0.2, 0.9, -0.2];
    const t = mannWhitneyU(h, a);
    expect(t.statistic).toBe(8);
    expect(gapAuc(t)).toBeCloseTo(0.7333333333333333, 15);
    expect(gapAuc(t) + t.effect.auc).toBeCloseTo(1, 15);
  });
});

describe('formatPValue', () => {
  it('prints an underflowed p as a bound with z (scipy also returns 0.0 here)', () => {
    // x = arange(5000), y = arange(5000, 10000): mannwhitneyu(x, y).pvalue = 0.0, z = 86.59820711222898
    const n = 5000;
    const t = mannWhitneyU(Float64Array.from({ length: n }, (_, i) => i), Float64Array.from({ length: n }, (_, i) => n + i));
    expect(t.pvalue).toBe(0);
    expect(t.z).toBeCloseTo(86.59820711222898, 9);
    expect(formatPValue(t.pvalue, t.z)).toBe('< 1e-300 (z = 86.60)');
  });

  it('keeps representable p-values as numbers and the bound without z when z is unknown', () => {
    expect(formatPValue(1.116e-30)).toBe('1.116e-30');
    expect(formatPValue(0.04321)).toBe('0.04321');
    expect(formatPValue(P_FLOOR / 10)).toBe('< 1e-300');
    expect(formatPValue(Number.NaN)).toBe('–');
  });
});
