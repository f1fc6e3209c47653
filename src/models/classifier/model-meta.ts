/**
 * phantom's block in the model file (learner.attributes.phantom, a JSON string xgboost keeps): what the
 * model needs to be re-applied (label, feature encoding, threshold) and what explains it (params, rounds,
 * training-data fingerprint, evaluation, leakage flags, versions). Models trained elsewhere have none.
 */
import { UsageError } from '../../errors.js';
import { zodApi } from '../calibration/calibrator-schema.js';
import { calibrationMeta, type CalibrationMeta } from '../calibration/model-probabilities.js';
import type { DataFingerprint } from '../dataset/fingerprint.js';
import type { FeatureEncoding } from '../dataset/encoding.js';
import { FEATURE_SETS } from '../../features/registry.js';
import { metaSchemaOf, passesMetaCheck } from './meta-schema.js';
import type { ClassifierResult } from './train-classifier.js';

export const CLASSIFIER_META_FORMAT = 'phantom.classifier';
export const CLASSIFIER_META_VERSION = 1;

/** The feature settings of the sessions file the model was trained on (read by `serve`). */
export interface FeatureSettingsMeta {
  featureSet: string | null;
  timeoutSec: number | null;
  fillMissing: number | null;
}

export interface ClassifierMeta {
  format: typeof CLASSIFIER_META_FORMAT;
  version: typeof CLASSIFIER_META_VERSION;
  phantomVersion: string;
  label: string;
  encoding: FeatureEncoding;
  excluded: string[];
  features: FeatureSettingsMeta;
  params: Record<string, unknown>;
  rounds: ClassifierResult['rounds'];
  seed: number;
  threshold: { rule: string; value: number };
  training: { source: string; rows: number; positives: number; negatives: number; unlabelledDropped: number; fingerprint: DataFingerprint };
  evaluation: Record<string, unknown> | null;
  leakage: { threshold: number; flagged: string[] };
  /** the calibrator applied to the booster's output (absent in files written before calibration existed) */
  calibration?: CalibrationMeta | null;
}

export interface MetaContext {
  phantomVersion: string;
  label: string;
  encoding: FeatureEncoding;
  excluded: string[];
  seed: number;
  source: string;
  sourceMetadata: Record<string, string>;
  fingerprint: DataFingerprint;
  unlabelled: number;
}

/**
 * Feature settings from a sessions.parquet footer (phantom.feature_set, phantom.timeout_sec, phantom.fill_missing);
 * a value readClassifierMeta would refuse (an unknown set, a timeout ≤ 0) is recorded as not known (null).
 */
function featureSettings(md: Record<string, string>): FeatureSettingsMeta {
  const num = (s: string | undefined): number | null => (s !== undefined && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : null);
  const set = md['phantom.feature_set'];
  const timeoutSec = num(md['phantom.timeout_sec']);
  return {
    featureSet: set !== undefined && (FEATURE_SETS as readonly string[]).includes(set) ? set : null,
    timeoutSec: timeoutSec !== null && timeoutSec > 0 ? timeoutSec : null, fillMissing: num(md['phantom.fill_missing']),
  };
}

/**
 * The metadata block of a trained classifier.
 * @example toXgboostJson(result.model, classifierMeta(result, ctx));
 */
export function classifierMeta(r: ClassifierResult, ctx: MetaContext): ClassifierMeta {
  const e = r.evaluation;
  const rounds = e ? e.fits.map((f) => f.rounds).sort((a, b) => a - b) : [];
  const evaluation = e === null ? null : {
    scheme: e.scheme, k: e.k, repeats: e.repeats, testSize: e.testSize, validationFraction: e.validationFraction,
    fits: e.fits.length, foldRounds: { min: rounds[0], median: rounds[rounds.length >> 1], max: rounds[rounds.length - 1] },
    repeatAuc: e.repeatAuc, metrics: e.metrics,
  };
  return {
    format: CLASSIFIER_META_FORMAT, version: CLASSIFIER_META_VERSION, phantomVersion: ctx.phantomVersion, label: ctx.label,
    encoding: ctx.encoding, excluded: ctx.excluded, features: featureSettings(ctx.sourceMetadata), params: { ...r.params },
    rounds: r.rounds, seed: ctx.seed, threshold: r.threshold,
    training: {
      source: ctx.source, rows: ctx.fingerprint.rows, positives: ctx.fingerprint.positives, negatives: ctx.fingerprint.rows - ctx.fingerprint.positives,
      unlabelledDropped: ctx.unlabelled, fingerprint: ctx.fingerprint,
    },
    evaluation, leakage: { threshold: r.leakage.threshold, flagged: r.leakage.flagged },
    calibration: r.calibration === null ? null : calibrationMeta(r.calibration),
  };
}

/** The block's zod schema, built when a block first fails passesMetaCheck. */
let metaSchema: ReturnType<typeof metaSchemaOf> | undefined;

/**
 * phantom's metadata of a model file, or null when the model was trained elsewhere (or carries some other
 * phantom block). A block that claims to be a classifier but is malformed is a UsageError.
 * @example const meta = readClassifierMeta(fromXgboostJson(text).phantomMeta);
 */
export function readClassifierMeta(raw: unknown): ClassifierMeta | null {
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== CLASSIFIER_META_FORMAT) return null;
  if (passesMetaCheck(raw, CLASSIFIER_META_FORMAT, CLASSIFIER_META_VERSION)) return raw as ClassifierMeta;
  metaSchema ??= metaSchemaOf(zodApi(), CLASSIFIER_META_FORMAT, CLASSIFIER_META_VERSION);
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new UsageError(`the model's phantom metadata is malformed:\n  ${problems.join('\n  ')}`);
  }
  return raw as ClassifierMeta;
}
