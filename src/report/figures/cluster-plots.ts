/** Figures of `phantom clusters --plot DIR`: one heat map per cluster kernel. */
import type { SessionClusters } from '../../clusters/cluster-sessions.js';
import { heatmapSvg } from './heatmap.js';
import { writeFigure } from './write-figure.js';

/**
 * Write `cluster-<c>.svg` (and PNG when available) for every cluster; returns the paths written.
 * @example await writeClusterPlots('plots', result) // ['plots/cluster-0.svg', …]
 */
export async function writeClusterPlots(dir: string, r: SessionClusters): Promise<string[]> {
  const v = r.vocabulary.length, written: string[] = [];
  const end = r.vocabulary.indexOf('<end>');
  for (const c of r.clusters) {
    const values = Float64Array.from(r.model.kernels.subarray(c.cluster * v * v, (c.cluster + 1) * v * v));
    // <end> is absorbing: show it as a unit mass on itself rather than the fit's unused prior row
    if (end >= 0) for (let b = 0; b < v; b++) values[end * v + b] = b === end ? 1 : 0;
    const agents = Number.isNaN(c.agentShare) ? '' : `, ${(100 * c.agentShare).toFixed(0)}% agents`;
    const f = await writeFigure(dir, `cluster-${c.cluster}`, heatmapSvg({
      title: `cluster ${c.cluster} kernel (${c.sessions.toLocaleString('en-US')} sessions, π = ${c.weight.toFixed(3)}${agents})`,
      labels: r.vocabulary, values, scale: 'sequential', valueLabel: `P(next | current), ${r.state} states, EM fit`,
    }));
    written.push(f.svg, ...(f.png ? [f.png] : []));
  }
  return written;
}
