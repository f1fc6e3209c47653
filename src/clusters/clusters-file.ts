/**
 * clusters.parquet of `phantom clusters -o`: one row per session — sessionId, the most likely cluster
 * (`cluster`, int32) and the posterior of each cluster (`p_cluster_0` … `p_cluster_{k−1}`). sessionId joins
 * onto sessions.parquet.
 */
import { float64Data, int32Data, recordBatch, utf8Data } from '../io/arrow-vectors.js';
import { writeParquet } from '../io/parquet.js';
import type { SessionClusters } from './cluster-sessions.js';

/** Column name of cluster c's posterior. */
export const posteriorColumn = (c: number): string => `p_cluster_${c}`;

/**
 * Write the per-session clusters atomically.
 * @example await writeClusters('clusters.parquet', clusterSessions(table, null, { ks: [2, 3], rng }))
 */
export async function writeClusters(path: string, r: SessionClusters, meta: Record<string, string> = {}): Promise<{ rows: number }> {
  const k = r.model.k, n = r.ids.length, post = r.fit.posterior;
  const columns = [
    { name: 'sessionId', data: utf8Data(r.ids), nullable: false },
    { name: 'cluster', data: int32Data(r.fit.cluster, -2), nullable: false },
    ...Array.from({ length: k }, (_, c) => {
      const col = new Float64Array(n);
      for (let s = 0; s < n; s++) col[s] = post[s * k + c]!;
      return { name: posteriorColumn(c), data: float64Data(col), nullable: false };
    }),
  ];
  return writeParquet(path, [recordBatch(columns)], { metadata: { 'phantom.kind': 'session-clusters', 'phantom.schema_version': '1', 'phantom.k': String(k), ...meta } });
}
