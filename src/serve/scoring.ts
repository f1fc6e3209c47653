/**
 * A live session's score: its §3 features, the classifier's agent probability on them (encoded and
 * predicted exactly as `phantom predict` does: modelMatrix → booster → the model's calibrator), and the kernel
 * gap score with f = σ(gap / T). Pricing reads a few signals from it, cached until the session changes,
 * so repeated `/v1/price` calls on an unchanged session cost one map lookup.
 */
import type { SessionTable } from '../features/session-table.js';
import { modelMatrix, type ClassifierModel } from '../models/classifier/index.js';
import { predictProbabilities } from '../models/calibration/index.js';
import type { KernelScore, KernelScorer } from './kernel-score.js';
import { liveScorer } from './live-scoring.js';
import { rulesMarkup, type RulesModel } from './rules.js';
import { featuresJson, liveSessionFeatures, sessionDataTable, type FeatureSettings } from './session-features.js';
import type { LiveSession } from './session-repository.js';

export interface Scorers {
  /** how features are computed (from the model's metadata, or the defaults) */
  settings: FeatureSettings;
  /** the model and its phantom metadata (null meta: trained elsewhere, matched by feature name) */
  classifier: ClassifierModel | null;
  kernels: KernelScorer | null;
}

export interface SessionScore {
  sessionId: string;
  events: number;
  /** classifier probability; null without a model */
  agentProbability: number | null;
  kernel: KernelScore | null;
  table: SessionTable;
}

/** What pricing needs from a score, cached per session until its next event (a few numbers, not the table). */
export interface SessionSignals {
  events: number;
  /** classifier probability, else the kernel's f, else null */
  agentProbability: number | null;
  cartAdds: number;
  /** the rules policy's markup for the session (null without rules) */
  rulesMarkup: number | null;
}

const cache = new WeakMap<LiveSession, { version: number; signals: SessionSignals }>();
/** the price path's reused-buffer scorer per scorer set and rules (null: the generic path) */
const liveScorers = new WeakMap<Scorers, { rules: RulesModel | null; scorer: ReturnType<typeof liveScorer> }>();

/**
 * Score a live session: features, classifier probability, kernel gap.
 * @example const s = scoreSession(live, scorers); s.agentProbability
 */
export function scoreSession(live: LiveSession, scorers: Scorers, withKernel = true): SessionScore {
  const table = liveSessionFeatures(live.buffer, scorers.settings);
  const c = scorers.classifier;
  // the same encoding path as `phantom predict`: the model's stored one-hot encoding, or names
  const agentProbability = c === null ? null : predictProbabilities(c, modelMatrix(sessionDataTable(table), c.model, c.meta)).probability[0]!;
  return {
    sessionId: live.buffer.sessionId, events: live.buffer.length, agentProbability,
    kernel: scorers.kernels === null || !withKernel ? null : scorers.kernels(live.buffer), table,
  };
}

/**
 * The signals pricing uses, from the cache while the session is unchanged.
 * @example pricer.price(request, sessionSignals(live, scorers, rules))
 */
export function sessionSignals(live: LiveSession, scorers: Scorers, rules: RulesModel | null): SessionSignals {
  const hit = cache.get(live);
  if (hit !== undefined && hit.version === live.version) return hit.signals;
  let fast = liveScorers.get(scorers);
  if (fast === undefined || fast.rules !== rules) liveScorers.set(scorers, (fast = { rules, scorer: liveScorer(scorers.settings, scorers.classifier, rules) }));
  let signals: SessionSignals;
  if (fast.scorer !== null && (scorers.classifier !== null || scorers.kernels === null)) {
    // features into reused arrays, the model's row into a reused vector (live-scoring.ts): same values
    const s = fast.scorer.score(live.buffer);
    signals = { events: live.buffer.length, agentProbability: s.agentProbability, cartAdds: s.table.columns['cart_adds']?.[0] ?? 0, rulesMarkup: s.rulesMarkup };
  } else {
    // pricing reads the kernel's f only when there is no classifier: skip its ~20 KB of allocation otherwise
    const s = scoreSession(live, scorers, scorers.classifier === null);
    signals = {
      events: s.events, agentProbability: s.agentProbability ?? s.kernel?.probability ?? null,
      cartAdds: s.table.columns['cart_adds']?.[0] ?? 0, rulesMarkup: rules === null ? null : rulesMarkup(rules, s.table),
    };
  }
  cache.set(live, { version: live.version, signals });
  return signals;
}
/** The JSON body of GET /v1/sessions/{id}/score. */
export function scoreJson(s: SessionScore): Record<string, unknown> {
  return {
    sessionId: s.sessionId, events: s.events, agentProbability: s.agentProbability,
    kernel: s.kernel, features: featuresJson(s.table),
  };
}
