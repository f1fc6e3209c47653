import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/errors.js';
import { brierScore, calibrationTable } from '../../src/stats/calibration.js';
import { delongAucCi } from '../../src/stats/delong.js';
import { mannWhitneyU } from '../../src/stats/mann-whitney.js';
import { averagePrecision, precisionRecallCurve } from '../../src/stats/precision-recall.js';
import { createRng } from '../../src/stats/rng.js';
import { rocAuc, rocCurve } from '../../src/stats/roc.js';
import { confusionAt, f1Threshold, precisionAtRecall, youdenThreshold } from '../../src/stats/thresholds.js';
import { expectAllClose, expectClose, golden, num, nums, type G } from './golden.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const cases = golden.roc as any[];

describe(`ROC / PR metrics against scikit-learn ${golden.versions.sklearn}`, () => {
  for (const c of cases) {
    it(c.name, () => {
      const y = c.y as number[], s = nums(c.score as G[]);
      expectClose(rocAuc(y, s), num(c.auc), 1e-12, 1e-15, 'roc_auc_score');
      const roc = rocCurve(y, s);
      expect(roc.thresholds[0]).toBe(Infinity); // scikit-learn 1.2 writes max + 1 there; compare the rest
      expectAllClose(roc.fpr, nums(c.roc.fpr), 1e-15, 1e-15, 'fpr');
      expectAllClose(roc.tpr, nums(c.roc.tpr), 1e-15, 1e-15, 'tpr');
      expectAllClose(roc.thresholds.subarray(1), nums(c.roc.thresholds).slice(1), 0, 0, 'thresholds');
      const pr = precisionRecallCurve(y, s);
      expectAllClose(pr.precision, nums(c.pr.precision), 1e-15, 1e-15, 'precision');
      expectAllClose(pr.recall, nums(c.pr.recall), 1e-15, 1e-15, 'recall');
      expectAllClose(pr.thresholds, nums(c.pr.thresholds), 0, 0, 'pr thresholds');
      expectClose(averagePrecision(y, s), num(c.averagePrecision), 1e-12, 1e-15, 'average_precision_score');

      const d = delongAucCi(y, s);
      expectClose(d.auc, num(c.delong.auc), 1e-12, 1e-15, 'delong auc');
      expectClose(d.variance, num(c.delong.variance), 1e-9, 1e-15, 'delong variance');
      expectClose(d.lower, num(c.delong.lower), 1e-9, 1e-15, 'delong lower');
      expectClose(d.upper, num(c.delong.upper), 1e-9, 1e-15, 'delong upper');

      const yd = youdenThreshold(y, s);
      expect(yd.threshold).toBe(num(c.youden.threshold));
      expectClose(yd.j, num(c.youden.j), 1e-12, 1e-15, 'youden J');
      const f1 = f1Threshold(y, s);
      expect(f1.threshold).toBe(num(c.f1.threshold));
      expectClose(f1.f1, num(c.f1.f1), 1e-12, 1e-15, 'best F1');
      expectClose(precisionAtRecall(y, s, 0.8).precision, num(c.precisionAt80), 1e-15, 1e-15, 'precision@80% recall');

      if (c.brier !== undefined) {
        expectClose(brierScore(y, s), num(c.brier), 1e-12, 1e-15, 'brier_score_loss');
        const cm = confusionAt(y, s, 0.5), g = c.confusion05;
        expect([cm.tp, cm.fp, cm.tn, cm.fn]).toEqual([g.tp, g.fp, g.tn, g.fn]);
        for (const k of ['precision', 'recall', 'f1', 'accuracy', 'specificity'] as const) expectClose(cm[k], num(g[k]), 1e-15, 1e-15, k);
        for (const bins of [10, 5]) {
          const t = calibrationTable(y, s, bins).bins.filter((b) => b.count > 0);
          const gc = c[`calibration${bins}`];
          expectAllClose(t.map((b) => b.fractionPositive), nums(gc.fractionPositive), 1e-15, 1e-15, `calibration ${bins} prob_true`);
          expectAllClose(t.map((b) => b.meanPredicted), nums(gc.meanPredicted), 1e-14, 1e-15, `calibration ${bins} prob_pred`);
        }
      }
    });
  }
});

describe('ROC properties', () => {
  const rng = createRng(21);
  const draw = (n: number, levels: number): { y: Uint8Array; s: Float64Array } => {
    const y = new Uint8Array(n), s = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.next() < 0.4 ? 1 : 0;
      const v = rng.normal() + y[i]!;
      s[i] = levels ? Math.round(v * levels) / levels : v;
    }
    y[0] = 1;
    y[1] = 0;
    return { y, s };
  };

  it('AUC of reversed scores = 1 − AUC; AUC = Mann–Whitney U/(n1·n2); trapezoid of the curve = AUC', () => {
    for (let t = 0; t < 30; t++) {
      const { y, s } = draw(20 + rng.int(300), t % 2 ? 3 : 0);
      const auc = rocAuc(y, s);
      expectClose(rocAuc(y, s.map((v) => -v)), 1 - auc, 1e-12, 1e-15, 'reversed');
      const pos = s.filter((_, i) => y[i] === 1), neg = s.filter((_, i) => y[i] === 0);
      expectClose(mannWhitneyU(pos, neg).effect.auc, auc, 1e-15, 1e-15, 'MWU auc');
      const { fpr, tpr } = rocCurve(y, s);
      let area = 0;
      for (let k = 1; k < fpr.length; k++) area += ((fpr[k]! - fpr[k - 1]!) * (tpr[k]! + tpr[k - 1]!)) / 2;
      expectClose(area, auc, 1e-12, 1e-15, 'trapezoid');
      const full = rocCurve(y, s, { dropIntermediate: false });
      expect(full.fpr.length).toBeGreaterThanOrEqual(fpr.length);
      const d = delongAucCi(y, s);
      expect(d.lower).toBeLessThanOrEqual(auc);
      expect(d.upper).toBeGreaterThanOrEqual(auc);
      expect(delongAucCi(y, s, 0.99).upper - delongAucCi(y, s, 0.99).lower).toBeGreaterThan(d.upper - d.lower - 1e-12);
    }
  });

  it('AP is 1 for a perfect ranking and equals the positive rate for constant scores', () => {
    expect(averagePrecision([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8])).toBe(1);
    expect(averagePrecision([0, 1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5, 0.5])).toBe(0.4);
  });

  it('thresholds and confusion agree: the chosen threshold reproduces the reported rates', () => {
    const { y, s } = draw(300, 0);
    for (const pick of [youdenThreshold(y, s), f1Threshold(y, s), precisionAtRecall(y, s, 0.8)]) {
      const cm = confusionAt(y, s, pick.threshold);
      expect(cm).toEqual({ ...cm, tp: pick.tp, fp: pick.fp, precision: pick.precision, recall: pick.recall });
    }
    expect(precisionAtRecall(y, s, 0.8).recall).toBeGreaterThanOrEqual(0.8);
  });

  it('calibration bins cover [0, 1] and count every sample once; ECE is 0 for a calibrated toy', () => {
    const t = calibrationTable([0, 1, 1, 0, 1], [0, 1, 1, 0, 1], 4);
    expect(t.bins.map((b) => b.count)).toEqual([2, 0, 0, 3]);
    expect(t.ece).toBe(0);
    expect(t.bins[0]!.lower).toBe(0);
    expect(t.bins[3]!.upper).toBe(1);
    expect(t.bins[1]!.meanPredicted).toBeNaN();
  });

  it('rejects unusable input with DataError / UsageError', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(DataError);
    expect(() => rocAuc([0, 2], [0.2, 0.3])).toThrow(DataError);
    expect(() => rocAuc([0, 1], [0.2])).toThrow(DataError);
    expect(() => rocAuc([0, 1], [0.2, NaN])).toThrow(DataError);
    expect(() => averagePrecision([0, 0], [0.2, 0.3])).toThrow(DataError);
    expect(() => brierScore([0, 1], [0.2, 1.3])).toThrow(DataError);
    expect(() => calibrationTable([0, 1], [0.2, 0.3], 0)).toThrow(UsageError);
    expect(() => precisionAtRecall([0, 1], [0.2, 0.3], 0)).toThrow(UsageError);
    expect(() => delongAucCi([0, 1], [0.2, 0.3], 1)).toThrow(UsageError);
    expect(rocAuc([false, true], [0.2, 0.3])).toBe(1);
    expect(delongAucCi([0, 1], [0.2, 0.3]).variance).toBeNaN();
  });
});
