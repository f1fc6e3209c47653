// Kernels, divergences, gap scores and the Mann–Whitney test against an independent numpy/scipy
// implementation (test/oracles/kernels.py → test/golden/kernels.json; scipy 1.10.1, numpy 1.24.2).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareClasses, fitClasses, type KernelParams } from '../../src/kernels/fit-kernels.js';
import { kernelMatrix, smoothingFor } from '../../src/kernels/kernel.js';
import { prepareSessions } from '../../src/kernels/prepare.js';
import { statusNames } from '../../src/kernels/scores-file.js';
import { separability } from '../../src/kernels/separability.js';
import { klDivergence } from '../../src/stats/divergence.js';
import { close, num, tableFromSessions, type PlainSession } from './support.js';

interface GoldenCase {
  config: { boundary: boolean; pooling: KernelParams['pooling']; smoothing: number; weighting: KernelParams['weighting']; inSample: boolean };
  vocabulary: string[];
  kernels: { human: (number | string)[][]; agent: (number | string)[][] };
  counts: { human: number[][]; agent: number[][] };
  divergence: { klHumanAgent: number; klAgentHuman: number; js: number; sharedStates: number };
  sessions: { id: string; status: string; deltaHuman: number | string; deltaAgent: number | string; gap: number | string }[];
  mannWhitney: { statistic: number; pvalue: number };
}
const golden = JSON.parse(readFileSync(new URL('../golden/kernels.json', import.meta.url), 'utf8')) as {
  sessions: PlainSession[]; cases: GoldenCase[]; kl: { p: number[]; q: number[]; kl: number | string }[];
};
const table = tableFromSessions(golden.sessions);

describe.each(golden.cases.map((c) => [JSON.stringify(c.config), c] as const))('golden %s', (_name, g) => {
  const params: KernelParams = { state: 'event', boundary: g.config.boundary, pooling: g.config.pooling, smoothing: g.config.smoothing, weighting: g.config.weighting };
  const prepared = prepareSessions(table, table.isAgent, { state: 'event', boundary: params.boundary });
  const { model: classes } = fitClasses(prepared, params.pooling);
  const model = { params, vocabulary: prepared.states.vocabulary, classes };

  it('vocabulary, raw counts and smoothed kernels (1e-14)', () => {
    expect(model.vocabulary).toEqual(g.vocabulary);
    const sm = smoothingFor(params.smoothing, model.vocabulary);
    for (const c of ['human', 'agent'] as const) {
      expect(Array.from(classes[c].counts.values)).toEqual(g.counts[c].flat());
      const k = kernelMatrix(classes[c].mass, sm), want = g.kernels[c].flat().map(num);
      want.forEach((w, i) => expect(close(k[i]!, w, 1e-13, 1e-15), `${c}[${i}] ${k[i]} vs ${w}`).toBe(true));
    }
  });

  it('class divergences: KL via scipy.stats.entropy, JS via jensenshannon² (1e-12 relative)', () => {
    const d = compareClasses(model);
    expect(d.sharedStates).toBe(g.divergence.sharedStates);
    for (const k of ['klHumanAgent', 'klAgentHuman', 'js'] as const) expect(close(d[k], g.divergence[k]), `${k}: ${d[k]} vs ${g.divergence[k]}`).toBe(true);
  });

  it('per-session ΔH, ΔA, gap (1e-12 relative) and Mann–Whitney U, p (1e-9 relative)', () => {
    const r = separability(table, table.isAgent, { params, inSample: g.config.inSample, test: { method: 'asymptotic' } });
    // phantom lists sessions by ascending id; the oracle in its own order
    const expected = [...g.sessions].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(r.sessions.ids).toEqual(expected.map((s) => s.id));
    expect(statusNames(r)).toEqual(expected.map((s) => s.status));
    expected.forEach((s, k) => {
      for (const [got, want] of [[r.sessions.scores.deltaHuman[k]!, s.deltaHuman], [r.sessions.scores.deltaAgent[k]!, s.deltaAgent], [r.sessions.scores.gap[k]!, s.gap]] as const) {
        expect(close(got, num(want), 1e-12, 1e-14), `${s.id}: ${got} vs ${want}`).toBe(true);
      }
    });
    expect(r.test.statistic).toBe(g.mannWhitney.statistic);
    expect(close(r.test.pvalue, g.mannWhitney.pvalue, 1e-9, 1e-15)).toBe(true);
  });
});

describe('KL against scipy.stats.entropy', () => {
  it.each(golden.kl.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    expect(close(klDivergence(c.p, c.q), num(c.kl), 1e-13, 1e-15)).toBe(true);
  });
});
