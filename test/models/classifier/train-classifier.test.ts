// trainClassifier's three modes (k-fold CV with a refit, holdout, --cv 0), leave-one-out, determinism,
// threshold rules, importance, and the model file with phantom's metadata.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classifierMeta, modelMatrix, readClassifierModel, trainClassifier, writeClassifierModel,
} from '../../../src/models/classifier/index.js';
import { fitEncoding, takeLabels, takeRows, type DataTable } from '../../../src/models/dataset/index.js';
import { predictBooster } from '../../../src/models/gbdt/model.js';
import { toXgboostJson } from '../../../src/models/gbdt/xgboost-json-write.js';
import { youdenThreshold } from '../../../src/stats/thresholds.js';
import { createRng } from '../../../src/stats/rng.js';
import { cancerMatrix, synthetic } from '../gbdt/fixture.js';

const { X, y: yList } = cancerMatrix('all', false);
const y = Uint8Array.from(yList);
const quick = { n_estimators: 80, eta: 0.1, max_depth: 3 };

describe('trainClassifier', () => {
  it('k-fold: out-of-fold metrics for every row, final model refit on all rows for the median CV rounds', async () => {
    const r = await trainClassifier(X, y, { params: quick, cv: 5, threshold: 'youden', rng: createRng(1) });
    const e = r.evaluation!;
    expect(e).toMatchObject({ scheme: 'stratified-k-fold', k: 5, repeats: 2, testSize: null });
    expect(e.fits).toHaveLength(10);
    expect(e.predictions.every(Number.isFinite)).toBe(true);
    expect(e.metrics.n).toBe(569);
    const rounds = e.fits.map((f) => f.rounds).sort((a, b) => a - b);
    expect(r.rounds).toEqual({ final: Math.round((rounds[4]! + rounds[5]!) / 2), chosenBy: 'cv-median' });
    expect(r.model.trees).toHaveLength(r.rounds.final);
    expect(r.threshold.value).toBe(youdenThreshold(y, e.predictions).threshold);
    expect(e.metrics.rocAuc).toBeGreaterThan(0.95);
    expect(e.repeatAuc).toHaveLength(2);
    expect(r.importance[0]!.gain).toBeGreaterThanOrEqual(r.importance[1]!.gain);
    expect(r.importance.reduce((s, row) => s + row.gainShare, 0)).toBeCloseTo(1, 9);
  });

  it('holdout: the shipped model is the evaluated one; only held-out rows carry predictions', async () => {
    const r = await trainClassifier(X, y, { params: quick, testSize: 0.25, rng: createRng(2) });
    const e = r.evaluation!;
    expect(e.scheme).toBe('holdout');
    expect(e.fits[0]!.testRows).toBe(e.metrics.n);
    expect(e.predictions.filter(Number.isFinite)).toHaveLength(e.metrics.n);
    expect(r.model.trees).toHaveLength(e.fits[0]!.rounds);
    const test = Int32Array.from({ length: 569 }, (_, i) => i).filter((i) => Number.isFinite(e.predictions[i]!));
    // the booster's own output is the raw prediction; `predictions` are those calibrated out of fold
    expect(Array.from(predictBooster(r.model, takeRows(X, test)))).toEqual(Array.from(test, (i) => e.rawPredictions[i]));
    expect(Array.from(test, (i) => e.predictions[i])).toEqual(Array.from(test, (i) => r.calibration!.predictions[i]));
    expect(takeLabels(y, test).length).toBe(e.metrics.n);
  });

  it('--cv 0: all rows, exactly n_estimators trees, no evaluation; a learned threshold is refused', async () => {
    const r = await trainClassifier(X, y, { params: quick, cv: 0, rng: createRng(3) });
    expect(r.evaluation).toBeNull();
    expect(r.model.trees).toHaveLength(80);
    expect(r.rounds.chosenBy).toBe('n_estimators');
    expect(r.threshold).toEqual({ rule: '0.5', value: 0.5 });
    await expect(trainClassifier(X, y, { params: quick, cv: 0, threshold: 'f1', rng: createRng(3) })).rejects.toThrow(/held-out/);
  });

  it('leave-one-out when a class has fewer than k rows', async () => {
    const { X: S, y: sy } = synthetic(60, 4, 5);
    const yy = Uint8Array.from(sy, () => 0);
    [3, 17, 40].forEach((i) => { yy[i] = 1; });
    const r = await trainClassifier(S, yy, { params: { n_estimators: 10 }, cv: 5, rng: createRng(4) });
    expect(r.evaluation).toMatchObject({ scheme: 'leave-one-out', k: 60, repeats: 1 });
    expect(r.evaluation!.fits).toHaveLength(60);
  });

  it('is deterministic for a seed; sampling makes seeds matter', async () => {
    const opts = { params: { ...quick, subsample: 0.8 }, cv: 3 };
    const a = await trainClassifier(X, y, { ...opts, rng: createRng(7) });
    const b = await trainClassifier(X, y, { ...opts, rng: createRng(7) });
    const c = await trainClassifier(X, y, { ...opts, rng: createRng(8) });
    expect(toXgboostJson(b.model, null)).toBe(toXgboostJson(a.model, null));
    expect(b.evaluation!.metrics).toEqual(a.evaluation!.metrics);
    expect(toXgboostJson(c.model, null)).not.toBe(toXgboostJson(a.model, null));
  });

  it('reports every bad parameter at once', async () => {
    await expect(trainClassifier(X, y, { params: { max_depth: 0, etaa: 1 }, rng: createRng(1) })).rejects.toThrow(/etaa[\s\S]*max_depth|max_depth[\s\S]*etaa/);
  });
});

describe('model file with phantom metadata', () => {
  it('round-trips: encoding re-applied by name, threshold, fingerprint, evaluation; serve reads the feature settings', async () => {
    const t: DataTable = {
      nRows: X.nRows, skipped: [], metadata: { 'phantom.feature_set': 'default', 'phantom.timeout_sec': '900', 'phantom.fill_missing': 'none' },
      columns: [
        ...X.featureNames.map((name, j) => ({ name, kind: 'numeric' as const, boolean: false, values: Float64Array.from({ length: X.nRows }, (_, r) => X.values[r * X.nCols + j]!) })),
        { name: 'target', kind: 'numeric', boolean: false, values: Float64Array.from(y) },
      ],
    };
    const { encoding } = fitEncoding(t, { label: 'target' });
    const r = await trainClassifier(X, y, { params: quick, cv: 3, threshold: 'f1', rng: createRng(1) });
    const fingerprint = { sha256: 'abc', rows: 569, features: 30, positives: 357 };
    const meta = classifierMeta(r, {
      phantomVersion: '0.1.0', label: 'target', encoding, excluded: [], seed: 1, source: 'bc.csv', sourceMetadata: t.metadata, fingerprint, unlabelled: 0,
    });
    const path = join(await mkdtemp(join(tmpdir(), 'phantom-model-')), 'model.json');
    await writeClassifierModel(path, { model: r.model, meta });
    const back = await readClassifierModel(path);
    expect(back.meta).toMatchObject({ format: 'phantom.classifier', label: 'target', threshold: r.threshold, features: { featureSet: 'default', timeoutSec: 900, fillMissing: null } });
    expect(back.meta!.training.fingerprint.sha256).toBe('abc');
    const shuffled: DataTable = { ...t, columns: [...t.columns].reverse() };
    expect(Array.from(predictBooster(back.model, modelMatrix(shuffled, back.model, back.meta)))).toEqual(Array.from(predictBooster(r.model, X)));
  });
});
