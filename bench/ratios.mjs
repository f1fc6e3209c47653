// The ratios `npm run bench -- --check` gates on, read from the JSON line each bench script prints last.
// Every ratio is phantom's cost over its same-run reference's cost (time, CPU time, bytes or p99 latency), so
// lower is better and 1.0 means "as cheap as the reference". A bench may print `ratios: { name: value }`
// itself; for the older scripts the mapping below derives them from the fields they already print.
// On the shared 2-core machine wall seconds measure the load, so wherever a bench prints CPU time the gate
// reads a CPU ratio (names with `cpu`, or `_projected` for a projection from per-thread CPU); the wall
// ratios are still derived and reported, and bench/targets.json marks them `"gated": false`.

const num = (v) => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN);
/** Smallest of the finite numbers of a list (NaN when none): predict's runs in one process get warmer, so the
 * bench reports its best run and the CPU ratios read the best run too. */
const best = (xs) => {
  const s = (Array.isArray(xs) ? xs : []).map(num).filter(Number.isFinite);
  return s.length === 0 ? NaN : Math.min(...s);
};
/** Median of the finite numbers of a list (NaN when none): the CPU fields below are one value per repetition. */
const med = (xs) => {
  const s = (Array.isArray(xs) ? xs : []).map(num).filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const finite = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => Number.isFinite(v.value)));

/** name → { reference: what the ratio divides by, of(json) → number } for each older bench. */
const DERIVED = {
  cart: {
    fit_vs_sklearn: { reference: 'scikit-learn DecisionTreeRegressor.fit', of: (j) => num(j.ratioPhantomOverSklearn) },
  },
  'booster-threads': {
    // per-thread CPU from /proc: the busiest thread is the critical path, i.e. the wall time on two idle cores
    train_cpu_vs_xgboost_2t: {
      reference: 'xgboost hist train, nthread 2: busiest thread CPU (median of the runs; projected wall on 2 idle cores)',
      of: (j) => med(j.runs?.p2?.map((r) => r.projected)) / med(j.runs?.x2?.map((r) => r.projected)),
    },
    command_cpu_vs_xgboost_2t: {
      reference: 'xgboost DMatrix + train, nthread 2: process CPU (median of the runs)',
      of: (j) => med(j.cli?.map((r) => r.cpuSeconds)) / (med(j.runs?.x2?.map((r) => r.proc)) + med(j.runs?.x2?.map((r) => r.dmatrix?.proc))),
    },
  },
  classifier: {
    train_vs_xgboost_2t: { reference: 'xgboost hist train, 2 threads', of: (j) => num(j.ratioVsXgboost2Threads) },
    command_vs_xgboost_2t: { reference: 'xgboost DMatrix + train, 2 threads', of: (j) => num(j.phantomCommandSeconds) / (num(j.xgboost?.['2']?.train) + num(j.xgboost?.['2']?.dmatrix)) },
  },
  distill: {
    cli_vs_reference: { reference: 'xgboost + scikit-learn compute (no file reading)', of: (j) => num(j.cliMedianSeconds) / num(j.reference?.times?.total) },
    cli_cpu_vs_reference_cpu: {
      reference: 'xgboost + scikit-learn compute (no file reading), process CPU; the CLI: process CPU (GNU time), median of 3',
      of: (j) => num(j.cliMedianCpuSeconds) / num(j.reference?.times?.total_cpu),
    },
  },
  predict: {
    cpu_vs_xgboost_predict: {
      reference: 'xgboost Booster.predict, nthread 2, process CPU (both sides all threads, best of the runs as the wall ratio)',
      of: (j) => best(j.phantomFlatCpu) / best(j.xgboostPredictCpu),
    },
    main_cpu_vs_xgboost_predict: {
      reference: "xgboost Booster.predict process CPU; phantom: the main thread's CPU (/proc, 10 ms ticks), the critical path on 2 idle cores",
      of: (j) => best(j.phantomFlatMainThreadCpu) / best(j.xgboostPredictCpu),
    },
  },
  features: {
    vs_pandas: { reference: 'pandas compute only, 1M events', of: (j) => 1 / num(j.ratio) },
  },
  separability: {
    vs_scipy: { reference: 'pandas/numpy/scipy compute only', of: (j) => num(j.rows?.[0]?.seconds) / num(j.rows?.find((r) => /reference: compute/.test(r.run))?.seconds) },
  },
  generate: {
    parquet_vs_jsonl: { reference: 'the same sessions written as JSON-lines', of: (j) => num(j.rows?.[0]?.seconds) / num(j.rows?.[1]?.seconds) },
  },
  simulate: {
    grid_2w_vs_1w: { reference: 'the same grid on 1 worker (0.5 = perfect 2× scaling)', of: (j) => num(j.grid?.[1]?.seconds) / num(j.grid?.[0]?.seconds) },
    grid_2w_vs_1w_projected: {
      reference: 'the same grid on 1 worker, both projected for 2 idle cores from per-thread CPU (0.5 = perfect 2× scaling)',
      of: (j) => num(j.grid?.[1]?.['projected s (2 idle cores)']) / num(j.grid?.[0]?.['projected s (2 idle cores)']),
    },
    slowest_policy_vs_market: { reference: 'the market alone, no policy', of: (j) => Math.max(...(j.rows ?? []).map((r) => 1 / num(r['vs reference']))) },
  },
  'export-kafka': {
    vs_kcat: { reference: 'kcat -C consuming the same topic (largest size)', of: (j) => perSize(j.results, 'events', (r) => /events\.parquet$/.test(r.path), (r) => /kcat/.test(r.path)) },
    cpu_vs_kcat_1m: { reference: 'kcat -C consuming the same 1M-event topic, process CPU', of: (j) => atSize(j.results, 'events', 1e6, exportKafka, kcat, 'CPU s') },
    cpu_vs_kcat_4m: { reference: 'kcat -C consuming the same 4M-event topic, process CPU', of: (j) => atSize(j.results, 'events', 4e6, exportKafka, kcat, 'CPU s') },
    cpu_per_event_4m_vs_1m: {
      reference: "the export's own CPU per event at 1M (a rate that falls as the topic grows shows here)",
      of: (j) => fieldAt(j.results, 'events', 4e6, exportKafka, 'CPU s') / 4e6 / (fieldAt(j.results, 'events', 1e6, exportKafka, 'CPU s') / 1e6),
    },
  },
  'export-postgres': {
    vs_pg_cursor: { reference: 'a bare pg-cursor read (largest size)', of: (j) => perSize(j.results, 'rows', (r) => /export/.test(r.path), (r) => /raw pg-cursor/.test(r.path)) },
    cpu_vs_pg_cursor: {
      reference: 'a bare pg-cursor read (largest size), process CPU of each whole process (GNU time)',
      of: (j) => perSize(j.results, 'rows', (r) => /export/.test(r.path), (r) => /raw pg-cursor/.test(r.path), 'CPU s'),
    },
    cpu_vs_pg_cursor_1m: {
      reference: 'a bare pg-cursor read of the same 1M rows, process CPU of each whole process (GNU time)',
      of: (j) => atSize(j.results, 'rows', 1e6, (r) => /export/.test(r.path), (r) => /raw pg-cursor/.test(r.path), 'CPU s'),
    },
  },
  serve: {
    p99_vs_node_http: { reference: 'bare node:http p99 at the same rate', of: (j) => num(j.results?.[0]?.['p99 ms']) / num(j.results?.[1]?.['p99 ms']) },
  },
};

function perSize(results = [], key, ours, ref, field = 'seconds') {
  const largest = Math.max(...results.map((r) => num(r[key])));
  return atSize(results, key, largest, ours, ref, field);
}
/** `field` of the row `ours` over that of the row `ref`, among the results of one size. */
function atSize(results, key, size, ours, ref, field) {
  return fieldAt(results, key, size, ours, field) / fieldAt(results, key, size, ref, field);
}
/** `field` of the first row of size `size` that `pick` accepts (NaN when there is none). */
function fieldAt(results = [], key, size, pick, field) {
  return num(results.find((r) => num(r[key]) === size && pick(r))?.[field]);
}
const exportKafka = (r) => /events\.parquet$/.test(r.path);
const kcat = (r) => /kcat/.test(r.path);

/** Entries of a bench's own `ratios` field that are not costs (speed-ups: higher is better); the gate reads
 * the cost ratio DERIVED above instead. */
const NOT_COSTS = { simulate: new Set(['gridSpeedup2v1', 'gridSpeedup2v1Projected']) };
/** What a bench's bare-number ratio divides by, where the bench does not say. */
const BARE_REFERENCE = { 'serve-alloc': { priceVs10KB: 'the 10 KB target: bytes allocated per POST /v1/price, append-only batch subtracted' } };

/**
 * Ratios of one bench run: `{ name: { value, reference } }`, derived by DERIVED and from its own `ratios`
 * field (which wins for a name both give).
 * @example ratiosOf({ bench: 'cart', ratioPhantomOverSklearn: 0.7 }) // { fit_vs_sklearn: { value: 0.7, … } }
 */
export function ratiosOf(json) {
  const out = {};
  for (const [name, { reference, of }] of Object.entries(DERIVED[json.bench] ?? {})) {
    out[name] = { value: of(json), reference };
  }
  if (json.ratios && typeof json.ratios === 'object') {
    for (const [k, v] of Object.entries(json.ratios)) {
      if (NOT_COSTS[json.bench]?.has(k)) continue;
      out[k] = typeof v === 'object' && v !== null ? v : { value: v, reference: BARE_REFERENCE[json.bench]?.[k] ?? '' };
    }
  }
  return finite(out);
}

/** The last line of a bench's stdout that parses as a JSON object with a `bench` field, or null. */
export function lastBenchJson(stdout) {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const j = JSON.parse(line);
      if (j && typeof j.bench === 'string') return j;
    } catch {}
  }
  return null;
}
