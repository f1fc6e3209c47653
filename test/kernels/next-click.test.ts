// Next-click evaluation: deterministic paths are predicted perfectly by a chain and not by popularity; a
// second-order chain is predicted better at order 2 than at order 1; numbers are reproducible from the seed.
import { describe, expect, it } from 'vitest';
import { evaluateNextClick } from '../../src/kernels/next-click.js';
import { prepareSessions } from '../../src/kernels/prepare.js';
import { createRng } from '../../src/stats/rng.js';
import { randomChain, sampleSessions } from './chains.js';
import { tableFromSessions, type PlainSession } from './support.js';

describe('next-click prediction', () => {
  it('two deterministic paths: every order hits within the top 2, popularity does not', () => {
    const paths = [['search', 'page_view', 'view_item_page'], ['view_item_page', 'add_item_to_cart', 'checkout_start']];
    const sessions: PlainSession[] = Array.from({ length: 200 }, (_, i) => ({ id: `s${String(i).padStart(3, '0')}`, label: 'human', events: paths[i % 2]! }));
    const table = tableFromSessions(sessions);
    const r = evaluateNextClick(prepareSessions(table, table.isAgent, { state: 'event', boundary: true }), { rng: createRng(3), top: 2 }).human!;
    const [pop, ...orders] = r.scores;
    // after <start> either path may follow (both in the top 2); after that the next event is certain
    for (const o of orders) expect(o.hitRate).toBe(1);
    expect(pop!.hitRate).toBeLessThan(0.75);
    expect(r.transitions).toBe(r.sessions.test * 3);
    expect(evaluateNextClick(prepareSessions(table, table.isAgent, { state: 'event', boundary: true }), { rng: createRng(3), top: 2 }).human).toEqual(r);
  });

  it('a second-order chain: order 2 beats order 1, which beats popularity (MRR@5)', () => {
    const rng = createRng(11);
    const table = tableFromSessions(sampleSessions(randomChain(5, 2, 0.08), 1500, rng, { label: 'agent', prefix: 'a', order: 2 }), { shuffle: false });
    const r = evaluateNextClick(prepareSessions(table, table.isAgent, { state: 'event', boundary: true }), { rng: createRng(1) }).agent!;
    const mrr = Object.fromEntries(r.scores.map((s) => [s.model, s.mrr]));
    expect(mrr['order 2']!).toBeGreaterThan(mrr['order 1']!);
    expect(mrr['order 1']!).toBeGreaterThan(mrr.popularity!);
    for (const s of r.scores) {
      expect(s.hitRate).toBeGreaterThanOrEqual(s.mrr); // 1/rank ≤ 1
      expect(s.hitRate).toBeLessThanOrEqual(1);
    }
  });

  it('needs <start>/<end> padding, so that every order is judged on the same clicks', () => {
    const table = tableFromSessions([{ id: 's1', label: 'human', events: ['page_view', 'search'] }]);
    expect(() => evaluateNextClick(prepareSessions(table, table.isAgent, { state: 'event', boundary: false }), { rng: createRng(1) })).toThrow(/drop --no-boundary/);
  });
});
