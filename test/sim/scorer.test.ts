// The simulator's per-session scorer equals phantom's gap score (docs/method.md) and the market's curves
// are what they claim to be.
import { describe, expect, it } from 'vitest';
import { gapScores } from '../../src/kernels/gap-scores.js';
import { smoothingFor } from '../../src/kernels/kernel.js';
import type { SessionTransitions } from '../../src/kernels/session-transitions.js';
import { compileBehaviour } from '../../src/sim/behaviour.js';
import { resolveMarketParams, sigmoid } from '../../src/sim/params.js';
import { bestHumanMultiplier, gaussHermite, humanBuyProbability, tabulate } from '../../src/sim/response-curves.js';
import { kernelGapScorer, logLikelihoodRatios, profileRows, type KernelRows } from '../../src/sim/session-scorer.js';
import { createRng } from '../../src/stats/rng.js';
import { profiles } from './setup-fixture.js';

/** Sparse per-session transitions in the layout of src/kernels (pairs sorted by source, destination). */
function toTransitions(trajectories: Int32Array[], size: number): SessionTransitions {
  const src: number[] = [], dst: number[] = [], count: number[] = [], offsets = [0], events: number[] = [];
  for (const t of trajectories) {
    const pairs = new Map<number, number>();
    for (let k = 1; k < t.length; k++) pairs.set(t[k - 1]! * size + t[k]!, (pairs.get(t[k - 1]! * size + t[k]!) ?? 0) + 1);
    for (const key of [...pairs.keys()].sort((a, b) => a - b)) { src.push(Math.floor(key / size)); dst.push(key % size); count.push(pairs.get(key)!); }
    offsets.push(src.length);
    events.push(t.length - 2);
  }
  return { size, pairOffsets: Int32Array.from(offsets), src: Int32Array.from(src), dst: Int32Array.from(dst), count: Float64Array.from(count), events: Int32Array.from(events) };
}

/** Random walks on a class kernel, boundary states included. */
function walks(b: ReturnType<typeof compileBehaviour>, cls: 'human' | 'agent', count: number, seed: number): Int32Array[] {
  const rng = createRng(seed), w = b[cls], out: Int32Array[] = [];
  for (let s = 0; s < count; s++) {
    const t = [b.start];
    let state = b.start;
    for (let e = 0; e < 60; e++) {
      const u = rng.next(), cum = w.cumulative[state]!;
      let j = 0;
      while (j < cum.length - 1 && u >= cum[j]!) j++;
      state = w.next[state]![j]!;
      if (state === b.end) break;
      t.push(state);
    }
    t.push(b.end);
    out.push(Int32Array.from(t));
  }
  return out;
}

describe('kernel gap scorer', () => {
  const b = compileBehaviour(profiles);
  const v = b.states.length;
  // class kernels as counts over the behaviour vocabulary, as a kernels.json would hold them
  const counts = (rows: KernelRows) => {
    const m = new Float64Array(v * v);
    for (const [s, row] of Object.entries(rows)) for (const [d, p] of Object.entries(row)) m[b.states.indexOf(s) * v + b.states.indexOf(d)] = Math.round(p * 300);
    return m;
  };
  const human = counts(profileRows(profiles.human)), agent = counts(profileRows(profiles.agent));
  const asRows = (m: Float64Array): KernelRows => Object.fromEntries(b.states.map((s, a) => [s, Object.fromEntries(b.states.map((d, j) => [d, m[a * v + j]!]).filter(([, x]) => (x as number) > 0))]));

  it('equals src/kernels gapScores (visit-weighted, centroids without the session) to 1e-12', () => {
    const trajectories = [...walks(b, 'human', 40, 1), ...walks(b, 'agent', 40, 2)];
    const t = toTransitions(trajectories, v);
    const reference = gapScores(t, t.count, [{ size: v, values: human }, { size: v, values: agent }], new Int8Array(trajectories.length).fill(-1), {
      smoothing: smoothingFor(0.5, b.states), weighting: 'visits', inSample: true, temperature: 1.7,
    });
    const scorer = kernelGapScorer(b.states, asRows(human), asRows(agent), { counts: true, smoothing: 0.5, temperature: 1.7 });
    trajectories.forEach((traj, s) => {
      const f = scorer.score(traj, traj.length);
      if (reference.status[s] === 0) expect(f).toBeCloseTo(reference.probability[s]!, 12);
      else expect(f).toBe(0.5);
    });
  });

  it('is positive (agent-like) on agent walks more often than on human walks', () => {
    const scorer = kernelGapScorer(b.states, profileRows(profiles.human), profileRows(profiles.agent));
    const mean = (ts: Int32Array[]) => ts.reduce((a, t) => a + scorer.score(t, t.length), 0) / ts.length;
    const agents = mean(walks(b, 'agent', 300, 3)), humans = mean(walks(b, 'human', 300, 4));
    expect(agents).toBeGreaterThan(0.5);
    expect(humans).toBeLessThan(0.5);
  });

  it('gives every possible transition a finite log-likelihood ratio', () => {
    const llr = logLikelihoodRatios(b.states, profileRows(profiles.human), profileRows(profiles.agent), { smoothing: 0.5, pseudoCount: 200 });
    for (const x of llr) expect(Number.isFinite(x)).toBe(true);
  });
});

describe('response curves', () => {
  it('Gauss–Hermite integrates normal moments', () => {
    const { z, w } = gaussHermite(32);
    const e = (g: (x: number) => number) => z.reduce((a, x, k) => a + w[k]! * g(x), 0);
    expect(e(() => 1)).toBeCloseTo(1, 13);
    expect(e((x) => x)).toBeCloseTo(0, 13);
    expect(e((x) => x * x)).toBeCloseTo(1, 12);
    expect(e((x) => x ** 4)).toBeCloseTo(3, 11);
    expect(e((x) => Math.exp(0.3 * x))).toBeCloseTo(Math.exp(0.045), 12);
  });

  it('the human purchase probability matches Monte Carlo and the best multiplier a grid search', () => {
    const p = resolveMarketParams();
    const rng = createRng(5);
    let mc = 0;
    const draws = 200_000;
    for (let i = 0; i < draws; i++) mc += sigmoid(p.purchaseKappa * (p.human.wtpMedian * Math.exp(0.1 + p.human.wtpSigma * rng.normal()) - 0.95));
    expect(humanBuyProbability(p, 0.95, 0.1)).toBeCloseTo(mc / draws, 2);
    for (const s of [-0.4, 0, 0.3]) {
      let best = 0.7, value = -Infinity;
      for (let m = 0.7; m <= 1.5 + 1e-9; m += 0.0005) { const r = m * humanBuyProbability(p, m, s); if (r > value) { value = r; best = m; } }
      expect(bestHumanMultiplier(p, s, 0.7, 1.5)).toBeCloseTo(best, 3);
    }
  });
});

describe('tabulated curves', () => {
  it('interpolate a smooth curve to 1e-5 and clamp outside the range', () => {
    const p = resolveMarketParams();
    const exact = (m: number) => humanBuyProbability(p, m, 0);
    const table = tabulate(exact, 0.7, 1.5);
    for (let m = 0.7; m <= 1.5; m += 0.0137) expect(Math.abs(table(m) - exact(m))).toBeLessThan(1e-5);
    expect(table(0.1)).toBeCloseTo(exact(0.7), 12);
    expect(table(9)).toBeCloseTo(exact(1.5), 12);
  });
});
