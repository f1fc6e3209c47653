// bench: order-2 vs order-1 kernels on 10M events (issue 20 target: order 2 within 2× of order 1). Both runs
// do the same work from an indexed, state-encoded event stream: per-session transitions, both class fits and
// the divergences between them. Events come from a seeded 17-state chain, half the sessions labelled agent.
// Usage: node bench/kernels-order.mjs [events=10000000]
import { compareClasses, createRng, fitClasses, orderTransitions, sessionTransitions } from '../dist/index.js';
import { printTable } from './measure.mjs';

const events = Number(process.argv[2] ?? 10_000_000), states = 17;
const rng = createRng(7);
const stateOf = new Int32Array(events), offsets = [0];
let a = 0;
for (let i = 0; i < events; i++) {
  if (i > offsets[offsets.length - 1] && rng.next() < 0.1) offsets.push(i);
  a = rng.next() < 0.6 ? (a * 3 + 1) % states : rng.int(states);
  stateOf[i] = a;
}
offsets.push(events);
const sessions = offsets.length - 1;
const vocabulary = ['<end>', '<start>', ...Array.from({ length: states }, (_, i) => `e${String(i).padStart(2, '0')}`)];
for (let i = 0; i < events; i++) stateOf[i] += 2;
const index = { order: Uint32Array.from({ length: events }, (_, i) => i), starts: Int32Array.from(offsets), ids: Array.from({ length: sessions }, (_, s) => `s${s}`), nSessions: sessions };
const encoding = { vocabulary, stateOf, start: 1, end: 0 };
const labels = Int8Array.from({ length: sessions }, (_, s) => s % 2);
const params = { state: 'event', boundary: true, pooling: 'pooled', smoothing: 0.5, weighting: 'visits' };

function run(order) {
  const t0 = performance.now();
  const transitions = order === 1 ? sessionTransitions(index, encoding) : orderTransitions(index, encoding, order);
  const prepared = { index, labels, conflictingLabels: 0, states: encoding, transitions };
  const { model } = fitClasses(prepared, 'pooled');
  const d = compareClasses({ params, vocabulary, classes: model });
  return { seconds: (performance.now() - t0) / 1000, js: d.js, rows: transitions.historyCount ?? vocabulary.length };
}
const rows = [];
const results = {};
for (const order of [1, 2, 1, 2, 3]) {
  const r = run(order);
  results[order] = Math.min(results[order] ?? Infinity, r.seconds);
  rows.push({ run: `order ${order}`, seconds: r.seconds.toFixed(2), note: `${r.rows} source rows, JS = ${r.js.toFixed(4)}` });
}
printTable(`kernels by order: ${events.toLocaleString('en-US')} events, ${sessions.toLocaleString('en-US')} sessions, ${states} states`, rows);
const ratio = results[2] / results[1];
console.log(`order 2 / order 1 (best of 2 runs each): ${ratio.toFixed(2)}× (target ≤ 2×); order 3 / order 1: ${(results[3] / results[1]).toFixed(2)}×`);
console.log(JSON.stringify({ bench: 'kernels-order', events, sessions, seconds: results, ratio, pass: ratio <= 2 }));
