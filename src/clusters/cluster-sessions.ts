/**
 * `clusterSessions`: sessions of an events table → first-order transitions (with `<start>`/`<end>`) → a
 * Markov-chain mixture (markov-mixture.ts) → one cluster and posterior per session, and, when labels exist,
 * how the clusters line up with them (adjusted Rand index, agent share per cluster).
 */
import type { EventsTable } from '../events/table.js';
import { prepareSessions } from '../kernels/prepare.js';
import type { StateMode } from '../kernels/states.js';
import type { Rng } from '../stats/rng.js';
import { adjustedRandIndex } from './adjusted-rand.js';
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
}

export interface SessionClusters {
  vocabulary: string[];
  state: StateMode;
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
 * @example clusterSessions(table, table.isAgent, { ks: [2, 3, 4, 5], rng: createRng(42) }).clusters
 */
export function clusterSessions(table: EventsTable, flags: Int8Array | null, opts: { ks: number[]; rng: Rng; state?: StateMode } & MixtureOptions): SessionClusters {
  const state = opts.state ?? 'event';
  const prepared = prepareSessions(table, flags ?? new Int8Array(table.length).fill(-1), { state, boundary: true });
  const fit = fitMarkovMixture(prepared.transitions, opts.ks, opts.rng, { ...opts, start: prepared.states.start });
  const k = fit.model.k, labels = prepared.labels;
  const clusters: ClusterSummary[] = Array.from({ length: k }, (_, c) => ({ cluster: c, sessions: 0, weight: fit.model.weights[c]!, labelled: 0, agents: 0, agentShare: NaN, shareOfAgents: NaN }));
  let agents = 0, humans = 0;
  for (let s = 0; s < labels.length; s++) {
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
  }
  const adjustedRand = agents > 0 && humans > 0 ? adjustedRandIndex(fit.cluster, labels) : NaN;
  return { vocabulary: prepared.states.vocabulary, state, ids: prepared.index.ids, labels, fit, model: fit.model, clusters, adjustedRand };
}
