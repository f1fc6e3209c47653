// The leakage audit's AUC (Mann–Whitney U over each class's sorted values) equals rocAuc on the column with
// missing values ranked lowest and ±Infinity clamped — bit for bit — on columns with ties, NaN, ±Infinity
// and −0, and across the audit's column blocks (more than 8 columns).
import { describe, expect, it } from 'vitest';
import { leakageAudit } from '../../../src/models/classifier/leakage.js';
import type { FeatureMatrix } from '../../../src/models/gbdt/matrix.js';
import { createRng } from '../../../src/stats/rng.js';
import { rocAuc } from '../../../src/stats/roc.js';

/** The audit's definition, stated with rocAuc (the implementation before the sorted-U form). */
function referenceAuc(X: FeatureMatrix, y: Uint8Array, j: number): number {
  const col = new Float64Array(X.nRows);
  let min = Infinity;
  for (let r = 0; r < X.nRows; r++) {
    const v = X.values[r * X.nCols + j]!;
    col[r] = v;
    if (v === v && v < min) min = v;
  }
  const floor = Number.isFinite(min) ? min - 1 : 0;
  for (let r = 0; r < X.nRows; r++) {
    const v = col[r]!;
    col[r] = v !== v ? floor : v === Infinity ? Number.MAX_VALUE : v === -Infinity ? -Number.MAX_VALUE : v;
  }
  return rocAuc(y, col);
}

describe('leakage audit AUC', () => {
  it('equals rocAuc bit for bit on ties, NaN, ±Infinity and −0 over 19 columns', () => {
    const rng = createRng(5);
    const nRows = 3001, nCols = 19;
    const values = new Float64Array(nRows * nCols);
    const y = new Uint8Array(nRows);
    for (let r = 0; r < nRows; r++) {
      y[r] = rng.next() < 0.3 ? 1 : 0;
      for (let c = 0; c < nCols; c++) {
        const u = rng.next();
        let v = c % 4 === 0 ? Math.round(rng.normal() * 2) / 2 + y[r]! * 0.25 * (c / 4) : rng.normal() + y[r]! * 0.1 * c;
        if (c % 5 === 1 && u < 0.1) v = NaN;
        if (c === 7 && u > 0.97) v = u > 0.985 ? Infinity : -Infinity;
        if (c === 8 && u > 0.5) v = u > 0.75 ? -0 : 0;
        if (c === 9 && y[r] === 1 && u < 0.5) v = NaN; // missing mostly for positives
        if (c === 12) v = 3; // constant
        values[r * nCols + c] = v;
      }
    }
    const X: FeatureMatrix = { nRows, nCols, values, featureNames: Array.from({ length: nCols }, (_, j) => `c${j}`) };
    const audit = leakageAudit(X, y);
    const byName = new Map(audit.features.map((f) => [f.feature, f]));
    for (let j = 0; j < nCols; j++) {
      const f = byName.get(`c${j}`)!;
      expect(Object.is(f.auc, referenceAuc(X, y, j)), `column ${j}: ${f.auc} vs ${referenceAuc(X, y, j)}`).toBe(true);
    }
    expect(byName.get('c12')!.auc).toBe(0.5);
  });

  it('names the missing class, as rocAuc does, when every label is the same', () => {
    const X: FeatureMatrix = { nRows: 3, nCols: 1, values: Float64Array.of(1, 2, 3), featureNames: ['a'] };
    expect(() => leakageAudit(X, new Uint8Array(3))).toThrow(/rocAuc/);
  });
});
