/**
 * `clusterSessions`: sessions of an events table → first-order transitions (with `<start>`/`<end>`) and, by default,
 * log dwell times per state (gap-emission.ts) → a Markov-chain mixture with timing (markov-mixture.ts) → one cluster
 * and posterior per session, and, when labels exist, how the clusters line up with them (adjusted Rand index,
 * agent share per cluster).
 */
import type { EventsTable } from '../events/table.js';
import { prepareSessions } from '../kernels/prepare.js';
import type { StateMode } from '../kernels/states.js';
import type { Rng } from '../stats/rng.js';
import { adjustedRandIndex } from './adjusted-rand.js';
import { sessionLogGaps, type TimingMode } from './gap-emission.js';
import { fitMarkovMixture, type MarkovMixture, type MixtureFit, type MixtureOptions } from './markov-mixture.js';

export interface ClusterSummary {
  cluster: number;
  sessions: number;
  /** mixture weight π_c */
  weight: number;
  /** labelled sessions in the cluster, and the agents among them */
  labelled: number;
  agents: number;
  /** agents / labelled in the cluster (NaN without labelled sessions) */
  agentShare: number;
  /** share of all labelled agents that fall in this cluster */
  shareOfAgents: number;
  /** geometric mean of the cluster's inter-event gaps in seconds, exp(Σ r·Σx / Σ r·n) (NaN without gaps) */
  gapGeometricMeanSec: number;
}

/** Timing emitted by default: dwell times per state (agents differ from people in speed more than in order). */
export const DEFAULT_TIMING: TimingMode = 'dwell';

export interface SessionClusters {
  vocabulary: string[];
  state: StateMode;
  /** timing asked for (the model's own `timing` is `none` when no session had a usable gap) */
  timing: TimingMode;
  ids: string[];
  /** −1 unlabelled, 0 human, 1 agent */
  labels: Int8Array;
  fit: MixtureFit;
  model: MarkovMixture;
  clusters: ClusterSummary[];
  /** ARI of clusters vs human/agent labels over labelled sessions (NaN without both labels) */
  adjustedRand: number;
}

/**
 * Cluster the sessions of an events table. `flags` are event-level labels (−1/0/1) or null.
 * @example clusterSessions(table, table.isAgent, { ks: [2, 3, 4, 5], rng: createRng(42), timing: 'dwell' }).clusters
 */
export function clusterSessions(table: EventsTable, flags: Int8Array | null, opts: { ks: number[]; rng: Rng; state?: StateMode; timing?: TimingMode } & Omit<MixtureOptions, 'gaps'>): SessionClusters {
  const state = opts.state ?? 'event', timing = opts.timing ?? DEFAULT_TIMING;
  const prepared = prepareSessions(table, flags ?? new Int8Array(table.length).fill(-1), { state, boundary: true });
  const gaps = timing === 'none' ? null : sessionLogGaps(table, prepared.index, prepared.states.stateOf, prepared.states.vocabulary.length, timing);
  const fit = fitMarkovMixture(prepared.transitions, opts.ks, opts.rng, { ...opts, start: prepared.states.start, gaps });
  const k = fit.model.k, labels = prepared.labels;
  const clusters: ClusterSummary[] = Array.from({ length: k }, (_, c) => ({ cluster: c, sessions: 0, weight: fit.model.weights[c]!, labelled: 0, agents: 0, agentShare: NaN, shareOfAgents: NaN, gapGeometricMeanSec: NaN }));
  const gapN = new Float64Array(k), gapSum = new Float64Array(k);
  let agents = 0, humans = 0;
  for (let s = 0; s < labels.length; s++) {
    if (gaps) {
      for (let c = 0; c < k; c++) {
        const r = fit.posterior[s * k + c]!;
        for (let e = gaps.offsets[s]!; e < gaps.offsets[s + 1]!; e++) {
          gapN[c]! += r * gaps.n[e]!;
          gapSum[c]! += r * gaps.sum[e]!;
        }
      }
    }
    const c = clusters[fit.cluster[s]!]!;
    c.sessions++;
    if (labels[s]! >= 0) c.labelled++;
    if (labels[s] === 1) {
      c.agents++;
      agents++;
    } else if (labels[s] === 0) humans++;
  }
  for (const c of clusters) {
    c.agentShare = c.labelled > 0 ? c.agents / c.labelled : NaN;
    c.shareOfAgents = agents > 0 ? c.agents / agents : NaN;
    c.gapGeometricMeanSec = gapN[c.cluster]! > 0 ? Math.exp(gapSum[c.cluster]! / gapN[c.cluster]!) : NaN;
  }
  const adjustedRand = agents > 0 && humans > 0 ? adjustedRandIndex(fit.cluster, labels) : NaN;
  return { vocabulary: prepared.states.vocabulary, state, timing, ids: prepared.index.ids, labels, fit, model: fit.model, clusters, adjustedRand };
}
