/**
 * `clusters` as one library call (what the command runs): labelled events and typed options in; the
 * BIC-chosen Markov-chain mixture, each session's cluster and the summary `--json` prints out.
 * Labels never enter the fit; they only give the agent shares and the adjusted Rand index. Prints nothing, writes nothing.
 */
import type { LabelledTable } from '../kernels/run-kernels.js';
import type { StateMode } from '../kernels/states.js';
import { createRng } from '../stats/rng.js';
import { clusterSessions, DEFAULT_TIMING, type ClusterSummary, type SessionClusters } from './cluster-sessions.js';
import type { TimingMode } from './gap-emission.js';
import { MIXTURE_DEFAULTS, type MixtureFit } from './markov-mixture.js';

/** Markov state per event the clusters are fitted over. */
export const CLUSTER_STATES = ['event', 'category'] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];

export interface ClustersOptions {
  /** numbers of clusters to try; the lowest BIC wins */
  ks: number[];
  /** seeded EM restarts per k */
  restarts: number;
  maxIterations: number;
  seed: number;
  state: ClusterState;
  /** what each cluster emits besides the event chain (docs/method.md, "Session clusters") */
  timing: TimingMode;
  /** threads of the EM E-step (from MIXTURE_DEFAULTS.threadMinSessions sessions on; 1 = the calling thread only) */
  threads: number;
}

/** Defaults of every option (the command's flag defaults come from here). */
export const CLUSTERS_DEFAULTS = {
  ks: [2, 3, 4, 5, 6, 7, 8, 9, 10], restarts: MIXTURE_DEFAULTS.restarts, maxIterations: MIXTURE_DEFAULTS.maxIterations, seed: 42,
  state: 'event' as ClusterState, timing: DEFAULT_TIMING, threads: MIXTURE_DEFAULTS.threads,
} satisfies ClustersOptions;

/** What `clusters --json` reports about a fit (without the output paths). */
export interface ClustersSummary {
  k: number; selection: MixtureFit['selection']; logLikelihood: number; bic: number; parameters: number; iterations: number; converged: boolean;
  restart: number; seed: number;
  /** threads the E-step ran on */
  workers: number;
  state: StateMode; timing: TimingMode; sessions: number; adjustedRand: number; clusters: ClusterSummary[]; vocabulary: string[];
  /** per cluster, its row-major kernel over the vocabulary */
  kernels: number[][];
  gapLogMean: number[][];
  gapLogVariance: number[][];
}

export interface ClustersRun {
  result: SessionClusters;
  summary: ClustersSummary;
}

/**
 * Fit the mixture for each k, keep the lowest BIC, assign every session.
 * @example const run = runClusters(await loadLabelledEvents(['events.parquet'], { labelColumn: 'is_agent' }), { ...CLUSTERS_DEFAULTS, ks: [3] })
 */
export function runClusters(events: LabelledTable, o: ClustersOptions): ClustersRun {
  const r = clusterSessions(events.table, events.flags, { ks: o.ks, rng: createRng(o.seed), state: o.state, timing: o.timing, restarts: o.restarts, maxIterations: o.maxIterations, threads: o.threads });
  const m = r.model, v2 = r.vocabulary.length ** 2;
  const summary: ClustersSummary = {
    k: m.k, selection: r.fit.selection, logLikelihood: m.logLikelihood, bic: m.bic, parameters: m.parameters, iterations: m.iterations, converged: m.converged,
    restart: m.restart, seed: o.seed, workers: r.fit.threads, state: r.state, timing: m.timing, sessions: r.ids.length, adjustedRand: r.adjustedRand, clusters: r.clusters, vocabulary: r.vocabulary,
    kernels: r.clusters.map((c) => Array.from(m.kernels.subarray(c.cluster * v2, (c.cluster + 1) * v2))),
    gapLogMean: r.clusters.map((c) => Array.from(m.gapMean.subarray(c.cluster * m.gapGroups, (c.cluster + 1) * m.gapGroups))),
    gapLogVariance: r.clusters.map((c) => Array.from(m.gapVariance.subarray(c.cluster * m.gapGroups, (c.cluster + 1) * m.gapGroups))),
  };
  return { result: r, summary };
}

/**
 * A k list as `--k` writes it: `a:b` when contiguous (two or more values), else `a,b,c`.
 * @example ksText([2, 3, 4]) // '2:4'
 */
export function ksText(ks: readonly number[]): string {
  const [k0] = ks;
  const contiguous = ks.length >= 2 && k0 !== undefined && ks.every((k, i) => k === k0 + i);
  return contiguous ? `${ks[0]}:${ks[ks.length - 1]}` : ks.join(',');
}
