// The E-step on two threads (em-threads.ts): the patterns are cut into two fixed chunks whose sums are added in
// chunk order, so a 2-thread fit differs from the 1-thread fit only in the order of floating-point sums — the
// same clusters for every session and the same log-likelihood within 1e-9 — with and without timing, over a
// BIC selection of several k; and the helper thread really computed chunks (else the comparison proves nothing).
import { describe, expect, it } from 'vitest';
import type { SessionGaps } from '../../src/clusters/gap-emission.js';
import { fitMarkovMixture, type MixtureFit } from '../../src/clusters/markov-mixture.js';
import type { SessionTransitions } from '../../src/kernels/session-transitions.js';
import { createRng } from '../../src/stats/rng.js';
import { plantedSessions } from './planted.js';

/** Dwell statistics per source state: each move a → b (not from <start>, not into <end>) a log gap ~ N(0.3·chain + 0.1·a, 1). */
function dwellGaps(t: SessionTransitions, truth: Int32Array, states: number, seed: number): SessionGaps {
  const rng = createRng(seed), offsets = [0], group: number[] = [], n: number[] = [], sum: number[] = [], sumSq: number[] = [];
  for (let s = 0; s < truth.length; s++) {
    const at = new Map<number, number>();
    for (let j = t.pairOffsets[s]!; j < t.pairOffsets[s + 1]!; j++) {
      const a = t.src[j]!;
      if (a >= states || t.dst[j]! >= states) continue;
      let e = at.get(a);
      if (e === undefined) {
        at.set(a, (e = group.length));
        group.push(a), n.push(0), sum.push(0), sumSq.push(0);
      }
      for (let i = 0; i < t.count[j]!; i++) {
        const x = 0.3 * truth[s]! + 0.1 * a + rng.normal();
        n[e]!++, (sum[e]! += x), (sumSq[e]! += x * x);
      }
    }
    offsets.push(group.length);
  }
  return { mode: 'dwell', groups: states + 2, offsets: Int32Array.from(offsets), group: Int32Array.from(group), n: Float64Array.from(n), sum: Float64Array.from(sum), sumSq: Float64Array.from(sumSq) };
}

describe('mixture E-step on two threads', () => {
  const states = 8, { t, truth } = plantedSessions(3, 5000, states, createRng(21), 0.5, 0.15);
  const gaps = dwellGaps(t, truth, states, 22);

  const expectSame = (one: MixtureFit, two: MixtureFit): void => {
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.model.k).toBe(one.model.k);
    expect(Array.from(two.selection, (s) => s.k)).toEqual(Array.from(one.selection, (s) => s.k));
    two.selection.forEach((s, i) => expect(Math.abs(s.logLikelihood - one.selection[i]!.logLikelihood)).toBeLessThanOrEqual(1e-9 * Math.abs(one.selection[i]!.logLikelihood)));
    expect(two.model.iterations).toBe(one.model.iterations);
    expect(two.cluster).toEqual(one.cluster);
  };

  it.each([['dwell timing', gaps], ['event order alone', null]] as const)('%s: 1 and 2 threads give the same clusters (k by BIC over 2…4) and LL within 1e-9', (_name, g) => {
    const opts = { start: states, gaps: g, threadMinSessions: 0 };
    const one = fitMarkovMixture(t, [2, 3, 4], createRng(5), { ...opts, threads: 1 });
    // a helper that starts after the fit's last E-step computes nothing: on a loaded machine try again
    let two = fitMarkovMixture(t, [2, 3, 4], createRng(5), { ...opts, threads: 2 });
    for (let attempt = 0; attempt < 3 && two.helperChunks === 0; attempt++) two = fitMarkovMixture(t, [2, 3, 4], createRng(5), { ...opts, threads: 2 });
    expect(two.helperChunks).toBeGreaterThan(0);
    expectSame(one, two);
    expect(one.model.k).toBe(3);
  });

  it('small inputs stay on one thread by default; threads: 1 never starts a helper', () => {
    const small = fitMarkovMixture(t, [3], createRng(5), { start: states, gaps });
    expect(t.events.length).toBeLessThan(50_000);
    expect([small.threads, small.helperChunks]).toEqual([1, 0]);
    const forced = fitMarkovMixture(t, [3], createRng(5), { start: states, gaps, threads: 1, threadMinSessions: 0 });
    expect([forced.threads, forced.helperChunks]).toEqual([1, 0]);
    expect(forced.posterior).toEqual(small.posterior);
  });
});
