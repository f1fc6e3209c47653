// The CTR model (issue 19, must-show 5): trained with phantom's GBDT on generated impressions, its test AUC
// is within 0.01 of the known CTR function's AUC on the same rows, and it is calibrated; an XGBoost JSON
// round trip predicts the same; the market's CTR tables follow the model.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from '../../src/io/arrow.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CTR_FEATURES, drawPlacements, featureRow, knownCtr, knownCtrOfRow } from '../../src/auction/ctr-function.js';
import { fitCtrModel, knownCtrTables, modelCtrTables, readCtrModel } from '../../src/auction/ctr-model.js';
import { readImpressions, writeImpressions } from '../../src/auction/impressions.js';
import { writeParquet } from '../../src/io/parquet.js';
import { predictBooster } from '../../src/models/gbdt/model.js';
import { toXgboostJson } from '../../src/models/gbdt/xgboost-json-write.js';
import { createRng } from '../../src/stats/rng.js';
import { phantom } from '../support/cli.js';

const GOLDEN = join(import.meta.dirname, '../golden/auction');

const dir = mkdtempSync(join(tmpdir(), 'phantom-ctr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CTR model on generated impressions', () => {
  it('test AUC within 0.01 of the known function\'s AUC; calibration error reported and small', async () => {
    const file = join(dir, 'impressions.csv');
    const written = await writeImpressions(file, 150_000, 5);
    const data = await readImpressions(file);
    expect(data.X.nRows).toBe(150_000);
    expect(data.X.featureNames).toEqual([...CTR_FEATURES]);
    let clicks = 0;
    for (const v of data.y) clicks += v;
    expect(clicks).toBe(written.clicks);
    const fit = fitCtrModel(data, 42);
    expect(fit.rows).toEqual({ train: 108_000, stopping: 12_000, test: 30_000 });
    expect(fit.knownAuc).not.toBeNull();
    expect(fit.knownAuc!).toBeGreaterThan(0.65);
    expect(Math.abs(fit.testAuc - fit.knownAuc!), `model ${fit.testAuc} vs known ${fit.knownAuc}`).toBeLessThan(0.01);
    expect(fit.calibrationError).toBeLessThan(0.01);
    expect(Math.abs(fit.meanPredicted - fit.clickRate)).toBeLessThan(0.005);

    // XGBoost JSON round trip: the model read back predicts the same; the market's tables use it
    const back = readCtrModel(toXgboostJson(fit.model, { kind: 'ctr' }), 'round trip');
    const p1 = predictBooster(fit.model, data.X), p2 = predictBooster(back, data.X);
    expect(Array.from(p2.subarray(0, 1000))).toEqual(Array.from(p1.subarray(0, 1000)));
    const pl = drawPlacements(8, createRng(1));
    const tables = modelCtrTables(back)(pl), truth = knownCtrTables(pl);
    expect(Array.from(tables.truth)).toEqual(Array.from(truth.truth));
    // the model's table tracks the truth it was trained from (mean absolute error under a third of the mean CTR)
    let err = 0, mean = 0;
    for (let i = 0; i < tables.predicted.length; i++) { err += Math.abs(tables.predicted[i]! - truth.truth[i]!); mean += truth.truth[i]!; }
    expect(err / mean).toBeLessThan(1 / 3);
    writeFileSync(join(dir, 'model.json'), toXgboostJson(fit.model, { kind: 'ctr' }));
  }, 120_000);

  it('the known function agrees between placements and model rows', () => {
    const pl = drawPlacements(50, createRng(9)), row = new Float64Array(CTR_FEATURES.length);
    for (let p = 0; p < 50; p++) for (const h of [0, 7, 19]) {
      featureRow(pl, p, h, 3, row);
      expect(knownCtrOfRow(row)).toBeCloseTo(knownCtr(pl, p, h), 12);
    }
    row[5] = 12345; // a site category the known function does not have
    expect(knownCtrOfRow(row)).toBeNaN();
  });

  it('bad impressions tables are usage errors naming the file and the problem', async () => {
    const missing = join(dir, 'missing-cols.csv');
    writeFileSync(missing, 'hour,click\n14102100,0\n');
    await expect(readImpressions(missing)).rejects.toThrow(/missing-cols\.csv: missing columns banner_pos, device_type/);
    const bad = join(dir, 'bad-hour.csv');
    writeFileSync(bad, 'hour,banner_pos,device_type,device_conn_type,site_category,app_category,C14,C15,C16,C17,C18,C19,C20,C21,click\n14102100,0,1,0,a,b,1,2,3,4,5,6,7,8,0\n14109999,0,1,0,a,b,1,2,3,4,5,6,7,8,1\n');
    await expect(readImpressions(bad)).rejects.toThrow(/row 2, column hour: expected YYMMDDHH/);
    await expect(readImpressions(join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv: no such file/);
    expect(() => readCtrModel('{"learner": {}}', 'm.json')).toThrow(/--ctr-model m\.json/);
  });

  it('reads a CTR model trained by xgboost 1.7.4 itself (test/oracles/auction_ctr.py) and predicts as xgboost does', async () => {
    const golden = JSON.parse(readFileSync(join(GOLDEN, 'xgb-ctr.json'), 'utf8')) as { rows: number; predictions: number[] };
    const data = await readImpressions(join(GOLDEN, 'impressions.csv'));
    expect(data.X.nRows).toBe(golden.rows);
    const model = readCtrModel(readFileSync(join(GOLDEN, 'xgb-ctr-model.json'), 'utf8'), 'xgb-ctr-model.json');
    const p = predictBooster(model, data.X);
    let worst = 0;
    for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i]! - golden.predictions[i]!));
    expect(worst).toBeLessThan(1e-6);
    // and the CLI runs a market on it
    const r = phantom(['auction', '--ctr-model', join(GOLDEN, 'xgb-ctr-model.json'), '-n', '2000', '--seeds', '1', '--json', '-o', join(dir, 'xgb'), '--no-plot', '--workers', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { ctr: { trees: number } }).ctr.trees).toBe(20);
  });

  it('reads the same table from Parquet (Avazu-style: int64 ids, string categories) as from CSV', async () => {
    const csv = readFileSync(join(GOLDEN, 'impressions.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
    const head = csv[0]!, rows = csv.slice(1);
    const col = (name: string) => rows.map((r) => r[head.indexOf(name)]!);
    const columns: Record<string, arrow.Vector> = {};
    for (const name of head) {
      columns[name] = name.endsWith('category') ? arrow.vectorFromArray(col(name), new arrow.Utf8())
        : name === 'hour' || name === 'C14' ? arrow.makeVector(BigInt64Array.from(col(name), (v) => BigInt(v)))
          : arrow.makeVector(Int32Array.from(col(name), Number));
    }
    const file = join(dir, 'impressions.parquet');
    await writeParquet(file, new arrow.Table(columns).batches);
    const fromParquet = await readImpressions(file), fromCsv = await readImpressions(join(GOLDEN, 'impressions.csv'));
    expect(fromParquet.X.nRows).toBe(3000);
    expect(Array.from(fromParquet.X.values)).toEqual(Array.from(fromCsv.X.values));
    expect(Array.from(fromParquet.y)).toEqual(Array.from(fromCsv.y));
  });
});
