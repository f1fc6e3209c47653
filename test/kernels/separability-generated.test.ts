// docs/method.md on generated data: the expected sign and a tiny p when agents differ; no small p when the two
// classes come from the same profile — and in-sample scoring (the original study's) manufacturing one.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/generate/generate.js';
import { loadProfile, type Profile } from '../../src/generate/profile.js';
import { separability } from '../../src/kernels/separability.js';

let human: Profile, agent: Profile;
beforeAll(async () => {
  human = await loadProfile('human');
  agent = await loadProfile('agent');
});

function generated(sessions: number, seed: number, agentProfile: Profile) {
  const { chunks } = generateDataset({ sessions, agentShare: 0.3, seed, startMs: 0, spanDays: 7, products: null, sessionsPerExperiment: 1, profiles: { human, agent: agentProfile }, labels: true, chunkSessions: sessions });
  return [...chunks()][0]!;
}

describe('separability on generated data (agent share 0.3)', () => {
  it.each([1, 2])('distinct profiles, seed %i: human gaps < 0 < agent gaps, p < 1e-100, AUC < 0.15', (seed) => {
    const t = generated(2000, seed, agent);
    const r = separability(t, t.isAgent, {});
    expect(r.groups.human.mean).toBeLessThan(0);
    expect(r.groups.agent.mean).toBeGreaterThan(0);
    expect(r.groups.human.median).toBeLessThan(r.groups.agent.median);
    expect(r.test.pvalue).toBeLessThan(1e-100);
    expect(r.test.effect.auc).toBeLessThan(0.15);
    expect(r.test.effect.hodgesLehmann).toBeLessThan(0);
  });

  it.each([1, 2, 3, 4, 5])('identical profiles, seed %i: leave-one-out p is not small; in-sample p is (the original flaw)', (seed) => {
    const t = generated(600, seed, { ...human, class: 'agent', name: 'human-as-agent' });
    const loo = separability(t, t.isAgent, {});
    expect(loo.test.pvalue).toBeGreaterThan(0.05);
    expect(Math.abs(loo.test.effect.auc - 0.5)).toBeLessThan(0.06);
    const inSample = separability(t, t.isAgent, { inSample: true });
    expect(inSample.test.pvalue).toBeLessThan(1e-5);
  });
});
