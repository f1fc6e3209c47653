// bench: bytes allocated per `POST /v1/price` on a session that changed since its last price (issue 21
// goal: < 10 KB). In-process, on the real parts (`createParts`, LinUCB policy, a classifier and kernels
// trained on the fixtures, as bench/serve.mjs serves them): each iteration appends one event to a
// session, then prices it through the endpoint's handler (`postPrice`: validation, session load, scoring,
// LinUCB choice, decision log). Allocation is measured as the growth of the V8 heap (heapUsed +
// arrayBuffers) across a batch, with the young generation made large enough (--min/max-semi-space-size)
// that no garbage collection runs inside a batch (checked with a PerformanceObserver on 'gc'; a batch
// where one ran is discarded). Same-run reference: the same batch appending the events without pricing;
// bytes per price = (priced − reference) / N. Median of several batches. The parts of the price path
// (features, classifier, kernel score) are measured the same way on their own, for the price path (reused
// buffers, live-scoring.ts) and for GET /v1/sessions/{id}/score (the batch kernels, allocating).
// Usage: node bench/serve-alloc.mjs [--batches 9] [--n 200] [--models DIR] (reuse model.json + kernels.json)
// Needs `npx tsc -p .` first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { trainServeModels } from './lib/serve-models.mjs';

if (typeof globalThis.gc !== 'function') {
  // re-run with the flags the measurement needs
  const r = spawnSync(process.execPath, ['--expose-gc', '--min-semi-space-size=128', '--max-semi-space-size=128', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { normalise } = await import('../dist/events/normalise.js');
const { postPrice } = await import('../dist/serve/handlers.js');
const { loadModels } = await import('../dist/serve/load-models.js');
const { resolveServeConfig } = await import('../dist/serve/options.js');
const { createParts } = await import('../dist/serve/parts.js');
const { toStoredRow } = await import('../dist/serve/session-buffer.js');
const { liveSessionFeatures, sessionDataTable } = await import('../dist/serve/session-features.js');
const { modelMatrix } = await import('../dist/models/classifier/index.js');
const { predictBooster } = await import('../dist/models/gbdt/index.js');
const { LiveFeatures } = await import('../dist/serve/live-features.js');
const { liveScorer } = await import('../dist/serve/live-scoring.js');
const { printTable } = await import('./measure.mjs');

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const BATCHES = Number(opt('--batches', 9));
const N = Number(opt('--n', 200));

let dir = opt('--models', null);
if (dir === null || !existsSync(join(dir, 'model.json'))) {
  dir ??= mkdtempSync(join(tmpdir(), 'phantom-bench-alloc-'));
  trainServeModels(dir);
}

const loaded = await loadModels({ model: join(dir, 'model.json'), kernels: join(dir, 'kernels.json'), rules: null, temperature: 1 });
const parts = createParts(resolveServeConfig({ port: 0, policy: 'linucb', seed: 1 }), loaded, { log: () => {} });

// the fixture's sessions with at least 12 events, as stored rows
const bySession = new Map();
for (const line of readFileSync('fixtures/events.jsonl', 'utf8').split('\n')) {
  if (line === '') continue;
  const r = normalise({ value: JSON.parse(line), provenance: { topic: null, partition: null, offset: null, timestamp: 0 } });
  if (!r.ok) continue;
  const rows = bySession.get(r.row.sessionId) ?? [];
  rows.push(toStoredRow(r.row));
  bySession.set(r.row.sessionId, rows);
}
const sessions = [...bySession].filter(([, rows]) => rows.length >= 12).map(([id, rows]) => ({ id, rows }));
// Each batch prices fresh copies of the sessions (10 events loaded before the batch, so sessions stay
// at their real length, ~12 events, instead of growing over the run); the events the iterations append
// and their request bodies are built before the batch too.
let planned = 0;
async function plan(n) {
  const copies = sessions.map((s) => ({ id: `${s.id}~${planned}`, rows: s.rows, next: 10 }));
  planned++;
  for (const s of copies) await parts.sessions.append(new Map([[s.id, s.rows.slice(0, 10)]]));
  const out = [];
  for (let i = 0; i < n; i++) {
    const s = copies[i % copies.length];
    if (s.next === s.rows.length) s.next = 10; // replay the session's tail: still a change of version
    out.push({ id: s.id, groups: new Map([[s.id, [s.rows[s.next++]]]]), body: { sessionId: s.id, productId: 'p1', basePrice: 100 } });
  }
  return { copies, steps: out };
}

const gcTimes = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) gcTimes.push(e.startTime); }).observe({ entryTypes: ['gc'] });
const heap = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const settle = () => new Promise((r) => setTimeout(r, 5));

/** Bytes allocated by one batch of `fn` over a fresh plan (null when a GC ran inside it). */
async function batch(fn) {
  const { copies, steps } = await plan(N);
  globalThis.gc();
  await settle();
  const t0 = performance.now(), h0 = heap();
  for (const step of steps) await fn(step);
  const h1 = heap(), t1 = performance.now();
  await settle();
  for (const s of copies) parts.sessions.store.delete(s.id);
  return gcTimes.some((t) => t >= t0 && t <= t1) ? null : h1 - h0;
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[(s.length - 1) >> 1];
};
const live = (id) => parts.sessions.store.get(id);
const c = loaded.scorers.classifier;
const liveFeatures = new LiveFeatures(loaded.scorers.settings);
const scorer = liveScorer(loaded.scorers.settings, c, null);
const cases = {
  'append only (reference)': async (s) => { await parts.sessions.append(s.groups); },
  'POST /v1/price handler': async (s) => { await parts.sessions.append(s.groups); await postPrice(parts, s.body); },
  'price path: features (reused buffers)': async (s) => { await parts.sessions.append(s.groups); liveFeatures.compute(live(s.id).buffer); },
  'price path: features + classifier': async (s) => { await parts.sessions.append(s.groups); scorer.score(live(s.id).buffer); },
  'score endpoint: features (computeSessionFeatures)': async (s) => { await parts.sessions.append(s.groups); liveSessionFeatures(live(s.id).buffer, loaded.scorers.settings); },
  'score endpoint: features + classifier': async (s) => {
    await parts.sessions.append(s.groups);
    predictBooster(c.model, modelMatrix(sessionDataTable(liveSessionFeatures(live(s.id).buffer, loaded.scorers.settings)), c.model, c.meta));
  },
  'kernel score': async (s) => { await parts.sessions.append(s.groups); loaded.scorers.kernels(live(s.id).buffer); },
};
// warm-up (JIT, dictionaries, decision pool)
for (const fn of Object.values(cases)) for (let k = 0; k < 3; k++) await batch(fn);
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let b = 0; b < BATCHES; b++) for (const [k, fn] of Object.entries(cases)) samples[k].push(await batch(fn));

const ref = median(samples['append only (reference)']);
const perRequest = {};
const rows = Object.entries(samples).map(([k, xs]) => {
  const valid = xs.filter((x) => x !== null).length;
  const bytes = k.endsWith('(reference)') ? median(xs) / N : (median(xs) - ref) / N;
  perRequest[k] = Math.round(bytes);
  return { case: k, 'bytes / request': Math.round(bytes), 'KB / request': (bytes / 1024).toFixed(1), 'batches without GC': `${valid}/${xs.length}` };
});
printTable(`allocation per request, ${N} requests per batch on changed sessions, median of ${BATCHES} batches (reference subtracted; target: price < 10 KB)`, rows);
console.log(JSON.stringify({ bench: 'serve-alloc', n: N, batches: BATCHES, bytesPerRequest: perRequest, ratios: { priceVs10KB: perRequest['POST /v1/price handler'] / 10240 } }));
await parts.link.close?.();
process.exit(0);
