// Invariants of kernels, divergences and leave-one-out scoring on random data.
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { addSessions, mergeCounts, subtractCounts, zeroCounts } from '../../src/kernels/count-matrix.js';
import { fitClasses, fitKernels, type KernelParams } from '../../src/kernels/fit-kernels.js';
import { gapScores, sigmoid } from '../../src/kernels/gap-scores.js';
import { fitClass, kernelMatrix, smoothingFor, visits } from '../../src/kernels/kernel.js';
import { kernelDivergence } from '../../src/kernels/kernel-divergence.js';
import { kernelsToJson, mergeKernels, parseKernels } from '../../src/kernels/kernels-file.js';
import { membersOf, prepareSessions } from '../../src/kernels/prepare.js';
import { separability } from '../../src/kernels/separability.js';
import { pairWeights, POOLINGS } from '../../src/kernels/session-transitions.js';
import { STATE_MODES } from '../../src/kernels/states.js';
import { createRng } from '../../src/stats/rng.js';
import { close, randomSessions, tableFromSessions } from './support.js';

const sessions = randomSessions(7, 120);
const table = tableFromSessions(sessions);

describe('kernel rows', () => {
  it.each(STATE_MODES.flatMap((state) => POOLINGS.flatMap((pooling) => [true, false].flatMap((boundary) => [0, 0.5].map((alpha) => [state, pooling, boundary, alpha] as const)))))(
    '%s / %s / boundary %s / α %s: non-negative, sum to 1, nothing enters <start>',
    (state, pooling, boundary, alpha) => {
      const prepared = prepareSessions(table, table.isAgent, { state, boundary });
      const { model } = fitClasses(prepared, pooling);
      const v = prepared.states.vocabulary.length, sm = smoothingFor(alpha, prepared.states.vocabulary);
      for (const c of ['human', 'agent'] as const) {
        const k = kernelMatrix(model[c].mass, sm), seen = visits(model[c]);
        let checked = 0;
        for (let a = 0; a < v; a++) {
          const row = k.subarray(a * v, (a + 1) * v);
          if (alpha === 0 && seen[a] === 0 && a !== sm.end) {
            expect(row.every(Number.isNaN)).toBe(true);
            continue;
          }
          expect(Math.abs(row.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-12);
          expect(row.every((x) => x >= 0)).toBe(true);
          if (sm.start >= 0) expect(row[sm.start]).toBe(0);
          checked++;
        }
        expect(checked).toBeGreaterThan(3);
      }
    },
  );
});

describe('leave-one-out by count subtraction', () => {
  it.each(POOLINGS)('equals a refit without the session (%s)', (pooling) => {
    const prepared = prepareSessions(table, table.isAgent, { state: 'event', boundary: true });
    const t = prepared.transitions, mass = pairWeights(t, pooling), ids = prepared.index.ids;
    const { model } = fitClasses(prepared, pooling);
    const sm = smoothingFor(0.5, prepared.states.vocabulary);
    const opts = { smoothing: sm, weighting: 'visits' as const, inSample: false, temperature: 1 };
    const loo = gapScores(t, mass, [model.human.mass, model.agent.mass], prepared.labels, opts);
    let compared = 0;
    for (let s = 0; s < ids.length; s += 7) {
      const label = prepared.labels[s]!;
      if (label < 0 || t.events[s]! < 2) continue;
      const others = membersOf(prepared.labels, label as 0 | 1).filter((x) => x !== s);
      const refit = fitClass(t, mass, others, ids);
      const centroids: [typeof refit.mass, typeof refit.mass] = label === 0 ? [refit.mass, model.agent.mass] : [model.human.mass, refit.mass];
      const fresh = gapScores(t, mass, centroids, new Int8Array(ids.length).fill(-1), opts);
      expect(close(loo.deltaHuman[s]!, fresh.deltaHuman[s]!, 1e-12)).toBe(true);
      expect(close(loo.deltaAgent[s]!, fresh.deltaAgent[s]!, 1e-12)).toBe(true);
      // and the subtraction itself: fit(all) − fit({s}) = fit(all \ {s})
      const own = label === 0 ? model.human : model.agent;
      const minus = subtractCounts(own.mass, addSessions(zeroCounts(t.size), t, mass, [s]));
      minus.values.forEach((x, i) => expect(Math.abs(x - refit.mass.values[i]!)).toBeLessThan(1e-12));
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('in-sample scoring differs from leave-one-out, and LOO gaps are less separated', () => {
    const params = { smoothing: 0.5 };
    const a = separability(table, table.isAgent, { params });
    const b = separability(table, table.isAgent, { params, inSample: true });
    expect(b.test.effect.auc).toBeLessThanOrEqual(a.test.effect.auc);
    expect(b.sessions.scores.gap).not.toEqual(a.sessions.scores.gap);
  });
});

describe('divergences', () => {
  const prepared = prepareSessions(table, table.isAgent, { state: 'event', boundary: true });
  const { model } = fitClasses(prepared, 'pooled');
  const side = (c: 'human' | 'agent') => ({ mass: model[c].mass, visits: visits(model[c]) });
  const sm = smoothingFor(0.5, prepared.states.vocabulary);

  it('KL ≥ 0 (classes and every session), JS symmetric and ≤ ln 2, KL(P‖Q) of (P,Q) = KL(Q‖P) of (Q,P)', () => {
    const pq = kernelDivergence(side('human'), side('agent'), sm, 'visits');
    const qp = kernelDivergence(side('agent'), side('human'), sm, 'visits');
    expect(pq.klPQ).toBeGreaterThan(0);
    expect(pq.klQP).toBeGreaterThan(0);
    expect(pq.js).toBe(qp.js);
    expect(pq.js).toBeLessThanOrEqual(Math.LN2);
    expect(pq.klPQ).toBe(qp.klQP);
    const self = kernelDivergence(side('human'), side('human'), smoothingFor(0, prepared.states.vocabulary), 'uniform');
    expect(self.klPQ).toBeCloseTo(0, 14);
    expect(self.js).toBeCloseTo(0, 14);
    const r = separability(table, table.isAgent, {});
    for (const d of [r.sessions.scores.deltaHuman, r.sessions.scores.deltaAgent]) for (const x of d) if (!Number.isNaN(x)) expect(x).toBeGreaterThanOrEqual(0);
  });

  it('σ is stable and the temperature scales the gap', () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
    const hot = separability(table, table.isAgent, { temperature: 2 });
    const s = hot.sessions.scores;
    s.gap.forEach((g, k) => { if (!Number.isNaN(g)) expect(s.probability[k]).toBeCloseTo(1 / (1 + Math.exp(-g / 2)), 14); });
  });
});

describe('stored kernels', () => {
  const params: Partial<KernelParams> = { pooling: 'mean-of-rows' };
  const report = fitKernels(table, table.isAgent, params, { bootstrap: 20, rng: createRng(1) });

  it('survive a JSON round trip, and scoring against them equals fitting in place (LOO via stored session ids)', () => {
    const back = parseKernels(JSON.parse(JSON.stringify(kernelsToJson(report))), 'test');
    expect(back.vocabulary).toEqual(report.vocabulary);
    for (const c of ['human', 'agent'] as const) {
      expect(back.classes[c].counts.values).toEqual(report.classes[c].counts.values);
      expect(back.classes[c].mass.values).toEqual(report.classes[c].mass.values);
    }
    const fitted = separability(table, table.isAgent, { params });
    const stored = separability(table, table.isAgent, { kernels: back });
    expect(stored.params.kernels).toBe('file');
    expect(stored.sessions.scores.gap).toEqual(fitted.sessions.scores.gap);
    expect(stored.test.pvalue).toBe(fitted.test.pvalue);
  });

  it('merge two disjoint fits = one fit of both (vocabularies aligned), and refuse overlapping sessions', () => {
    const first = sessions.slice(0, 60), second = sessions.slice(60).map((s) => ({ ...s, events: s.events.map((e) => (e === 'search' ? 'sort_change' : e)) }));
    const fit = (ss: typeof sessions) => { const t = tableFromSessions(ss); return fitKernels(t, t.isAgent, {}, { bootstrap: 0, rng: createRng(1) }); };
    const merged = mergeKernels(fit(first), fit(second));
    const whole = fit([...first, ...second]);
    expect(merged.vocabulary).toEqual(whole.vocabulary);
    for (const c of ['human', 'agent'] as const) {
      expect(merged.classes[c].counts.values).toEqual(whole.classes[c].counts.values);
      expect(merged.classes[c].sessions).toBe(whole.classes[c].sessions);
    }
    expect(() => mergeKernels(fit(first), fit(first))).toThrow(/in both fits/);
    const counts = mergeCounts(whole.classes.human.counts, whole.classes.agent.counts);
    expect(counts.values.reduce((s, x) => s + x, 0)).toBe(whole.classes.human.transitions + whole.classes.agent.transitions);
  });

  it('refuses to leave out a session whose transitions the stored kernel does not hold', () => {
    const victim = sessions.findIndex((s) => s.label !== null && s.events.length > 2);
    const tampered = tableFromSessions(sessions.map((s, i) => (i === victim ? { ...s, events: [...s.events, 'checkout_start', 'checkout_start'] } : s)));
    expect(() => separability(tampered, tampered.isAgent, { kernels: report })).toThrow(DataError);
    expect(() => separability(tampered, tampered.isAgent, { kernels: report })).toThrow(/fitted on other data/);
  });

  it('the split-half null is reproducible for a seed and p = (#{null ≥ obs} + 1)/(B + 1)', () => {
    const again = fitKernels(table, table.isAgent, params, { bootstrap: 20, rng: createRng(1) });
    expect(again.null.sample.kl).toEqual(report.null.sample.kl);
    const other = fitKernels(table, table.isAgent, params, { bootstrap: 20, rng: createRng(2) });
    expect(other.null.sample.kl).not.toEqual(report.null.sample.kl);
    const obs = report.divergence.js, sample = Array.from(report.null.sample.js);
    expect(report.null.js.p).toBe((sample.filter((x) => x >= obs).length + 1) / 21);
    expect(report.null.js.lift).toBeCloseTo(obs / (sample.reduce((a, b) => a + b, 0) / 20), 12);
  });
});
