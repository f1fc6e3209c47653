/**
 * Loading what `serve` scores and prices with: the classifier (XGBoost JSON, phantom's or xgboost's),
 * kernels.json, and the distilled rules. The feature settings (feature set, timeout, fill value) come
 * from the model's phantom metadata when it has them, so live features are computed the way the
 * model's training features were; flags override them.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { FEATURE_SETS, featureSpecs, type FeatureSetName } from '../features/registry.js';
import { readKernelsFile } from '../kernels/kernels-file.js';
import { fromXgboostJson } from '../models/gbdt/index.js';
import { planFeatureVector } from './feature-vector.js';
import { kernelScorer } from './kernel-score.js';
import type { Loaded } from './parts.js';
import { parseRules } from './rules.js';
import type { FeatureSettings } from './session-features.js';

export interface LoadOptions {
  model: string | null;
  kernels: string | null;
  rules: string | null;
  temperature: number;
  /** flags that override the model's metadata */
  featureSet?: FeatureSetName;
  timeoutSec?: number;
}

async function readJson(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag}: ${path} is not valid JSON (${(err as Error).message})`);
  }
}

/** Feature settings recorded in phantom's model metadata (several spellings accepted), else defaults. */
export function settingsFromMeta(meta: unknown): Partial<FeatureSettings> {
  if (typeof meta !== 'object' || meta === null) return {};
  const m = meta as Record<string, unknown>;
  const nested = (typeof m['features'] === 'object' && m['features'] !== null ? m['features'] : {}) as Record<string, unknown>;
  const pick = (...keys: string[]): unknown => keys.map((k) => m[k] ?? nested[k]).find((v) => v !== undefined);
  const out: Partial<FeatureSettings> = {};
  const set = pick('featureSet', 'feature_set', 'set');
  if (typeof set === 'string' && (FEATURE_SETS as readonly string[]).includes(set)) out.featureSet = set as FeatureSetName;
  const timeout = pick('timeoutSec', 'timeout_sec');
  if (typeof timeout === 'number' && timeout > 0) out.timeoutSec = timeout;
  const fill = pick('fillMissing', 'fill_missing');
  if (typeof fill === 'number' || fill === null) out.fillMissing = fill;
  return out;
}

/**
 * Load the files named by the flags.
 * @example const loaded = await loadModels({ model: 'model.json', kernels: null, rules: null, temperature: 1 })
 */
export async function loadModels(o: LoadOptions): Promise<Loaded> {
  let settings: FeatureSettings = { featureSet: 'default', timeoutSec: 900, fillMissing: null };
  let classifier: Loaded['scorers']['classifier'] = null;
  let booster = null;
  if (o.model !== null) {
    const read = fromXgboostJson(await readJson(o.model, '--model'));
    booster = read.model;
    settings = { ...settings, ...settingsFromMeta(read.phantomMeta) };
  }
  if (o.featureSet !== undefined) settings.featureSet = o.featureSet;
  if (o.timeoutSec !== undefined) settings.timeoutSec = o.timeoutSec;
  const features = featureSpecs(settings.featureSet);
  if (booster !== null) {
    if (booster.featureNames.length === 0) throw new UsageError(`--model: ${o.model} has no feature_names; serve needs them to line live features up with the model`);
    classifier = { booster, plan: planFeatureVector(booster.featureNames, features, o.model!) };
  }
  const kernels = o.kernels === null ? null : kernelScorer(await readKernelsFile(o.kernels), o.temperature);
  const rules = o.rules === null ? null : parseRules(await readJson(o.rules, '--rules'), features, o.rules);
  return { scorers: { settings, classifier, kernels }, rules };
}
