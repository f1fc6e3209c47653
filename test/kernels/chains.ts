// Sessions drawn from known Markov chains (order 1 or 2) for the clickstream tests.
import { createRng, type Rng } from '../../src/stats/rng.js';
import type { PlainSession } from './support.js';

export const CHAIN_EVENTS = ['page_view', 'view_item_page', 'add_item_to_cart', 'checkout_start', 'search'];

/** A random distribution over `n` outcomes, skewed (u^skew weights) so that rows differ clearly. */
function skewed(rng: Rng, n: number, skew: number): number[] {
  const w = Array.from({ length: n }, () => rng.next() ** skew + 1e-3);
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}

function draw(rng: Rng, p: readonly number[]): number {
  let u = rng.next();
  for (let i = 0; i < p.length - 1; i++) if ((u -= p[i]!) < 0) return i;
  return p.length - 1;
}

/**
 * A random order-k chain over CHAIN_EVENTS (+ <end> as the last outcome, probability `stop`), histories
 * keyed by the last k event indices with −1 for <start>.
 */
export function randomChain(seed: number, order: number, stop = 0.12, skew = 3): (history: number[]) => number[] {
  const rng = createRng(seed), rows = new Map<string, number[]>();
  return (history) => {
    const key = history.slice(-order).join(',');
    let row = rows.get(key);
    if (!row) {
      row = [...skewed(rng, CHAIN_EVENTS.length, skew).map((p) => p * (1 - stop)), stop];
      rows.set(key, row);
    }
    return row;
  };
}

/** Sample `n` sessions (at least one event, at most `maxLength`) from a chain. */
export function sampleSessions(chain: (history: number[]) => number[], n: number, rng: Rng, opts: { label: PlainSession['label']; prefix: string; order: number; maxLength?: number }): PlainSession[] {
  return Array.from({ length: n }, (_, i) => {
    const hist: number[] = Array(opts.order).fill(-1);
    const events: string[] = [];
    for (;;) {
      const row = chain(hist);
      let x = draw(rng, row);
      if (events.length === 0 && x === CHAIN_EVENTS.length) x = draw(rng, row.slice(0, -1).map((p) => p / (1 - row[row.length - 1]!)));
      if (x === CHAIN_EVENTS.length || events.length >= (opts.maxLength ?? 40)) break;
      events.push(CHAIN_EVENTS[x]!);
      hist.push(x);
    }
    return { id: `${opts.prefix}${String(i).padStart(6, '0')}`, label: opts.label, events };
  });
}
