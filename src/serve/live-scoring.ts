/**
 * The price path's scoring without per-request tables: the session's features into reused arrays
 * (live-features.ts), the model's encoding compiled once against them into a plan that writes the one
 * encoded row into a reused vector with encodeTable's rules (numeric as is; one-hot 0/1, NaN for a null
 * category, all 0 for an unseen level), then the booster (predictBooster's arithmetic on that one row with
 * reused buffers, row-booster.ts) and the calibrator the model carries (read once, not per request), and the rules tree's `predictTree`. The probability is the
 * same float as `predictProbabilities(c, modelMatrix(sessionDataTable(features)))`
 * (test/serve/live-features.test.ts); models without phantom metadata (matched by feature name) keep that
 * generic path.
 */
import type { SessionTable } from '../features/session-table.js';
import { applyCalibrator, calibratorOf } from '../models/calibration/index.js';
import type { Calibrator } from '../models/calibration/calibrator.js';
import { predictTree } from '../models/cart/index.js';
import type { ClassifierModel } from '../models/classifier/index.js';
import { encodedNames, type FeatureEncoding } from '../models/dataset/index.js';
import type { FeatureMatrix } from '../models/gbdt/index.js';
import { LiveFeatures } from './live-features.js';
import { rowBooster } from './row-booster.js';
import type { RulesModel } from './rules.js';
import type { SessionBuffer } from './session-buffer.js';
import type { FeatureSettings } from './session-features.js';

/** One step of an encoded row: a numeric feature's value, or a one-hot block from a category's code. */
type Step = { kind: 'numeric'; values: Float64Array } | { kind: 'one-hot'; codes: Int32Array; slot: Int32Array; width: number };

/** A one-row matrix whose values a compiled encoding rewrites. */
export interface RowPlan {
  X: FeatureMatrix;
  steps: Step[];
}

/**
 * Compile an encoding against the live table; null when the table does not supply it as encodeTable
 * would read it (a missing or mistyped column: the generic path then reports the problem).
 * @example const plan = compileRow(meta.encoding, live.table); encodeRow(plan) // plan.X.values
 */
export function compileRow(enc: FeatureEncoding, table: SessionTable, featureNames: string[] = encodedNames(enc)): RowPlan | null {
  const steps: Step[] = [];
  for (const c of enc.columns) {
    const numeric = table.columns[c.name], category = table.categories[c.name];
    if (c.kind === 'numeric') {
      if (numeric === undefined) return null;
      steps.push({ kind: 'numeric', values: numeric });
    } else {
      if (category === undefined) return null;
      const slot = Int32Array.from(category.dict, (level) => c.levels.indexOf(level));
      steps.push({ kind: 'one-hot', codes: category.codes, slot, width: c.levels.length });
    }
  }
  const nCols = featureNames.length;
  return { X: { nRows: 1, nCols, values: new Float64Array(nCols), featureNames }, steps };
}

/** Write row 0 of the live table into `plan.X.values` (encodeTable's loop for one row). */
export function encodeRow(plan: RowPlan): FeatureMatrix {
  const x = plan.X.values;
  let j = 0;
  for (const s of plan.steps) {
    if (s.kind === 'numeric') {
      x[j++] = s.values[0]!;
      continue;
    }
    const code = s.codes[0]!;
    for (let k = 0; k < s.width; k++) x[j + k] = code < 0 ? NaN : 0;
    if (code >= 0 && s.slot[code]! >= 0) x[j + s.slot[code]!] = 1;
    j += s.width;
  }
  return plan.X;
}

/** What the price path reads from a session's score. */
export interface LiveScore {
  table: SessionTable;
  agentProbability: number | null;
  rulesMarkup: number | null;
}

/**
 * The price path's scorer for one model set; null when the classifier needs the generic path.
 * @example const scorer = liveScorer(settings, classifier, rules); scorer?.score(buffer).agentProbability
 */
export function liveScorer(settings: FeatureSettings, classifier: ClassifierModel | null, rules: RulesModel | null): { score(buffer: SessionBuffer): LiveScore } | null {
  const live = new LiveFeatures(settings);
  let model: RowPlan | null = null, calibrator: Calibrator = { method: 'none' }, predict: ((values: Float64Array) => number) | null = null;
  const raw = new Float64Array(1);
  if (classifier !== null) {
    if (classifier.meta === null) return null;
    const names = encodedNames(classifier.meta.encoding);
    // modelMatrix's check: the stored encoding must name the model's features, in order
    if (names.length !== classifier.model.featureNames.length || names.some((n, i) => n !== classifier.model.featureNames[i])) return null;
    model = compileRow(classifier.meta.encoding, live.table, classifier.model.featureNames);
    if (model === null) return null;
    // predictBooster's own checks, once: the row has the model's width (its names were checked above)
    if (model.X.nCols !== classifier.model.numFeature) return null;
    calibrator = calibratorOf(classifier.meta);
    predict = rowBooster(classifier.model);
  }
  const rulesPlan = rules === null ? null : compileRow(rules.encoding, live.table);
  if (rules !== null && rulesPlan === null) return null;
  const out: LiveScore = { table: live.table, agentProbability: null, rulesMarkup: null };
  return {
    score(buffer: SessionBuffer): LiveScore {
      live.compute(buffer);
      if (model !== null) {
        raw[0] = predict!(encodeRow(model).values);
        out.agentProbability = calibrator.method === 'none' ? raw[0]! : applyCalibrator(calibrator, raw)[0]!;
      }
      if (rulesPlan !== null) {
        const v = predictTree(rules!.tree, encodeRow(rulesPlan))[0]!;
        out.rulesMarkup = rules!.tiers === null ? v : rules!.tiers[v]!;
      }
      return out;
    },
  };
}
