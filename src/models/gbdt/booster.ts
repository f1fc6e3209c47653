/**
 * Gradient boosting for binary:logistic with xgboost's `hist` semantics: bin once, then per round
 * compute float32 gradients, grow one depth-wise tree, add its leaves to the cached margins.
 * Early stopping watches AUC on an evaluation set, which influences nothing but the stopping round.
 */
import { UsageError } from '../../errors.js';
import type { Rng } from '../../stats/rng.js';
import { rocAuc } from '../../stats/roc.js';
import { transposeBins, type BinIndex, type HistogramCuts } from './binning.js';
import { binOnThreads } from './binning-threads.js';
import { growTree } from './grow-tree.js';
import { HistogramPool } from './histogram.js';
import { arenaBins, histogramBuilder, type HistogramBuilder } from './histogram-threads.js';
import { baseMargin, logisticGradients, sigmoid32 } from './logistic.js';
import { checkMatrix, toFloat32Values, type FeatureMatrix } from './matrix.js';
import type { BoosterModel } from './model.js';
import { resolveParams, type BoosterParams } from './params.js';
import { flattenForest, predictForest } from './predict-flat.js';
import { SPLIT_RULE, type Tree } from './tree.js';

export interface RoundInfo {
  /** 0-based round just finished. */
  round: number;
  rounds: number;
  /** AUC on the eval set after this round (null without one). */
  evalAuc: number | null;
  bestIteration: number;
}

export interface TrainContext {
  rng: Rng;
  evalSet?: { X: FeatureMatrix; y: ArrayLike<number | boolean> };
  /** Overrides params.early_stopping_rounds; only used with an eval set. */
  earlyStoppingRounds?: number;
  onRound?: (info: RoundInfo) => void;
  /**
   * Threads that sketch, bin and build histograms (xgboost's nthread; default 1). The model is the same for
   * any number: threads split the columns, and every histogram slot sums its rows in the same order.
   */
  threads?: number;
  /**
   * 'js' keeps every kernel in JavaScript; by default the WebAssembly kernels run where the runtime has
   * WebAssembly SIMD and shared memory (hist-kernel.ts). The model is the same either way.
   */
  kernels?: 'auto' | 'js';
}

export interface TrainResult {
  /** The booster, truncated to bestIteration + 1 trees when early stopping ran. */
  model: BoosterModel;
  /** Parameters as used (scale_pos_weight resolved to a number). */
  params: BoosterParams & { scale_pos_weight: number };
  bestIteration: number;
  bestAuc: number | null;
  roundsTrained: number;
  /** Eval-set AUC after each round, or null without an eval set. */
  evalAuc: Float64Array | null;
}

/**
 * Fit a booster. `params` uses xgboost names (see DEFAULTS); randomness (subsample, colsample) comes only
 * from `ctx.rng`. Inputs are not modified.
 * @example const { model } = trainBooster(X, y, { max_depth: 4 }, { rng: createRng(42) });
 */
export function trainBooster(
  X: FeatureMatrix, y: ArrayLike<number | boolean>, params: Readonly<Record<string, unknown>>, ctx: TrainContext,
): TrainResult {
  checkMatrix(X, 'training matrix');
  const labels = binaryLabels(y, X.nRows, 'training labels');
  const p = resolveParams(params);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  const spw = p.scale_pos_weight !== 'auto' ? p.scale_pos_weight
    : positives === 0 || positives === labels.length ? 1 : (labels.length - positives) / positives;
  const { nRows, nCols } = X;
  const threads = ctx.threads ?? 1, kernels = ctx.kernels ?? 'auto';
  const { cuts, bins, binsByColumn, hasMissing, arena } = binTraining(X, p.max_bin, threads, kernels);
  const evalRun = ctx.evalSet ? prepareEval(ctx.evalSet, X, p.base_score) : null;
  const patience = ctx.earlyStoppingRounds ?? p.early_stopping_rounds;
  const gain = { lambda: p.lambda, alpha: p.alpha, minChildWeight: p.min_child_weight, maxDeltaStep: p.max_delta_step };
  const layouts = { bins, binsByColumn, nRows, nCols, ...(arena === undefined ? {} : { arena }) };
  const histograms = histogramBuilder(layouts, { cuts, hasMissing, gain }, threads, kernels);
  try {
    // the per-row state lives where the helper threads can update it (histogram-threads.ts updateRows)
    const margins = histograms.rowArray(Float32Array, 4).fill(baseMargin(p.base_score));
    const y = histograms.rowArray(Uint8Array, 1);
    y.set(labels);
    return boost(X, y, p, spw, ctx, { bins, binsByColumn, cuts, hasMissing, evalRun, patience, margins, histograms });
  } finally {
    histograms.close();
  }
}

/**
 * Cuts, both bin layouts and the features with missing values. The 16-bit layouts are made in the kernels'
 * arena (arenaBins), where the histogram builder uses them as they are; the float32 values die here.
 */
function binTraining(X: FeatureMatrix, maxBin: number, threads: number, kernels: 'auto' | 'js') {
  const { nRows, nCols } = X;
  const x32 = toFloat32Values(X, true, threads > 1);
  const place = arenaBins(nRows, nCols, kernels);
  const { cuts, bins } = binOnThreads(x32, nRows, nCols, maxBin, threads, undefined, place.alloc);
  const hasMissing = new Uint8Array(nCols);
  for (let i = 0; i < x32.length; i++) if (x32[i] !== x32[i]) hasMissing[i % nCols] = 1;
  const binsByColumn = transposeBins(bins, nRows, nCols, threads > 1, place.alloc);
  return { cuts, bins, binsByColumn, hasMissing, arena: place.arena() };
}

interface Prepared {
  bins: BinIndex; binsByColumn: BinIndex; cuts: HistogramCuts; hasMissing: Uint8Array; evalRun: ReturnType<typeof prepareEval> | null;
  patience: number; margins: Float32Array; histograms: HistogramBuilder;
}

/** The boosting rounds, on binned data. */
function boost(X: FeatureMatrix, labels: Uint8Array, p: BoosterParams, spw: number, ctx: TrainContext, prep: Prepared): TrainResult {
  const { nRows, nCols } = X;
  const { bins, binsByColumn, cuts, hasMissing, evalRun, patience, margins, histograms } = prep;
  const grad = histograms.rowArray(Float64Array, 8), hess = histograms.rowArray(Float64Array, 8);
  histograms.bindRows({ margins, labels, grad, hess, scalePosWeight: spw });
  const sampled = p.subsample < 1 ? new Uint8Array(nRows) : null;
  const pool = new HistogramPool(2 * (cuts.cutValues.length + nCols), (n) => histograms.allocate(n));
  const gain = { lambda: p.lambda, alpha: p.alpha, minChildWeight: p.min_child_weight, maxDeltaStep: p.max_delta_step };
  const trees: Tree[] = [];
  const maxNodes = Math.min(2 ** (p.max_depth + 1) - 1, 2 * nRows - 1);
  const leafBegin = new Int32Array(maxNodes), leafEnd = new Int32Array(maxNodes), leafValue = new Float32Array(maxNodes);
  const aucs: number[] = [];
  let bestIteration = -1, bestAuc = -Infinity;
  for (let round = 0; round < p.n_estimators; round++) {
    if (sampled !== null) for (let i = 0; i < nRows; i++) sampled[i] = ctx.rng.next() < p.subsample ? 1 : 0;
    const features = sampleFeatures(nCols, p.colsample_bytree, ctx.rng);
    // the first round's gradients here; later rounds' were computed with the margins after the last tree
    if (round === 0) logisticGradients(margins, labels, spw, sampled, grad, hess);
    else if (sampled !== null) for (let i = 0; i < nRows; i++) if (sampled[i] === 0) { grad[i] = 0; hess[i] = 0; }
    const grown = growTree({
      bins, binsByColumn, nRows, nCols, cuts, hasMissing, grad, hess, features, gain,
      eta: p.eta, gamma: p.gamma, maxDepth: p.max_depth, pool, histograms,
    });
    const { tree, rowBegin, rowEnd } = grown;
    let leaves = 0;
    for (let node = 0; node < tree.left.length; node++) {
      if (tree.left[node] !== -1) continue;
      leafBegin[leaves] = rowBegin[node]!; leafEnd[leaves] = rowEnd[node]!; leafValue[leaves] = tree.value[node]!; leaves++;
    }
    histograms.updateRows(leaves, leafBegin, leafEnd, leafValue, round + 1 < p.n_estimators);
    trees.push(tree);
    let auc: number | null = null;
    if (evalRun !== null) {
      predictForest(flattenForest([tree]), evalRun.x32, evalRun.nRows, nCols, evalRun.margins);
      auc = rocAuc(evalRun.labels, Float64Array.from(evalRun.margins, sigmoid32));
      aucs.push(auc);
      if (auc > bestAuc) { bestAuc = auc; bestIteration = round; }
    } else {
      bestIteration = round;
    }
    ctx.onRound?.({ round, rounds: p.n_estimators, evalAuc: auc, bestIteration });
    if (evalRun !== null && round - bestIteration >= patience) break;
  }
  const kept = trees.slice(0, bestIteration + 1);
  const model: BoosterModel = {
    objective: 'binary:logistic', baseScore: p.base_score, scalePosWeight: spw, numFeature: nCols,
    featureNames: [...X.featureNames], featureTypes: X.featureNames.map(() => 'float'), trees: kept, splitRule: SPLIT_RULE,
    attributes: { best_iteration: String(bestIteration), best_ntree_limit: String(bestIteration + 1) },
  };
  return {
    model, params: { ...p, scale_pos_weight: spw }, bestIteration, bestAuc: evalRun ? bestAuc : null,
    roundsTrained: trees.length, evalAuc: evalRun ? Float64Array.from(aucs) : null,
  };
}

/** 0/1 (or boolean) labels as bytes; anything else is a UsageError naming the first bad row. */
function binaryLabels(y: ArrayLike<number | boolean>, n: number, what: string): Uint8Array {
  if (y.length !== n) throw new UsageError(`${what}: ${y.length} labels for ${n} rows`);
  if (n === 0) throw new UsageError(`${what}: no rows to train on`);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v === 1 || v === true) out[i] = 1;
    else if (v !== 0 && v !== false) throw new UsageError(`${what}: row ${i} is ${String(v)}; binary:logistic needs labels 0/1`);
  }
  return out;
}

function prepareEval(evalSet: NonNullable<TrainContext['evalSet']>, X: FeatureMatrix, baseScore: number) {
  const E = evalSet.X;
  checkMatrix(E, 'eval matrix');
  if (E.nCols !== X.nCols || E.featureNames.some((n, i) => n !== X.featureNames[i])) {
    throw new UsageError('eval matrix: its features must be the training features, in the same order');
  }
  const labels = binaryLabels(evalSet.y, E.nRows, 'eval labels');
  const pos = labels.reduce((a, b) => a + b, 0);
  if (pos === 0 || pos === labels.length) throw new UsageError(`eval labels: AUC needs both classes (${pos} positive of ${labels.length})`);
  return { x32: toFloat32Values(E, false), nRows: E.nRows, labels, margins: new Float32Array(E.nRows).fill(baseMargin(baseScore)) };
}

/** colsample_bytree: max(1, ⌊c·n⌋) features by partial Fisher–Yates, sorted ascending (xgboost's ColumnSampler). */
function sampleFeatures(n: number, fraction: number, rng: Rng): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (fraction >= 1) return all;
  const k = Math.max(1, Math.floor(fraction * n));
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = all[i]!; all[i] = all[j]!; all[j] = t;
  }
  return all.subarray(0, k).sort();
}
