// Without labels, on `generate` output (human and agent behaviour profiles): the most agent-heavy cluster holds
// about as many agents as the true generating kernels can tell apart from humans at all (the Bayes limit of a
// first-order event chain: ~74% of agents on this seed, so the "≥ 80%" is not reachable here, see
// docs/method.md); with labels, the per-cluster agent shares and the ARI are reported consistently.
import { beforeAll, describe, expect, it } from 'vitest';
import { clusterSessions } from '../../src/clusters/cluster-sessions.js';
import type { EventsTable } from '../../src/events/table.js';
import { generateDataset } from '../../src/generate/generate.js';
import { loadProfile } from '../../src/generate/profile.js';
import { prepareSessions, type PreparedSessions } from '../../src/kernels/prepare.js';
import { createRng } from '../../src/stats/rng.js';

let table: EventsTable;

/** Share of agent sessions that the two classes' own fitted kernels (β = 0.01, class priors) call agent. */
function bayesAgentShare(p: PreparedSessions): number {
  const t = p.transitions, v = t.size, n = [0, 0];
  const counts = [new Float64Array(v * v), new Float64Array(v * v)];
  p.labels.forEach((l, s) => {
    if (l < 0) return;
    n[l]!++;
    for (let j = t.pairOffsets[s]!; j < t.pairOffsets[s + 1]!; j++) counts[l]![t.src[j]! * v + t.dst[j]!]! += t.count[j]!;
  });
  const pseudo = (b: number) => (b === p.states.start ? 0 : 0.01);
  const logT = counts.map((c) => Float64Array.from(c, (x, i) => {
    const a = Math.floor(i / v);
    let total = 0;
    for (let b = 0; b < v; b++) total += c[a * v + b]! + pseudo(b);
    return Math.log((x + pseudo(i % v)) / total);
  }));
  let right = 0;
  p.labels.forEach((l, s) => {
    if (l !== 1) return;
    const ll = [0, 1].map((c) => {
      let x = Math.log(n[c]!);
      for (let j = t.pairOffsets[s]!; j < t.pairOffsets[s + 1]!; j++) x += t.count[j]! * logT[c]![t.src[j]! * v + t.dst[j]!]!;
      return x;
    });
    if (ll[1]! > ll[0]!) right++;
  });
  return right / n[1]!;
}
beforeAll(async () => {
  const profiles = { human: await loadProfile('human'), agent: await loadProfile('agent') };
  const { chunks } = generateDataset({ sessions: 4000, agentShare: 0.3, seed: 21, startMs: 0, spanDays: 7, products: null, sessionsPerExperiment: 1, profiles, labels: true, chunkSessions: 4000 });
  [table] = [...chunks()] as [EventsTable];
});

describe('session clusters on generated human/agent traffic', () => {
  it('without labels, one cluster holds the agents the true kernels can tell apart (within 5 points), and is agent-rich', () => {
    const r = clusterSessions(table, null, { ks: [2, 3, 4, 5, 6], rng: createRng(42) });
    expect(Number.isNaN(r.adjustedRand)).toBe(true); // no labels given
    const prepared = prepareSessions(table, table.isAgent, { state: 'event', boundary: true }), truth = prepared.labels;
    const agentsIn = new Array<number>(r.model.k).fill(0);
    let agents = 0;
    truth.forEach((l, s) => {
      if (l !== 1) return;
      agents++;
      agentsIn[r.fit.cluster[s]!]!++;
    });
    expect(agents).toBeGreaterThan(800);
    const best = agentsIn.indexOf(Math.max(...agentsIn));
    const limit = bayesAgentShare(prepared);
    expect(limit).toBeGreaterThan(0.6);
    expect(agentsIn[best]! / agents).toBeGreaterThanOrEqual(limit - 0.05);
    // and the cluster is agent-rich: well above the 30% base rate
    const size = Array.from(r.fit.cluster).filter((c) => c === best).length;
    expect(agentsIn[best]! / size).toBeGreaterThan(0.6);
  });

  it('with labels, agent shares add up and the ARI is reported', () => {
    const r = clusterSessions(table, table.isAgent, { ks: [2, 3], rng: createRng(42) });
    const agents = r.clusters.reduce((a, c) => a + c.agents, 0);
    expect(r.clusters.reduce((a, c) => a + c.shareOfAgents, 0)).toBeCloseTo(1, 12);
    expect(r.clusters.reduce((a, c) => a + c.sessions, 0)).toBe(r.ids.length);
    for (const c of r.clusters) expect(c.agentShare).toBeCloseTo(c.agents / c.labelled, 12);
    expect(agents).toBe(Array.from(r.labels).filter((l) => l === 1).length);
    expect(r.adjustedRand).toBeGreaterThan(0);
    expect(r.adjustedRand).toBeLessThanOrEqual(1);
  });
});
