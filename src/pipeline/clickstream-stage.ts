/**
 * The pipeline's clickstream extras, computed inside the kernels stage on the same events: absorbing-chain
 * analysis per class (when the states include purchase_complete and <start>/<end>) and unsupervised session
 * clusters (k = 2…4 by BIC, 3 restarts, seeded from the kernels seed). Shown in report.html; see
 * docs/method.md §8 and §10.
 */
import { clusterSessions, type SessionClusters } from '../clusters/cluster-sessions.js';
import type { EventsTable } from '../events/table.js';
import { isPurchaseState, type AbsorbingAnalysis } from '../kernels/absorbing.js';
import type { KernelParams } from '../kernels/fit-kernels.js';
import type { ClassName } from '../kernels/kernel.js';
import { kernelsExtras } from '../kernels/kernels-extras.js';
import { createRng } from '../stats/rng.js';

export interface ClickstreamStageResult {
  /** null when the states have no purchase_complete state or no <start>/<end> (the reason says which) */
  absorbing: Partial<Record<ClassName, AbsorbingAnalysis>> | null;
  absorbingSkipped: string | null;
  clusters: SessionClusters;
}

/** Cluster counts and restarts of the pipeline (kept small: the report is not the place for a k sweep). */
export const PIPELINE_CLUSTERS = { ks: [2, 3, 4], restarts: 3 } as const;

/**
 * Absorbing analysis and clusters for the report.
 * @example clickstreamStage(table, flags, kernelParams(config), config.kernels.seed).clusters.model.k
 */
export function clickstreamStage(table: EventsTable, flags: Int8Array, params: KernelParams, seed: number, vocabulary: readonly string[]): ClickstreamStageResult {
  let absorbing: ClickstreamStageResult['absorbing'] = null, absorbingSkipped: string | null = null;
  if (!params.boundary) absorbingSkipped = 'boundary states are off';
  else if (!vocabulary.some(isPurchaseState)) absorbingSkipped = `no purchase_complete state under --state ${params.state}`;
  else absorbing = kernelsExtras(table, flags, params, { selectOrder: false, absorbing: true, evaluateNext: false }, createRng(seed)).absorbing ?? null;
  const clusters = clusterSessions(table, flags, { ks: [...PIPELINE_CLUSTERS.ks], restarts: PIPELINE_CLUSTERS.restarts, rng: createRng(seed), state: params.state === 'category' ? 'category' : 'event' });
  return { absorbing, absorbingSkipped, clusters };
}
