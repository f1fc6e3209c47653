/**
 * Platt and isotonic calibration against scikit-learn (test/golden/calibration.json, written by
 * test/oracles/calibration.py): sklearn's _sigmoid_calibration on the margin and IsotonicRegression(clip).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyCalibrator, fitCalibrator, fitIsotonic, fitPlatt, isotonicProbability, marginOf, plattProbability } from '../../../src/models/calibration/index.js';
import { expectClose } from '../../stats/golden.js';

interface Case {
  name: string; p: number[]; y: number[]; query: number[];
  platt: { a: number; b: number; objective: number; predictions: number[] };
  isotonic: { x: number[]; y: number[]; predictions: number[] };
}
const golden = JSON.parse(readFileSync(new URL('../../golden/calibration.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** Platt's objective with the smoothed targets, as the oracle computes it. */
function plattObjective(a: number, b: number, p: number[], y: number[]): number {
  const n1 = y.filter((v) => v > 0).length, n0 = y.length - n1;
  let s = 0;
  p.forEach((pi, i) => {
    const t = y[i]! > 0 ? (n1 + 1) / (n1 + 2) : 1 / (n0 + 2);
    const q = plattProbability({ a, b }, marginOf(pi));
    s -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
  });
  return s;
}

describe('calibration golden values (scikit-learn)', () => {
  it('has cases', () => expect(golden.cases.length).toBeGreaterThanOrEqual(4));
  for (const c of golden.cases) {
    it(`${c.name}: Platt slope/intercept within 1e-4 of sklearn, objective no worse, predictions within 1e-5`, () => {
      const fit = fitPlatt(c.p.map(marginOf), c.y);
      // sklearn stops BFGS at gtol 1e-5: its optimum is approximate, ours is Newton-converged
      expectClose(fit.a, c.platt.a, 1e-4, 1e-4, 'a');
      expectClose(fit.b, c.platt.b, 1e-4, 1e-4, 'b');
      expect(plattObjective(fit.a, fit.b, c.p, c.y)).toBeLessThanOrEqual(c.platt.objective + 1e-9);
      const cal = fitCalibrator('platt', c.p, c.y);
      const q = applyCalibrator(cal, c.query);
      c.platt.predictions.forEach((e, i) => expectClose(q[i]!, e, 1e-5, 1e-7, `platt(${c.query[i]})`));
    });
    it(`${c.name}: isotonic knots and predictions equal sklearn's to 1e-12`, () => {
      const iso = fitIsotonic(c.p, c.y);
      expect(iso.x).toEqual(c.isotonic.x);
      iso.y.forEach((v, i) => expectClose(v, c.isotonic.y[i]!, 1e-12, 1e-12, `knot ${i}`));
      c.isotonic.predictions.forEach((e, i) => expectClose(isotonicProbability(iso, c.query[i]!), e, 1e-12, 1e-12, `iso(${c.query[i]})`));
    });
  }
});
