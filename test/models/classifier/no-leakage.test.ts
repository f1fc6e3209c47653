// Issue 6, must-show 4: early stopping never sees the evaluation fold, and the leakage audit flags a
// feature that is the label.
import { beforeAll, describe, expect, it } from 'vitest';
import { crossValidate, type CrossValidation } from '../../../src/models/classifier/cross-validate.js';
import { fitWithValidation } from '../../../src/models/classifier/fold-job.js';
import { planFolds } from '../../../src/models/classifier/folds.js';
import { leakageAudit } from '../../../src/models/classifier/leakage.js';
import { toXgboostJson } from '../../../src/models/gbdt/xgboost-json-write.js';
import type { FeatureMatrix } from '../../../src/models/gbdt/matrix.js';
import { createRng } from '../../../src/stats/rng.js';
import { cancerMatrix } from '../gbdt/fixture.js';

const { X, y: yList } = cancerMatrix('all', false);
const y = Uint8Array.from(yList);
const params = { n_estimators: 150, eta: 0.1, max_depth: 3 };

describe('early stopping never sees the evaluation fold', () => {
  const plan = planFolds(y, 5, createRng(1));
  const held = plan.folds[0]!.test;
  const corrupted = y.slice();
  for (const i of held) corrupted[i] = 1 - corrupted[i]!; // every held-out label of fold 0 flipped
  const fit = (labels: typeof y) => crossValidate(X, labels, plan, params, { rng: createRng(2), keepModels: true });
  const runs = Promise.all([fit(y), fit(corrupted)]);
  let clean!: CrossValidation, dirty!: CrossValidation;
  beforeAll(async () => { [clean, dirty] = await runs; });

  it('fold 0 early-stopped (the check is not vacuous)', () => {
    expect(clean.fits[0]!.earlyStopped).toBe(true);
    expect(clean.fits[0]!.rounds).toBeLessThan(params.n_estimators);
  });

  it("corrupting fold 0's held-out labels changes neither its chosen rounds nor its validation AUC nor its model", () => {
    expect(dirty.fits[0]!.rounds).toBe(clean.fits[0]!.rounds);
    expect(dirty.fits[0]!.validationAuc).toBe(clean.fits[0]!.validationAuc);
    expect(toXgboostJson(dirty.models![0]!, null)).toBe(toXgboostJson(clean.models![0]!, null));
    expect(plan.folds[0]!.repeat).toBe(0);
    for (const i of held) expect(dirty.byRepeat[0]![i]).toBe(clean.byRepeat[0]![i]); // its held-out probabilities
  });

  it('while the evaluation sees the corruption, and folds that train on those rows change', () => {
    expect(dirty.fits[0]!.testAuc).toBeCloseTo(1 - clean.fits[0]!.testAuc!, 12);
    const changed = [1, 2, 3, 4].filter((f) => toXgboostJson(dirty.models![f]!, null) !== toXgboostJson(clean.models![f]!, null));
    expect(changed.length).toBeGreaterThan(0);
  });

  it('the validation slice and the fitting rows come from the training fold only', () => {
    for (const fold of plan.folds) {
      const { fitRows, validation } = fitWithValidation(X, y, fold.train, { n_estimators: 2 }, { rng: createRng(3) });
      const train = new Set(fold.train), test = new Set(fold.test);
      expect(validation).not.toBeNull();
      for (const i of [...fitRows, ...validation!]) { expect(train.has(i)).toBe(true); expect(test.has(i)).toBe(false); }
      expect(new Set([...fitRows, ...validation!]).size).toBe(fold.train.length);
    }
  });
});

function withColumn(base: FeatureMatrix, name: string, col: (r: number) => number): FeatureMatrix {
  const k = base.nCols + 1;
  const values = new Float64Array(base.nRows * k);
  for (let r = 0; r < base.nRows; r++) {
    values.set(base.values.subarray(r * base.nCols, (r + 1) * base.nCols), r * k);
    values[r * k + base.nCols] = col(r);
  }
  return { nRows: base.nRows, nCols: k, values, featureNames: [...base.featureNames, name] };
}

describe('leakage audit', () => {
  it('flags a planted feature equal to the label (and its negation, and a missing-iff-positive flag)', () => {
    let Z = withColumn(X, 'planted', (r) => y[r]!);
    Z = withColumn(Z, 'negated', (r) => 1 - y[r]!);
    Z = withColumn(Z, 'missing_if_agent', (r) => (y[r] ? NaN : (r % 7) / 7));
    const audit = leakageAudit(Z, y);
    expect(audit.flagged.sort()).toEqual(['missing_if_agent', 'negated', 'planted']);
    const planted = audit.features.find((f) => f.feature === 'planted')!;
    expect(planted).toMatchObject({ auc: 1, separation: 1, flagged: true });
    expect(audit.features.find((f) => f.feature === 'negated')).toMatchObject({ auc: 0, separation: 1 });
    // the honest breast-cancer features are strong (worst perimeter ≈ 0.975) but below 0.98
    expect(audit.features.filter((f) => X.featureNames.includes(f.feature)).every((f) => !f.flagged)).toBe(true);
    expect(audit.features[3]!.separation).toBeGreaterThan(0.97);
  });

  it('reports separation = max(AUC, 1 − AUC) sorted descending, with the missing share', () => {
    const Z = withColumn(X, 'half_missing', (r) => (r % 2 ? NaN : r));
    const audit = leakageAudit(Z, y, 0.5);
    for (let i = 1; i < audit.features.length; i++) expect(audit.features[i - 1]!.separation).toBeGreaterThanOrEqual(audit.features[i]!.separation);
    for (const f of audit.features) expect(f.separation).toBe(Math.max(f.auc, 1 - f.auc));
    expect(audit.features.find((f) => f.feature === 'half_missing')!.missing).toBeCloseTo(284 / 569, 12);
    expect(audit.threshold).toBe(0.5);
  });
});
