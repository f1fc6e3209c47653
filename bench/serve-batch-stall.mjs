// How long one client's 10,000-event POST /v1/events holds up other clients' /v1/price requests, with the
// batch validated in slices of 64 events (serve's default) against the same server handling it in one
// go (slice larger than the batch) — the reference, measured in the same run, alternating, `--rounds` times.
// In-process app from dist/ (run `npx tsc -p tsconfig.json` first). Prints a table and, with --json, JSON.
//   node bench/serve-batch-stall.mjs [--rounds 5] [--json]
import { request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../dist/serve/app.js';
import { resolveServeConfig } from '../dist/serve/options.js';
import { createParts } from '../dist/serve/parts.js';
import { printTable } from './measure.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const ROUNDS = arg('--rounds', 5);
const NO_MODELS = { scorers: { settings: { featureSet: 'default', timeoutSec: 900, fillMissing: null }, classifier: null, kernels: null }, rules: null };
const T0 = Date.UTC(2026, 0, 5);
const batch = JSON.stringify(Array.from({ length: 10_000 }, (_, i) => ({ sessionId: `b-${i % 500}`, eventName: 'view_item_page', ts: T0 + i * 1000, productId: `p${i % 7}`, metadata: { price: 10 + (i % 50) } })));

function post(port, path, body) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function once(slice) {
  const app = createApp(createParts(resolveServeConfig({ port: 0, bodyLimitBytes: 8 << 20, batchSliceEvents: slice }), NO_MODELS, { log: () => {} }));
  const { port } = await app.listen();
  for (let i = 0; i < 50; i++) await post(port, '/v1/price', '{"sessionId":"warm","basePrice":10}');
  let done = false;
  const prices = [];
  // the longest the event loop could not run anything else is what another client waits at worst
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const prober = (async () => {
    while (!done) {
      prices.push((await post(port, '/v1/price', '{"sessionId":"other","basePrice":10}')).ms);
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  const b = await post(port, '/v1/events', batch);
  loop.disable();
  done = true;
  await prober;
  await app.shutdown();
  if (b.status !== 202) throw new Error(`batch answered ${b.status}`);
  prices.sort((x, y) => x - y);
  return { stallMs: loop.max / 1e6, batchMs: b.ms, maxPriceMs: prices[prices.length - 1], p50PriceMs: prices[Math.floor(prices.length / 2)], pricesDuringBatch: prices.length };
}

const rows = [];
for (let r = 1; r <= ROUNDS; r++) {
  for (const [name, slice] of [['slices of 64 (default)', 64], ['one go (reference)', 1e9]]) {
    const m = await once(slice);
    rows.push({ round: r, batch: name, 'longest event-loop stall ms': m.stallMs.toFixed(1), 'batch ms': m.batchMs.toFixed(1), 'price requests answered during it': m.pricesDuringBatch, 'price p50 ms': m.p50PriceMs.toFixed(2), 'price max ms': m.maxPriceMs.toFixed(1) });
  }
}
const med = (name, col) => {
  const v = rows.filter((x) => x.batch === name).map((x) => Number(x[col])).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};
printTable(`POST /v1/events with 10,000 events while another client prices (median of ${ROUNDS} rounds, alternating)`, rows);
const S = 'slices of 64 (default)', R = 'one go (reference)', STALL = 'longest event-loop stall ms';
const summary = {
  sliced: { stallMs: med(S, STALL), priceMaxMs: med(S, 'price max ms'), batchMs: med(S, 'batch ms') },
  reference: { stallMs: med(R, STALL), priceMaxMs: med(R, 'price max ms'), batchMs: med(R, 'batch ms') },
};
console.log(`\nmedian longest event-loop stall: ${summary.sliced.stallMs} ms sliced vs ${summary.reference.stallMs} ms in one go (${(summary.reference.stallMs / summary.sliced.stallMs).toFixed(1)}×); batch ${summary.sliced.batchMs} vs ${summary.reference.batchMs} ms`);
if (process.argv.includes('--json')) console.log(JSON.stringify({ rounds: ROUNDS, rows, summary }));
