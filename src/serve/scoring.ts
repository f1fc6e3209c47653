/**
 * A live session's score: its §3 features, the classifier's agent probability on them (encoded and
 * predicted exactly as `phantom predict` does: modelMatrix → predictBooster), and the kernel
 * gap score with f = σ(gap / T). Computed from the session's buffer and cached until the session changes,
 * so repeated `/v1/price` calls on an unchanged session cost one map lookup.
 */
import type { SessionTable } from '../features/session-table.js';
import { modelMatrix, type ClassifierModel } from '../models/classifier/index.js';
import { predictBooster } from '../models/gbdt/index.js';
import type { KernelScore, KernelScorer } from './kernel-score.js';
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
    // the same encoding path as `phantom predict`: the model's stored one-hot encoding, or names
    agentProbability = predictBooster(c.model, modelMatrix(sessionDataTable(table), c.model, c.meta))[0]!;
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
