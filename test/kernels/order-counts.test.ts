// Order-k maximum-likelihood counts equal brute-force counts over padded tuples (property test), and order 1
// through the order-k path equals the first-order counts.
import { describe, expect, it } from 'vitest';
import { indexSessions } from '../../src/events/session-index.js';
import { orderTransitions, historyLabels } from '../../src/kernels/order-transitions.js';
import { sessionTransitions } from '../../src/kernels/session-transitions.js';
import { encodeStates, START, END } from '../../src/kernels/states.js';
import { createRng } from '../../src/stats/rng.js';
import { tableFromSessions, type PlainSession } from './support.js';

const EVENTS = ['page_view', 'view_item_page', 'add_item_to_cart', 'checkout_start', 'purchase_complete'];

function randomSessions(seed: number, n: number): PlainSession[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: `s${String(i).padStart(4, '0')}`, label: rng.next() < 0.5 ? 'human' : 'agent',
    events: Array.from({ length: rng.int(8) }, () => EVENTS[rng.int(rng.next() < 0.7 ? 2 : EVENTS.length)]!),
  }));
}

/** Count (history tuple → next) by string keys, straight from the definition. */
function bruteForce(sessions: PlainSession[], order: number, boundary: boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of [...sessions].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (s.events.length === 0) continue;
    const seq = boundary ? [...Array(order).fill(START), ...s.events, END] : s.events;
    for (let i = order; i < seq.length; i++) {
      const key = `${seq.slice(i - order, i).join(' → ')} ⇒ ${seq[i]}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}

describe('order-k transition counts', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    for (const order of [1, 2, 3]) {
      for (const boundary of [true, false]) {
        it(`equal brute-force counts (seed ${seed}, order ${order}, boundary ${boundary})`, () => {
          const sessions = randomSessions(seed, 60);
          const table = tableFromSessions(sessions);
          const states = encodeStates(table, 'event', boundary);
          const t = orderTransitions(indexSessions(table), states, order);
          const labels = historyLabels(t, states.vocabulary);
          const got = new Map<string, number>();
          for (let j = 0; j < t.src.length; j++) {
            const key = `${labels[t.src[j]!]} ⇒ ${states.vocabulary[t.dst[j]!]}`;
            got.set(key, (got.get(key) ?? 0) + t.count[j]!);
          }
          expect(got).toEqual(bruteForce(sessions, order, boundary));
          // histories are distinct and sorted, and every one is used
          expect(new Set(labels).size).toBe(t.historyCount);
          expect(new Set(t.src).size).toBe(t.historyCount);
        });
      }
    }
  }

  it('at order 1 give the first-order pairs of sessionTransitions', () => {
    const table = tableFromSessions(randomSessions(9, 80));
    const states = encodeStates(table, 'event', true), index = indexSessions(table);
    const a = orderTransitions(index, states, 1), b = sessionTransitions(index, states);
    const histState = Array.from({ length: a.historyCount }, (_, h) => a.histories[h]!);
    expect(Array.from(a.src, (h) => histState[h])).toEqual(Array.from(b.src));
    expect(a.dst).toEqual(b.dst);
    expect(a.count).toEqual(b.count);
    expect(a.pairOffsets).toEqual(b.pairOffsets);
    expect(a.events).toEqual(b.events);
  });

  it('refuses orders outside 1–3 with a usage error', () => {
    const table = tableFromSessions(randomSessions(1, 5));
    expect(() => orderTransitions(indexSessions(table), encodeStates(table, 'event', true), 4)).toThrow(/--order must be an integer from 1 to 3/);
  });
});
