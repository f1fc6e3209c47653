/**
 * The zod schemas of phantom's block in a model file (model-meta.ts), built on first use on a given `z`, and a
 * structural check that accepts a subset of what the block's schema accepts. readClassifierMeta loads zod
 * only for a block that fails the check, to word its problems exactly as before: train-classifier, predict,
 * evaluate and distill no longer import zod (95 modules, ≈ 0.07 s of CPU) for a well-formed model
 * (docs/perf/trainrest.md).
 */
import { FEATURE_SETS } from '../../features/registry.js';
import { calibratorSchemaOf, checkedCalibrator, isNumber, isRecord, type ZodApi } from '../calibration/calibrator-schema.js';

/** A stored FeatureEncoding (also rules.json's `encoding`), on zod `z`. */
export function encodingSchemaOf(z: ZodApi) {
  return z.object({
    columns: z.array(z.union([
      z.object({ name: z.string(), kind: z.literal('numeric') }),
      z.object({ name: z.string(), kind: z.literal('one-hot'), levels: z.array(z.string()) }),
    ])),
  });
}

/**
 * The block's `features`: the settings of the sessions file the model was trained on, which `serve` computes
 * live features with. Absent (or a null field) means not recorded: the defaults apply. A present block must
 * be what `phantom features` can have written: a known feature set, a timeout > 0, a numeric fill value.
 */
export function featuresSchemaOf(z: ZodApi) {
  return z.object({
    featureSet: z.enum(FEATURE_SETS).nullable().optional(),
    timeoutSec: z.number().positive().nullable().optional(),
    fillMissing: z.number().nullable().optional(),
  }).passthrough();
}

/** The metadata block's schema, on zod `z` (format and version are the values model-meta.ts writes). */
export function metaSchemaOf(z: ZodApi, format: string, version: number) {
  return z.object({
    format: z.literal(format),
    version: z.literal(version),
    label: z.string(),
    encoding: encodingSchemaOf(z),
    threshold: z.object({ rule: z.string(), value: z.number() }),
    training: z.object({ fingerprint: z.object({ sha256: z.string() }).passthrough() }).passthrough(),
    features: featuresSchemaOf(z).optional(),
    calibration: z.object({ calibrator: calibratorSchemaOf(z) }).passthrough().nullable().optional(),
  }).passthrough();
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** A dense array whose every element passes `ok` (empty allowed, as z.array allows). */
function everyElement(v: unknown, ok: (x: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!(i in v) || !ok(v[i])) return false;
  return true;
}

const isColumn = (c: unknown): boolean => isRecord(c) && isString(c.name)
  && (c.kind === 'numeric' || (c.kind === 'one-hot' && everyElement(c.levels, isString)));

const absentOr = (v: unknown, ok: (x: unknown) => boolean): boolean => v === undefined || v === null || ok(v);

/** True only for a `features` block featuresSchemaOf accepts (absent counts as accepted). */
function passesFeaturesCheck(f: unknown): boolean {
  if (f === undefined) return true;
  return isRecord(f) && absentOr(f.featureSet, (s) => (FEATURE_SETS as readonly unknown[]).includes(s))
    && absentOr(f.timeoutSec, (t) => isNumber(t) && t > 0) && absentOr(f.fillMissing, isNumber);
}

/**
 * True only for a block the schema of metaSchemaOf(z, format, version) accepts (it may refuse some the
 * schema accepts; those then go through the schema).
 */
export function passesMetaCheck(raw: unknown, format: string, version: number): boolean {
  if (!isRecord(raw) || raw.format !== format || raw.version !== version || !isString(raw.label)) return false;
  const { encoding, threshold, training, features, calibration } = raw;
  if (!isRecord(encoding) || !everyElement(encoding.columns, isColumn)) return false;
  if (!isRecord(threshold) || !isString(threshold.rule) || !isNumber(threshold.value)) return false;
  if (!isRecord(training) || !isRecord(training.fingerprint) || !isString(training.fingerprint.sha256)) return false;
  if (!passesFeaturesCheck(features)) return false;
  if (calibration === undefined || calibration === null) return true;
  return isRecord(calibration) && checkedCalibrator(calibration.calibrator) !== null;
}
