/**
 * Loading what `serve` scores and prices with: the classifier (XGBoost JSON, phantom's or xgboost's,
 * read as `phantom predict` reads it), kernels.json, and the distilled rules. Live features are computed
 * with the settings of the sessions file the model was trained on (feature set, timeout, fill value, from
 * the model's phantom metadata); flags override them, and models trained elsewhere get the defaults.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { DEFAULT_FEATURE_OPTIONS } from '../features/compute.js';
import { FEATURE_SETS, featureSpecs, type FeatureSetName } from '../features/registry.js';
import { readKernelsFile } from '../kernels/kernels-file.js';
import { modelMatrix, readClassifierModel, type ClassifierMeta, type ClassifierModel } from '../models/classifier/index.js';
import { kernelScorer } from './kernel-score.js';
import type { Loaded } from './parts.js';
import { parseRules } from './rules.js';
import { SessionBuffer } from './session-buffer.js';
import { liveSessionFeatures, sessionDataTable, type FeatureSettings } from './session-features.js';

export interface LoadOptions {
  model: string | null;
  kernels: string | null;
  rules: string | null;
  temperature: number;
  /** flags that override the model's metadata */
  featureSet?: FeatureSetName;
  timeoutSec?: number;
}

export const DEFAULT_FEATURE_SETTINGS: Readonly<FeatureSettings> = Object.freeze({ featureSet: DEFAULT_FEATURE_OPTIONS.featureSet, timeoutSec: DEFAULT_FEATURE_OPTIONS.timeoutSec, fillMissing: DEFAULT_FEATURE_OPTIONS.fillMissing });

/** The feature settings a phantom model records (those it does not record keep the defaults). */
export function settingsFromMeta(meta: ClassifierMeta | null): FeatureSettings {
  const f = meta?.features;
  const set = f?.featureSet;
  return {
    featureSet: set !== null && set !== undefined && (FEATURE_SETS as readonly string[]).includes(set) ? (set as FeatureSetName) : DEFAULT_FEATURE_SETTINGS.featureSet,
    timeoutSec: f?.timeoutSec ?? DEFAULT_FEATURE_SETTINGS.timeoutSec,
    fillMissing: f?.fillMissing ?? DEFAULT_FEATURE_SETTINGS.fillMissing,
  };
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

/**
 * Load the files named by the flags.
 * @example const loaded = await loadModels({ model: 'model.json', kernels: null, rules: null, temperature: 1 })
 */
export async function loadModels(o: LoadOptions): Promise<Loaded> {
  const classifier = o.model === null ? null : await readClassifierModel(o.model);
  const settings = settingsFromMeta(classifier?.meta ?? null);
  if (o.featureSet !== undefined) settings.featureSet = o.featureSet;
  if (o.timeoutSec !== undefined) settings.timeoutSec = o.timeoutSec;
  const features = featureSpecs(settings.featureSet);
  if (classifier !== null) checkModelFeatures(classifier, settings, o.model!);
  const kernels = o.kernels === null ? null : kernelScorer(await readKernelsFile(o.kernels), o.temperature);
  const rules = o.rules === null ? null : parseRules(await readJson(o.rules, '--rules'), features, o.rules);
  return { scorers: { settings, classifier, kernels }, rules };
}

/** Fail at start-up, not per request, when live features cannot supply the model's inputs: encode a probe session. */
function checkModelFeatures(c: ClassifierModel, settings: FeatureSettings, path: string): void {
  const probe = new SessionBuffer('probe');
  probe.append([0, 'page_view', null, null, null, null, null, null, null, -1, null]);
  try {
    modelMatrix(sessionDataTable(liveSessionFeatures(probe, settings)), c.model, c.meta);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`--model ${path}: live sessions cannot be scored with it: ${err.message} (serve computes the ${settings.featureSet} feature set from events; shown-price features need price logs)`);
    throw err;
  }
}
