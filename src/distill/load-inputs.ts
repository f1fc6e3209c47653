/**
 * The I/O edge of `distill`: read the sessions table and the models, score p_agent (and p_purchase), build
 * the teacher target and the student's feature matrix. Everything that decides a number is recorded in
 * the returned description, so rules.json can say where each number came from.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { readClassifierModel, type ClassifierModel } from '../models/classifier/model-file.js';
import { modelMatrix } from '../models/classifier/model-matrix.js';
import type { FeatureMatrix } from '../models/gbdt/matrix.js';
import { columnOf, readDataTable, type DataTable } from '../models/dataset/data-table.js';
import { encodeTable, fitEncoding, type FeatureEncoding } from '../models/dataset/encoding.js';
import { binaryLabel } from '../models/dataset/labels.js';
import type { CalibrationMethod } from '../models/calibration/calibrator.js';
import { predictProbabilities } from '../models/calibration/model-probabilities.js';
import type { Rng } from '../stats/rng.js';
import type { DistillInput } from './distill.js';
import type { PurchaseFit } from './purchase-model.js';
import { PURCHASE_OUTCOME_COLUMNS } from './purchase-outcome.js';
import { TEACHER_FORMULA, teacherMarkup, type MarkupCoefficients } from './teacher.js';

/** Price columns used for the revenue impact when --price-column is not given, first present wins. */
export const PRICE_COLUMNS: readonly string[] = ['avg_price_seen', 'price_seen'];

/** A sessions table already in memory (the pipeline's), with the path and SHA-256 of the file it was written to. */
export interface SessionsInMemory { path: string; sha256: string; table: DataTable }
/** A classifier already in memory (the pipeline's), with the path and SHA-256 of its file. */
export interface ModelInMemory { path: string; sha256: string; model: ClassifierModel }

export interface DistillSources {
  /** a .parquet/.csv path, or the table in memory */
  sessions: string | SessionsInMemory;
  /** a model file, or the model in memory */
  model: string | ModelInMemory | null;
  purchaseModel: string | null;
  targetColumn: string | null;
  /** tiers mode: the target is the score (p_agent or the column), p_purchase is not needed */
  tiers: boolean;
  exclude: readonly string[];
  /** let the rules use the columns that restate the purchase (PURCHASE_OUTCOME_COLUMNS); default false */
  allowOutcomeColumns?: boolean;
  priceColumn: string | null;
  coefficients: MarkupCoefficients;
  /** seeds the purchase booster when one is fitted */
  purchaseRng: Rng;
  /** told what is being done (reading, scoring, fitting the purchase booster) */
  onStage?: (stage: string) => void;
}

/** A scoring model: its file, and the calibrator its probabilities went through ('none' for models without one). */
export interface ModelSource { path: string; sha256: string; features: number; label: string | null; calibration: CalibrationMethod }

export type PPurchaseSource =
  | ({ source: 'model' } & ModelSource)
  | { source: 'fitted'; label: 'purchased'; params: Record<string, unknown>; features: string[]; excluded: string[];
      rounds: number; trainingRows: number; positives: number; fingerprint: string }
  | { source: 'none'; reason: string };

export interface TeacherDescription {
  kind: 'markup' | 'column' | 'tiers';
  formula: string | null;
  coefficients: MarkupCoefficients | null;
  /** what the target (or, for tiers, the score) is */
  target: string;
  pAgent: ModelSource | null;
  pPurchase: PPurchaseSource | null;
}

export interface DistillInputs {
  input: DistillInput;
  purchased: Int8Array | null;
  price: { column: string; values: Float64Array } | null;
  teacher: TeacherDescription;
  purchaseFit: PurchaseFit | null;
  data: { path: string; sha256: string; rows: number; features: string[]; excluded: string[] };
  /** the student's encoding of the table (the columns of `input.X`), stored in rules.json for serve */
  encoding: FeatureEncoding;
  warnings: string[];
  notes: string[];
}

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/**
 * The last model matrix built from the table, under what decides its values: the model's feature names and,
 * for a phantom model, its stored encoding. Both teachers usually take the same features, so the second
 * scores the first one's matrix instead of building an equal one (100k × 40: 32 MB and ~0.1 s).
 */
interface MatrixMemo { key: string; X: FeatureMatrix; encoding: FeatureEncoding | null }

function matrixFor(table: DataTable, { model, meta }: ClassifierModel, memo: { last: MatrixMemo | null }): FeatureMatrix {
  const key = JSON.stringify([model.featureNames, meta === null ? null : meta.encoding]);
  if (memo.last?.key === key) return memo.last.X;
  const X = modelMatrix(table, model, meta);
  memo.last = { key, X, encoding: meta === null ? null : meta.encoding };
  return X;
}

/**
 * The student's matrix: the teacher's when both are the same numeric columns of the table in the same order
 * (then encodeTable would copy the same values again: 100k × 40 is 32 MB and ~0.05 s), else encoded anew.
 */
function studentMatrix(table: DataTable, encoding: FeatureEncoding, memo: { last: MatrixMemo | null }): FeatureMatrix {
  const last = memo.last;
  if (last !== null && encoding.columns.length === last.X.nCols) {
    const names = last.X.featureNames;
    const sameNumeric = (columns: FeatureEncoding['columns']) => columns.every((c, j) => c.kind === 'numeric' && c.name === names[j]);
    const uniqueNames = new Set(table.columns.map((c) => c.name)).size === table.columns.length; // one column per name
    if (uniqueNames && sameNumeric(encoding.columns) && (last.encoding === null || sameNumeric(last.encoding.columns))) return last.X;
  }
  return encodeTable(table, encoding);
}

/** Scores of a model file on the table, where they came from, and the columns its training excluded. */
async function scoreWith(from: string | ModelInMemory, table: DataTable, memo: { last: MatrixMemo | null }): Promise<{ p: Float64Array; raw: Float64Array; source: ModelSource; excluded: string[] }> {
  const { model, meta } = typeof from === 'string' ? await readClassifierModel(from) : from.model;
  const { probability: p, raw, calibration } = predictProbabilities({ model, meta }, matrixFor(table, { model, meta }, memo)); // calibrated: the teacher prices on it
  const path = typeof from === 'string' ? from : from.path;
  const source = { path, sha256: typeof from === 'string' ? await sha256Of(from) : from.sha256, features: model.numFeature, label: meta?.label ?? null, calibration };
  return { p, raw, source, excluded: meta?.excluded ?? [] };
}

function numericColumn(table: DataTable, name: string, flag: string): Float64Array {
  const col = columnOf(table, name);
  if (col === undefined) throw new UsageError(`${flag}: the data has no column '${name}' (columns: ${table.columns.map((c) => c.name).join(', ')})`);
  if (col.kind !== 'numeric') throw new UsageError(`${flag}: column '${name}' holds text, not numbers`);
  return col.values;
}

/**
 * Read everything distill needs.
 * @example const inputs = await loadDistillInputs({ sessions: 's.parquet', model: 'model.json', … });
 */
export async function loadDistillInputs(src: DistillSources): Promise<DistillInputs> {
  if (src.model === null && src.targetColumn === null) {
    throw new UsageError('give a classifier model (phantom distill model.json sessions.parquet) or a score column (--target-column COL)');
  }
  const stage = src.onStage ?? (() => {});
  const sessionsPath = typeof src.sessions === 'string' ? src.sessions : src.sessions.path;
  if (typeof src.sessions === 'string') stage(`reading ${sessionsPath}`);
  const table = typeof src.sessions === 'string' ? await readDataTable(src.sessions) : src.sessions.table;
  if (src.model !== null) stage(`scoring p_agent with ${typeof src.model === 'string' ? src.model : src.model.path}`);
  const warnings: string[] = [], notes: string[] = [];
  const memo: { last: MatrixMemo | null } = { last: null };
  const agent = src.model === null ? null : await scoreWith(src.model, table, memo);
  const hasColumn = (name: string) => columnOf(table, name) !== undefined;
  const isAgent = hasColumn('is_agent') ? binaryLabel(table, 'is_agent') : null;
  const purchased = hasColumn('purchased') ? binaryLabel(table, 'purchased') : null;

  const metaExcluded = (agent?.excluded ?? []).filter((c) => hasColumn(c) && !src.exclude.includes(c));
  if (metaExcluded.length > 0) notes.push(`the rules also leave out what the classifier excluded: ${metaExcluded.join(', ')}`);
  const outcome = src.allowOutcomeColumns === true ? []
    : PURCHASE_OUTCOME_COLUMNS.filter((c) => hasColumn(c) && !src.exclude.includes(c) && !metaExcluded.includes(c));
  if (outcome.length > 0) notes.push(`the rules leave out ${outcome.join(', ')}: they restate the purchase, and a markup is charged before it (--allow-outcome-columns to use them)`);
  const exclude = [...src.exclude, ...metaExcluded, ...outcome];
  const { encoding, notes: encodingNotes } = fitEncoding(table, { label: src.targetColumn ?? 'is_agent', exclude });
  notes.push(...encodingNotes);
  const X = studentMatrix(table, encoding, memo);

  let target: Float64Array, pPurchaseSource: PPurchaseSource | null = null, purchaseFit: PurchaseFit | null = null;
  const score = src.targetColumn !== null ? numericColumn(table, src.targetColumn, '--target-column') : agent!.p;
  if (src.targetColumn !== null || src.tiers) {
    target = score;
  } else {
    let pPurchase: Float64Array | null = null;
    if (src.purchaseModel !== null) {
      const bought = await scoreWith(src.purchaseModel, table, memo);
      memo.last = null;
      pPurchase = bought.p;
      pPurchaseSource = { source: 'model', ...bought.source };
    } else if (purchased?.some((v) => v === 1) && purchased.some((v) => v === 0)) {
      stage('fitting the purchase booster on purchased');
      const { fitPurchaseModel } = await import('./purchase-model.js'); // the booster's modules only when it is trained
      purchaseFit = fitPurchaseModel(X, purchased, src.purchaseRng);
      pPurchase = purchaseFit.pPurchase;
      pPurchaseSource = {
        source: 'fitted', label: 'purchased', params: purchaseFit.params, features: purchaseFit.features, excluded: purchaseFit.excluded,
        rounds: purchaseFit.model.trees.length, trainingRows: purchaseFit.trainingRows, positives: purchaseFit.positives,
        fingerprint: purchaseFit.fingerprint.sha256,
      };
    } else {
      const reason = purchased === null ? "the data has no 'purchased' column" : "'purchased' does not have both classes";
      warnings.push(`no --purchase-model and ${reason}: p_purchase = 0 for every session, so the markup rises with p_agent only`);
      pPurchaseSource = { source: 'none', reason };
    }
    target = teacherMarkup(agent!.p, pPurchase, src.coefficients);
  }

  const priceName = src.priceColumn ?? PRICE_COLUMNS.find(hasColumn) ?? null;
  const price = priceName === null ? null : { column: priceName, values: numericColumn(table, priceName, '--price-column') };
  const kind = src.tiers ? 'tiers' : src.targetColumn !== null ? 'column' : 'markup';
  return {
    input: { X, target, pAgent: agent?.p ?? null, rawPAgent: src.targetColumn !== null && !src.tiers ? null : agent?.raw ?? null, isAgent }, // a score column is no markup to cap
    purchased, price, purchaseFit, encoding, warnings, notes,
    teacher: {
      kind, formula: kind === 'markup' ? TEACHER_FORMULA : null, coefficients: kind === 'markup' ? src.coefficients : null,
      target: src.targetColumn !== null ? `column ${src.targetColumn}` : kind === 'tiers' ? 'p_agent' : 'markup',
      pAgent: agent?.source ?? null, pPurchase: pPurchaseSource,
    },
    data: { path: sessionsPath, sha256: typeof src.sessions === 'string' ? await sha256Of(src.sessions) : src.sessions.sha256, rows: table.nRows, features: X.featureNames, excluded: exclude },
  };
}
