/**
 * A live session's score: its §3 features, the classifier's agent probability on them, and the kernel
 * gap score with f = σ(gap / T). Computed from the session's buffer and cached until the session changes,
 * so repeated `/v1/price` calls on an unchanged session cost one map lookup.
 */
import type { SessionTable } from '../features/session-table.js';
import { predictBooster, type BoosterModel } from '../models/gbdt/index.js';
import { featureVector, type FeatureVectorPlan } from './feature-vector.js';
import type { KernelScore, KernelScorer } from './kernel-score.js';
import { featuresJson, liveSessionFeatures, type FeatureSettings } from './session-features.js';
import type { LiveSession } from './session-repository.js';

export interface Classifier {
  booster: BoosterModel;
  plan: FeatureVectorPlan;
}

export interface Scorers {
  /** how features are computed (from the model's metadata, or the defaults) */
  settings: FeatureSettings;
  classifier: Classifier | null;
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

const cache = new WeakMap<LiveSession, { version: number; score: SessionScore }>();

/**
 * Score a live session (cached per session version).
 * @example const s = scoreSession(live, scorers); s.agentProbability
 */
export function scoreSession(live: LiveSession, scorers: Scorers): SessionScore {
  const hit = cache.get(live);
  if (hit !== undefined && hit.version === live.version) return hit.score;
  const table = liveSessionFeatures(live.buffer, scorers.settings);
  let agentProbability: number | null = null;
  const c = scorers.classifier;
  if (c !== null) {
    const values = featureVector(c.plan, table);
    agentProbability = predictBooster(c.booster, { nRows: 1, nCols: values.length, values, featureNames: c.plan.names })[0]!;
  }
  const score: SessionScore = {
    sessionId: live.buffer.sessionId, events: live.buffer.length, agentProbability,
    kernel: scorers.kernels === null ? null : scorers.kernels(live.buffer), table,
  };
  cache.set(live, { version: live.version, score });
  return score;
}

/** The JSON body of GET /v1/sessions/{id}/score. */
export function scoreJson(s: SessionScore): Record<string, unknown> {
  return {
    sessionId: s.sessionId, events: s.events, agentProbability: s.agentProbability,
    kernel: s.kernel, features: featuresJson(s.table),
  };
}
