/**
 * The CTR model (docs/auction.md, "CTR"): phantom's GBDT trained on an impressions table (80/20
 * stratified split; early stopping on the AUC of a further 10 % held out of the training rows, so the
 * test split influences nothing), or an XGBoost JSON model read with phantom's reader; and the
 * CTR tables the market uses: base CTR per (placement, hour of the week), truth from the known function.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { readFailure } from '../io/read-failure.js';
import { describeInput, KIND_INFO } from '../io/table-kind.js';
import { trainBooster } from '../models/gbdt/booster.js';
import type { FeatureMatrix } from '../models/gbdt/matrix.js';
import { predictBooster, type BoosterModel } from '../models/gbdt/model.js';
import { fromXgboostJson } from '../models/gbdt/xgboost-json-read.js';
import { calibrationTable } from '../stats/calibration.js';
import { createRng } from '../stats/rng.js';
import { rocAuc } from '../stats/roc.js';
import { CTR_FEATURE_COUNT, CTR_FEATURES, featureRow, hourEffect, knownCtrOfRow, type Placements } from './ctr-function.js';
import type { CtrData } from './impressions.js';
import type { CtrTables } from './run.js';

/**
 * Booster parameters of the CTR model. Shallow trees: click logits of display ads are close to additive in
 * their fields (depth 2 came within 0.005 AUC of the known function where depth 4–6 stayed 0.01–0.014
 * away, docs/auction.md). No class re-weighting and base score = the training click rate, so
 * predictions are probabilities.
 */
export const CTR_MODEL_PARAMS = Object.freeze({ eta: 0.2, max_depth: 2, n_estimators: 600, early_stopping_rounds: 100, scale_pos_weight: 1 });

export interface CtrFit {
  model: BoosterModel;
  /** rows fitted, held out for early stopping, and tested */
  rows: { train: number; stopping: number; test: number };
  /** test-split AUC of the model, and of the known CTR function on the same rows (null outside its domain) */
  testAuc: number;
  knownAuc: number | null;
  /** expected calibration error (10 equal-width bins, weighted |mean p − click rate|) of the model on the test split */
  calibrationError: number;
  /** mean predicted vs observed click rate on the test split */
  meanPredicted: number;
  clickRate: number;
  bestIteration: number;
  seed: number;
}

function rowsOf(X: FeatureMatrix, idx: Int32Array): FeatureMatrix {
  const d = X.nCols, values = new Float64Array(idx.length * d);
  for (let k = 0; k < idx.length; k++) values.set(X.values.subarray(idx[k]! * d, idx[k]! * d + d), k * d);
  return { nRows: idx.length, nCols: d, values, featureNames: X.featureNames };
}

/** 80/20 split stratified by click, seeded: [train, test] row indices. */
export function stratifiedSplit(y: Uint8Array, seed: number, testShare = 0.2): [Int32Array, Int32Array] {
  const rng = createRng(seed), train: number[] = [], test: number[] = [];
  for (const label of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === label) rows.push(i);
    for (let i = rows.length - 1; i > 0; i--) { const j = rng.int(i + 1); [rows[i], rows[j]] = [rows[j]!, rows[i]!]; }
    const cut = Math.round(rows.length * testShare);
    // element by element: spreading ~10^5 indices into push() overflows the call stack
    for (let i = 0; i < rows.length; i++) (i < cut ? test : train).push(rows[i]!);
  }
  return [Int32Array.from(train.sort((a, b) => a - b)), Int32Array.from(test.sort((a, b) => a - b))];
}

/**
 * Train and evaluate the CTR model.
 * @example const fit = fitCtrModel(await readImpressions('impressions.csv'), 42)
 */
export function fitCtrModel(data: CtrData, seed: number): CtrFit {
  let clicks = 0;
  for (let i = 0; i < data.y.length; i++) clicks += data.y[i]!;
  if (clicks < 10 || data.y.length - clicks < 10) throw new UsageError(`--ctr-data: needs at least 10 clicks and 10 non-clicks, got ${clicks} of ${data.y.length}`);
  const [trainIdx, testIdx] = stratifiedSplit(data.y, seed);
  const trainY = Uint8Array.from(trainIdx, (i) => data.y[i]!);
  const [fitPos, stopPos] = stratifiedSplit(trainY, seed + 1, 0.1);
  const fitIdx = Int32Array.from(fitPos, (k) => trainIdx[k]!), stopIdx = Int32Array.from(stopPos, (k) => trainIdx[k]!);
  const X = rowsOf(data.X, fitIdx), Xs = rowsOf(data.X, stopIdx), Xt = rowsOf(data.X, testIdx);
  const y = Uint8Array.from(fitIdx, (i) => data.y[i]!), ys = Uint8Array.from(stopIdx, (i) => data.y[i]!), yt = Uint8Array.from(testIdx, (i) => data.y[i]!);
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i]!;
  const fit = trainBooster(X, y, { ...CTR_MODEL_PARAMS, base_score: positives / y.length }, { rng: createRng(seed), evalSet: { X: Xs, y: ys } });
  const p = predictBooster(fit.model, Xt);
  const known = new Float64Array(Xt.nRows);
  let inDomain = true;
  for (let i = 0; i < Xt.nRows && inDomain; i++) { known[i] = knownCtrOfRow(Xt.values, i * Xt.nCols); inDomain = Number.isFinite(known[i]!); }
  const cal = calibrationTable(yt, p, 10);
  let mp = 0, cr = 0;
  for (let i = 0; i < p.length; i++) { mp += p[i]!; cr += yt[i]!; }
  return {
    model: fit.model, rows: { train: X.nRows, stopping: Xs.nRows, test: Xt.nRows }, testAuc: rocAuc(yt, p), knownAuc: inDomain ? rocAuc(yt, known) : null,
    calibrationError: cal.ece, meanPredicted: mp / p.length, clickRate: cr / p.length, bestIteration: fit.bestIteration, seed,
  };
}

/**
 * Read a `--ctr-model` file. One that is not a usable model is described first: another kind of phantom file
 * (a sessions table, kernels, rules, …) or a folder is refused naming what it is; a missing path in words.
 * @example const model = await readCtrModelFile('ctr.json')
 */
export async function readCtrModelFile(path: string): Promise<BoosterModel> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (err) { throw new UsageError(`--ctr-model ${path}: ${readFailure(err)}`); }
  try {
    return readCtrModel(text, path);
  } catch (err) {
    const kind = (await describeInput(path)).kind;
    if (kind === 'model' || kind === 'json') throw err;
    const info = KIND_INFO[kind];
    throw new UsageError(`--ctr-model ${path} is ${info.what}${info.madeBy ? `, made by ${info.madeBy}` : ''}; give a CTR model: XGBoost JSON (phantom's or xgboost's) with the features of docs/auction.md`);
  }
}

/** Read an XGBoost JSON CTR model (phantom's or xgboost's) and check its features. */
export function readCtrModel(text: string, source: string): BoosterModel {
  let model: BoosterModel;
  // one line (docs/contract.md §6): the reader's list of problems is joined with "; "
  try { model = fromXgboostJson(text).model; } catch (err) { throw new UsageError(`--ctr-model ${source}: ${(err as Error).message.replace(/:\n\s+/, ': ').replace(/\n\s+/g, '; ')}`); }
  if (model.numFeature !== CTR_FEATURE_COUNT) throw new UsageError(`--ctr-model ${source}: the model has ${model.numFeature} features; a CTR model takes ${CTR_FEATURE_COUNT} (${CTR_FEATURES.join(', ')})`);
  const bad = model.featureNames.findIndex((n, i) => n !== CTR_FEATURES[i]);
  if (model.featureNames.length > 0 && bad >= 0) throw new UsageError(`--ctr-model ${source}: feature ${bad} is '${model.featureNames[bad]}', expected '${CTR_FEATURES[bad]}'`);
  return { ...model, featureNames: [...CTR_FEATURES] };
}

function truthTable(pl: Placements): Float64Array {
  const out = new Float64Array(pl.count * 168);
  for (let p = 0; p < pl.count; p++) for (let h = 0; h < 168; h++) out[p * 168 + h] = 1 / (1 + Math.exp(-(pl.logit[p]! + hourEffect(h % 24))));
  return out;
}

/** CTR tables whose predictions are the known function itself (bidders with a perfect CTR model). */
export function knownCtrTables(pl: Placements): CtrTables {
  const truth = truthTable(pl);
  return { placements: pl, truth, predicted: truth };
}

/** CTR tables whose predictions come from `model`. @example runMarket({ ..., ctr: modelCtrTables(fit.model) }) */
export function modelCtrTables(model: BoosterModel): (pl: Placements) => CtrTables {
  return (pl) => {
    const d = CTR_FEATURE_COUNT, n = pl.count * 168, values = new Float64Array(n * d);
    for (let p = 0; p < pl.count; p++) for (let h = 0; h < 168; h++) featureRow(pl, p, h % 24, Math.floor(h / 24), values, (p * 168 + h) * d);
    const predicted = predictBooster(model, { nRows: n, nCols: d, values, featureNames: [...CTR_FEATURES] });
    return { placements: pl, truth: truthTable(pl), predicted };
  };
}
