// Gap scores at order 2: leave-one-out by subtracting a session's own history × next counts equals a refit of
// its class without it, and order-2 scores separate sessions drawn from two second-order chains.
import { describe, expect, it } from 'vitest';
import { addSessions, subtractCounts, zeroCounts } from '../../src/kernels/count-matrix.js';
import { fitClasses } from '../../src/kernels/fit-kernels.js';
import { gapScores } from '../../src/kernels/gap-scores.js';
import { fitClass, smoothingFor } from '../../src/kernels/kernel.js';
import type { OrderTransitions } from '../../src/kernels/order-transitions.js';
import { membersOf, prepareSessions } from '../../src/kernels/prepare.js';
import { separability } from '../../src/kernels/separability.js';
import { createRng } from '../../src/stats/rng.js';
import { randomChain, sampleSessions } from './chains.js';
import { close, tableFromSessions } from './support.js';

const rng = createRng(31);
const table = tableFromSessions([
  ...sampleSessions(randomChain(1, 2), 300, rng, { label: 'human', prefix: 'h', order: 2 }),
  ...sampleSessions(randomChain(2, 2), 300, rng, { label: 'agent', prefix: 'a', order: 2 }),
], { shuffle: false });

describe('order-2 gap scores', () => {
  it('leave-one-out by count subtraction equals a refit without the session', () => {
    const prepared = prepareSessions(table, table.isAgent, { state: 'event', boundary: true, order: 2 });
    const t = prepared.transitions as OrderTransitions, ids = prepared.index.ids;
    const { model, mass } = fitClasses(prepared, 'pooled');
    const sm = smoothingFor(0.5, prepared.states.vocabulary);
    const opts = { smoothing: sm, weighting: 'visits' as const, inSample: false, temperature: 1 };
    const loo = gapScores(t, mass, [model.human.mass, model.agent.mass], prepared.labels, opts);
    let compared = 0;
    for (let s = 0; s < ids.length; s += 23) {
      const label = prepared.labels[s]!;
      if (t.events[s]! < 2) continue;
      const others = membersOf(prepared.labels, label as 0 | 1).filter((x) => x !== s);
      const refit = fitClass(t, mass, others, ids, t.historyCount);
      const centroids: [typeof refit.mass, typeof refit.mass] = label === 0 ? [refit.mass, model.agent.mass] : [model.human.mass, refit.mass];
      const fresh = gapScores(t, mass, centroids, new Int8Array(ids.length).fill(-1), opts);
      expect(close(loo.gap[s]!, fresh.gap[s]!, 1e-12)).toBe(true);
      const own = label === 0 ? model.human : model.agent;
      const minus = subtractCounts(own.mass, addSessions(zeroCounts(t.size, t.historyCount), t, mass, [s]));
      minus.values.forEach((x, i) => expect(x).toBe(refit.mass.values[i]));
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('separates two second-order chains (AUC far from 0.5) and differs from order 1', () => {
    const r2 = separability(table, table.isAgent, { order: 2 });
    const r1 = separability(table, table.isAgent);
    expect(Math.abs(r2.test.effect.auc - 0.5)).toBeGreaterThan(0.3);
    expect(r2.sessions.scores.gap).not.toEqual(r1.sessions.scores.gap);
  });
});
