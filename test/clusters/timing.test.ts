// The timing half of the session-cluster mixture: log-gap statistics equal those of the raw timestamps; with
// k = 1 the fit's log-likelihood is the chain's plus Σ ln N(x; mean, variance) of the raw log gaps, with 2
// more BIC parameters per timing group; and on sessions whose event chains are identical, dwell times per state
// recover a planted split that neither event order nor one gap distribution per cluster can see.
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/clusters/adjusted-rand.js';
import { sessionLogGaps, type SessionGaps } from '../../src/clusters/gap-emission.js';
import { fitMarkovMixture } from '../../src/clusters/markov-mixture.js';
import { EventsBuilder } from '../../src/events/table.js';
import { prepareSessions } from '../../src/kernels/prepare.js';
import { sessionTransitions } from '../../src/kernels/session-transitions.js';
import { createRng } from '../../src/stats/rng.js';
import { plantedRow } from './planted.js';

/** A table of sessions given as (event, ts) lists; rows appended in reverse so the session ordering is exercised. */
function table(sessions: Record<string, [string, number][]>) {
  const rows = Object.entries(sessions).flatMap(([id, evs]) => evs.map(([eventName, ts]) => ({
    sessionId: id, experimentId: null, ts, eventName, page: null, productId: null, storeMode: 'hotel', price: null, dwellMs: null,
    userAgent: null, metadata: null, isAgent: null, srcTopic: null, srcPartition: null, srcOffset: null, srcTs: null,
  }))).reverse();
  const b = new EventsBuilder(16);
  for (const r of rows) b.append(r);
  return b.flush();
}

const T0 = 1_700_000_000_000;
const events = {
  a: [['page_view', T0], ['view_item_page', T0 + 2000], ['page_view', T0 + 2500], ['page_view', T0 + 2500], ['add_item_to_cart', T0 + 12_500]],
  b: [['page_view', T0 + 10]],
  c: [['page_view', T0], ['search', NaN], ['page_view', T0 + 30_000], ['view_item_page', T0 + 31_000]],
} as Record<string, [string, number][]>;
const ln = (ms: number) => Math.log(Math.max(ms, 1) / 1000);

describe('log-gap statistics of sessions', () => {
  const t = table(events);
  const p = prepareSessions(t, new Int8Array(t.length).fill(-1), { state: 'event', boundary: true });
  const state = (name: string) => p.states.vocabulary.indexOf(name);
  const entries = (g: SessionGaps, s: number) => Array.from({ length: g.offsets[s + 1]! - g.offsets[s]! }, (_, j) => {
    const e = g.offsets[s]! + j;
    return { group: g.group[e]!, n: g.n[e]!, sum: g.sum[e]!, sumSq: g.sumSq[e]! };
  }).sort((x, y) => x.group - y.group);
  const stats = (group: number, gapsMs: number[]) => ({ group, n: gapsMs.length, sum: gapsMs.reduce((a, d) => a + ln(d), 0), sumSq: gapsMs.reduce((a, d) => a + ln(d) ** 2, 0) });

  it('gap: one group per session; equal timestamps count as 1 ms; a missing timestamp sorts last and its gap is skipped', () => {
    const g = sessionLogGaps(t, p.index, p.states.stateOf, p.states.vocabulary.length, 'gap');
    expect(p.index.ids).toEqual(['a', 'b', 'c']);
    expect(g.groups).toBe(1);
    for (const [s, want] of [[0, [stats(0, [2000, 500, 0, 10_000])]], [1, []], [2, [stats(0, [30_000, 1000])]]] as const) {
      const got = entries(g, s);
      expect(got.map((e) => [e.group, e.n])).toEqual(want.map((e) => [e.group, e.n]));
      got.forEach((e, j) => {
        expect(e.sum).toBeCloseTo(want[j]!.sum, 12);
        expect(e.sumSq).toBeCloseTo(want[j]!.sumSq, 12);
      });
    }
  });

  it('dwell: each gap belongs to the state it leaves', () => {
    const g = sessionLogGaps(t, p.index, p.states.stateOf, p.states.vocabulary.length, 'dwell');
    expect(g.groups).toBe(p.states.vocabulary.length);
    const want = [stats(state('page_view'), [2000, 0, 10_000]), stats(state('view_item_page'), [500])].sort((x, y) => x.group - y.group);
    const got = entries(g, 0);
    expect(got.map((e) => [e.group, e.n])).toEqual(want.map((e) => [e.group, e.n]));
    got.forEach((e, j) => expect(e.sum).toBeCloseTo(want[j]!.sum, 12));
    // session c: the event without a timestamp sorts last (docs/contract.md §3.1), so only the gap into it is skipped
    expect(entries(g, 2).map((e) => [e.group, e.n])).toEqual([[state('page_view'), 2]]);
  });
});

/** Sessions of one 8-state chain; class 1 dwells 0.25·a in ln-seconds on state a, class 0 the mirror 0.25·(7 − a). */
function mirroredDwell(perClass: number, seed: number) {
  const states = 8, rng = createRng(seed), seq: number[] = [], offsets = [0], truth: number[] = [], raw: number[][][] = [];
  for (let s = 0; s < 2 * perClass; s++) {
    const cls = s % 2, gaps: number[][] = [];
    let a = states, n = 0;
    for (;;) {
      const row = plantedRow(0, a, states, 0.4, n === 0 ? 0 : 0.1);
      let u = rng.next(), x = 0;
      while (x < states && (u -= row[x]!) >= 0) x++;
      if (x === states) break;
      if (n > 0) gaps.push([a, 0.25 * (cls === 1 ? a : 7 - a) + 0.3 * rng.normal()]);
      seq.push(x);
      n++;
      a = x;
    }
    offsets.push(seq.length);
    truth.push(cls);
    raw.push(gaps);
  }
  const vocabulary = [...Array.from({ length: states }, (_, k) => `e${k}`), '<start>', '<end>'];
  const index = {
    order: Uint32Array.from(seq, (_, i) => i), starts: Int32Array.from(offsets), ids: truth.map((_, s) => `s${s}`),
    sessionCodes: Int32Array.from(truth, (_, s) => s), nSessions: truth.length, rowsWithoutSession: 0,
  };
  const t = sessionTransitions(index, { vocabulary, stateOf: Int32Array.from(seq), start: states, end: states + 1 });
  /** the raw gaps as SessionGaps, by source state (`dwell`) or all in one group (`gap`) */
  const gaps = (mode: 'dwell' | 'gap'): SessionGaps => {
    const off = [0], group: number[] = [], n: number[] = [], sum: number[] = [], sumSq: number[] = [];
    for (const list of raw) {
      for (const [a, x] of list) {
        group.push(mode === 'gap' ? 0 : a!);
        n.push(1);
        sum.push(x!);
        sumSq.push(x! * x!);
      }
      off.push(group.length);
    }
    return { mode, groups: mode === 'gap' ? 1 : vocabulary.length, offsets: Int32Array.from(off), group: Int32Array.from(group), n: Float64Array.from(n), sum: Float64Array.from(sum), sumSq: Float64Array.from(sumSq) };
  };
  return { t, truth: Int32Array.from(truth), raw, gaps };
}

describe('mixture with timing', () => {
  it('k = 1: LL = the chain alone + Σ ln N(x; pooled mean, pooled variance) over the raw gaps; BIC counts 2 per timing group', () => {
    const { t, raw, gaps } = mirroredDwell(300, 4);
    const chain = fitMarkovMixture(t, [1], createRng(1), { start: 8 });
    for (const mode of ['gap', 'dwell'] as const) {
      const fit = fitMarkovMixture(t, [1], createRng(1), { start: 8, gaps: gaps(mode) });
      const byGroup = new Map<number, number[]>();
      for (const list of raw) for (const [a, x] of list) byGroup.set(mode === 'gap' ? 0 : a!, [...(byGroup.get(mode === 'gap' ? 0 : a!) ?? []), x!]);
      let gapLL = 0;
      for (const [h, xs] of byGroup) {
        const mean = xs.reduce((p, x) => p + x, 0) / xs.length, variance = xs.reduce((p, x) => p + (x - mean) ** 2, 0) / xs.length;
        expect(fit.model.gapMean[h]).toBeCloseTo(mean, 10);
        expect(fit.model.gapVariance[h]).toBeCloseTo(variance, 10);
        for (const x of xs) gapLL += -0.5 * Math.log(2 * Math.PI * variance) - (x - mean) ** 2 / (2 * variance);
      }
      expect(fit.model.timing).toBe(mode);
      expect(fit.model.logLikelihood).toBeCloseTo(chain.model.logLikelihood + gapLL, 6);
      expect(fit.model.parameters - chain.model.parameters).toBe(2 * byGroup.size);
      expect(byGroup.size).toBe(mode === 'gap' ? 1 : 8);
    }
  });

  it('identical chains, mirrored dwell times: dwell recovers the classes (within 0.02 of the true parameters\' ARI); event order and one gap law per cluster cannot (ARI < 0.1)', () => {
    const { t, truth, raw, gaps } = mirroredDwell(1500, 7);
    // the Bayes classifier with the true dwell laws (equal priors; the chains are identical): short sessions stay ambiguous
    const bayes = Int32Array.from(raw, (list) => (list.reduce((d, [a, x]) => d + ((x! - 0.25 * (7 - a!)) ** 2 - (x! - 0.25 * a!) ** 2), 0) > 0 ? 1 : 0));
    const limit = adjustedRandIndex(bayes, truth);
    expect(limit).toBeGreaterThan(0.7);
    const order = fitMarkovMixture(t, [2], createRng(42), { start: 8 });
    const dwell = fitMarkovMixture(t, [2, 3, 4], createRng(42), { start: 8, gaps: gaps('dwell') });
    expect(dwell.model.k).toBe(2); // by BIC
    expect(dwell.model.parameters).toBe(order.model.parameters + 2 * 2 * 8);
    expect(adjustedRandIndex(dwell.cluster, truth)).toBeGreaterThanOrEqual(limit - 0.02);
    expect(adjustedRandIndex(order.cluster, truth)).toBeLessThan(0.1);
    expect(adjustedRandIndex(fitMarkovMixture(t, [2], createRng(42), { start: 8, gaps: gaps('gap') }).cluster, truth)).toBeLessThan(0.1);
  });

  it('sessions without any usable gap fall back to event order alone', () => {
    const { t } = mirroredDwell(100, 1);
    const none: SessionGaps = { mode: 'dwell', groups: 10, offsets: new Int32Array(t.events.length + 1), group: new Int32Array(0), n: new Float64Array(0), sum: new Float64Array(0), sumSq: new Float64Array(0) };
    const a = fitMarkovMixture(t, [2], createRng(3), { start: 8, gaps: none }), b = fitMarkovMixture(t, [2], createRng(3), { start: 8 });
    expect(a.model.timing).toBe('none');
    expect(a.posterior).toEqual(b.posterior);
    expect(a.model.parameters).toBe(b.model.parameters);
  });
});
