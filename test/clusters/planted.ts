// Sessions from planted first-order chains, built straight into SessionTransitions (no events table), for
// the mixture tests and bench/clusters.mjs' twin in TypeScript.
import { sessionTransitions, type SessionTransitions } from '../../src/kernels/session-transitions.js';
import type { Rng } from '../../src/stats/rng.js';

/**
 * Chain c over `states` events: from state a (or <start>, a = states) the next event is (a + c + 1) mod states
 * with probability `focus`, else uniform over the other events and <end> (the stop share `stop`).
 */
export function plantedRow(c: number, a: number, states: number, focus: number, stop: number): number[] {
  const row = new Array<number>(states + 1).fill((1 - focus - stop) / (states - 1));
  row[(a + c + 1) % states] = focus;
  row[states] = stop;
  return row;
}

/** Sample sessions (≥ 1 event) of the given chains; returns the transitions and each session's chain. */
export function plantedSessions(chains: number, perChain: number, states: number, rng: Rng, focus = 0.6, stop = 0.1): { t: SessionTransitions; truth: Int32Array } {
  const seq: number[] = [], offsets = [0], truth: number[] = [];
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < perChain; i++) {
      let a = states, n = 0;
      for (;;) {
        const row = plantedRow(c, a, states, focus, n === 0 ? 0 : stop);
        let u = rng.next() * row.reduce((x, y) => x + y, 0), x = 0;
        while (x < states && (u -= row[x]!) >= 0) x++;
        if (x === states) break;
        seq.push(x);
        n++;
        a = x;
      }
      offsets.push(seq.length);
      truth.push(c);
    }
  }
  const vocabulary = [...Array.from({ length: states }, (_, k) => `e${k}`), '<start>', '<end>'];
  const nSessions = truth.length;
  const index = {
    order: Uint32Array.from(seq, (_, i) => i), starts: Int32Array.from(offsets), ids: truth.map((_, s) => `s${s}`),
    sessionCodes: Int32Array.from(truth, (_, s) => s), nSessions, rowsWithoutSession: 0,
  };
  const t = sessionTransitions(index, { vocabulary, stateOf: Int32Array.from(seq), start: states, end: states + 1 });
  return { t, truth: Int32Array.from(truth) };
}
