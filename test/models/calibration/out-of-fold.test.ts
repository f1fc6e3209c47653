/**
 * Out-of-fold calibration: the calibrator never sees the rows it is scored on, the chosen method is the
 * one with the lowest cross-fitted log-loss, shrunk probabilities come back calibrated, and the maps are
 * monotone plain data that survive a JSON round trip.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import {
  applyCalibrator, calibrateOutOfFold, CALIBRATION_METHODS, crossFit, crossFitFolds, fitCalibrator, parseCalibrator, probabilityQuality,
} from '../../../src/models/calibration/index.js';
import { createRng } from '../../../src/stats/rng.js';

/** y ~ Bernoulli(q) with q spread over (0, 1); the "raw" score squeezes q toward ½ as a shallow booster does. */
function shrunk(n: number, seed: number, squeeze = 0.3): { y: Uint8Array; raw: Float64Array; truth: Float64Array } {
  const rng = createRng(seed);
  const truth = new Float64Array(n), raw = new Float64Array(n), y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const z = 2.5 * rng.normal() - 1;
    truth[i] = 1 / (1 + Math.exp(-z));
    raw[i] = 1 / (1 + Math.exp(-squeeze * z));
    y[i] = rng.next() < truth[i]! ? 1 : 0;
  }
  return { y, raw, truth };
}

describe('calibrateOutOfFold', () => {
  it('squeezed probabilities: ECE ≤ 0.05 after, far above before; the chosen method has the lowest cross-fitted log-loss', () => {
    const { y, raw } = shrunk(4000, 1);
    const c = calibrateOutOfFold(y, raw);
    expect(c.before.ece).toBeGreaterThan(0.15);
    expect(c.after.ece).toBeLessThanOrEqual(0.05);
    expect(c.method).not.toBe('none');
    for (const m of CALIBRATION_METHODS) expect(c.after.logLoss).toBeLessThanOrEqual(c.candidates[m].logLoss);
    expect(c.after).toEqual(c.candidates[c.method]);
    expect(c.after).toEqual(probabilityQuality(y, c.predictions));
    expect(c.folds).toBe(5);
  });

  it('well-calibrated scores: calibration gains little (the cross-fitted log-loss of "none" is within 1% of the best)', () => {
    const { y, truth } = shrunk(4000, 2);
    const c = calibrateOutOfFold(y, truth);
    expect(c.candidates.none.logLoss).toBeLessThanOrEqual(c.after.logLoss * 1.01);
  });

  it("a row's calibrated probability does not depend on its own label (never seen by its calibrator)", () => {
    const { y, raw } = shrunk(600, 3);
    const folds = crossFitFolds(y, 5);
    for (const method of ['platt', 'isotonic'] as const) {
      const base = crossFit(method, raw, y, folds);
      for (const i of [0, 17, 255, 599]) {
        const flipped = Uint8Array.from(y);
        flipped[i] = 1 - flipped[i]!;
        const again = crossFit(method, raw, flipped, folds); // same folds: row i stays in its fold
        expect(again[i]).toBe(base[i]);
        // and it does change other folds' rows (the label is used where it may be)
        expect(again.some((v, j) => folds[j] !== folds[i] && v !== base[j])).toBe(true);
      }
    }
  });

  it('rows without a held-out probability (a holdout) stay NaN and are not counted', () => {
    const { y, raw } = shrunk(1000, 4);
    const p = Float64Array.from(raw, (v, i) => (i % 4 === 0 ? v : NaN));
    const c = calibrateOutOfFold(y, p);
    expect(c.rows).toBe(250);
    c.predictions.forEach((v, i) => expect(Number.isNaN(v)).toBe(i % 4 !== 0));
  });

  it('a class with fewer than 2 held-out rows: not calibrated, and says why', () => {
    const y = Uint8Array.from([0, 0, 0, 0, 1]), p = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.9]);
    const c = calibrateOutOfFold(y, p);
    expect(c.method).toBe('none');
    expect(c.folds).toBe(0);
    expect(c.chosenBy).toMatch(/fewer than 2/);
    expect(Array.from(c.predictions)).toEqual(Array.from(p));
  });
});

describe('calibrators', () => {
  const { y, raw } = shrunk(2000, 5);
  for (const method of CALIBRATION_METHODS) {
    it(`${method}: monotone non-decreasing in the raw probability, within [0, 1], and the same after a JSON round trip`, () => {
      const c = fitCalibrator(method, raw, y);
      const grid = Float64Array.from({ length: 1001 }, (_, i) => i / 1000);
      const q = applyCalibrator(c, grid);
      for (let i = 1; i < q.length; i++) expect(q[i]!).toBeGreaterThanOrEqual(q[i - 1]!);
      for (const v of q) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(1); }
      const back = parseCalibrator(JSON.parse(JSON.stringify(c)), 'calibrator');
      expect(Array.from(applyCalibrator(back, grid))).toEqual(Array.from(q));
    });
  }

  it('a malformed calibrator is a UsageError naming the field', () => {
    expect(() => parseCalibrator({ method: 'isotonic', input: 'probability', x: [0, 1], y: [0] }, "the model's calibration")).toThrow(UsageError);
    expect(() => parseCalibrator({ method: 'platt', input: 'margin', a: 'x', b: 0 }, "the model's calibration")).toThrow(/a: /);
    expect(() => parseCalibrator({ method: 'beta' }, "the model's calibration")).toThrow(/calibration is malformed/);
  });
});
