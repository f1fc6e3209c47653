// Issue 6, must-show 3: the classifier's metrics equal scikit-learn's to 1e-12 on held-out xgboost
// probabilities (test/oracles/classifier.py; ties from float32 leaf sums included). The underlying
// functions are checked case by case, ties included, in test/stats/roc.test.ts against test/golden/stats.json
// (roc_auc_score, average_precision_score, brier_score_loss, calibration_curve, precision_recall_curve).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binaryMetrics, chooseThreshold, parseThresholdRule } from '../../../src/models/classifier/metrics.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const golden: any = JSON.parse(readFileSync(new URL('../../golden/classifier.json', import.meta.url), 'utf8'));
const TOL = 1e-12;

describe(`binaryMetrics vs scikit-learn ${golden.versions.sklearn}`, () => {
  for (const [name, c] of Object.entries<any>(golden.metrics)) {
    it(`${name}: ${c.y.length} held-out rows, ${c.distinct_scores} distinct scores`, () => {
      expect(c.distinct_scores).toBeLessThan(c.y.length); // ties present
      const m = binaryMetrics(c.y, c.p, 0.5);
      expect(Math.abs(m.rocAuc - c.roc_auc)).toBeLessThanOrEqual(TOL);
      expect(Math.abs(m.prAuc - c.average_precision)).toBeLessThanOrEqual(TOL);
      expect(Math.abs(m.brier - c.brier)).toBeLessThanOrEqual(TOL);
      expect(m.confusion).toEqual({ tp: c.at_0_5.tp, fp: c.at_0_5.fp, tn: c.at_0_5.tn, fn: c.at_0_5.fn });
      for (const k of ['accuracy', 'precision', 'recall', 'f1', 'specificity'] as const) expect(Math.abs(m[k] - c.at_0_5[k])).toBeLessThanOrEqual(TOL);
      expect(Math.abs(m.precisionAtRecall.precision - c.precision_at_recall_0_8)).toBeLessThanOrEqual(TOL);
      const bins = m.calibration.bins.filter((b) => b.count > 0);
      expect(bins.map((b) => b.fractionPositive)).toHaveLength(c.calibration.fraction_positive.length);
      bins.forEach((b, i) => {
        expect(Math.abs(b.fractionPositive - c.calibration.fraction_positive[i])).toBeLessThanOrEqual(TOL);
        expect(Math.abs(b.meanPredicted - c.calibration.mean_predicted[i])).toBeLessThanOrEqual(TOL);
      });
      expect(m.rocAucCi.lower).toBeLessThan(m.rocAuc);
      expect(m.rocAucCi.upper).toBeLessThanOrEqual(1);
    });

    it(`${name}: Youden and F1 thresholds are scikit-learn's curve maxima`, () => {
      expect(chooseThreshold(c.y, c.p, 'youden').value).toBe(c.youden_threshold);
      expect(chooseThreshold(c.y, c.p, 'f1').value).toBe(c.f1_threshold);
      expect(Math.abs(binaryMetrics(c.y, c.p, 'f1').f1 - c.f1_best)).toBeLessThanOrEqual(TOL);
    });
  }

  it('parses --threshold rules', () => {
    expect(parseThresholdRule('youden')).toBe('youden');
    expect(parseThresholdRule('0.3')).toBe(0.3);
    expect(() => parseThresholdRule('1')).toThrow(/--threshold/);
    expect(() => parseThresholdRule('best')).toThrow(/--threshold/);
  });
});
