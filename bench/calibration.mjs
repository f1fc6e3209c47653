#!/usr/bin/env node
// Calibration on generated data (issue 17, must-show 3) — a quality measurement, not a speed target:
// `phantom generate -n 20000 -s 7` → features → train-classifier --json (5-fold CV, out-of-fold calibration)
// → distill. Prints the out-of-fold ECE / Brier / log-loss / ROC-AUC of the raw booster and of each
// calibration candidate (cross-fitted), the method chosen, and the markups the distilled rules give
// clear humans (raw p < 0.1). Usage: npx tsc -p . && node bench/calibration.mjs [--sessions 20000] [--seed 7]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable } from './measure.mjs';

/** printTable takes objects: the first row names the columns. */
const showTable = (title, [head, ...rows]) => printTable(title, rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]]))));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const sessions = arg('sessions', 20_000), seed = arg('seed', 7);
const lib = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);
const { readClassifierModel, modelMatrix } = await lib('models/classifier/index.js');
const { readDataTable } = await lib('models/dataset/index.js');
const { predictBooster } = await lib('models/gbdt/index.js');
const { runDistill } = await lib('distill/index.js');

const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-calibration-'));
const bin = new URL('../bin/phantom.js', import.meta.url).pathname;
function phantom(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`phantom ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout, seconds: (performance.now() - t0) / 1000 };
}
try {
  const p = (f) => join(dir, f);
  phantom(['generate', '-n', String(sessions), '-s', String(seed), '-o', p('events.parquet'), '--quiet']);
  phantom(['features', p('events.parquet'), '-o', p('sessions.parquet'), '--quiet']);
  const train = phantom(['train-classifier', p('sessions.parquet'), '-o', p('model.json'), '--json', '--quiet']);
  const t = JSON.parse(train.stdout), c = t.calibration;
  const row = (name, q) => [name, q.ece.toFixed(4), q.brier.toFixed(4), q.logLoss.toFixed(4), q.rocAuc.toFixed(4), `${q.min.toPrecision(3)}–${q.max.toPrecision(3)}`];
  showTable(`out-of-fold probabilities, ${sessions.toLocaleString('en-US')} generated sessions (seed ${seed}), ${c.folds}-fold cross-fit; chosen: ${c.method}`, [
    ['probabilities', 'ECE', 'Brier', 'log-loss', 'ROC-AUC', 'range'],
    row('raw booster', c.before), row('Platt (margin)', c.candidates.platt), row('isotonic', c.candidates.isotonic), row(`shipped: ${c.method}`, c.after),
  ]);

  const distilled = phantom(['distill', p('model.json'), p('sessions.parquet'), '-o', p('rules.json'), '--quiet']);
  const { model, meta } = await readClassifierModel(p('model.json'));
  const table = await readDataTable(p('sessions.parquet'));
  const raw = predictBooster(model, modelMatrix(table, model, meta));
  const run = await runDistill({ sessions: p('sessions.parquet'), model: p('model.json'), purchaseModel: null, targetColumn: null, tiers: null,
    exclude: [], priceColumn: null, command: 'bench', phantomVersion: 'bench' });
  const fileRules = JSON.parse(readFileSync(p('rules.json'), 'utf8')).rules;
  if (JSON.stringify(fileRules) !== JSON.stringify(run.document.rules)) throw new Error('in-process distill differs from the command');
  const clear = Array.from(raw.keys()).filter((i) => raw[i] < 0.1);
  const rules = clear.map((i) => run.result.studentMarkup[i]).sort((a, b) => a - b);
  const teacher = clear.map((i) => run.result.teacherMarkup[i]).sort((a, b) => a - b);
  const q = (v, f) => v[Math.min(v.length - 1, Math.floor(f * v.length))];
  const share = (v) => v.filter((m) => m <= 1.02).length / v.length;
  showTable(`markups of the ${clear.length.toLocaleString('en-US')} clear sessions (raw p < 0.1)`, [
    ['markup from', 'median', 'p95', 'p99', 'max', 'share <= 1.02'],
    ['rules', q(rules, 0.5).toFixed(4), q(rules, 0.95).toFixed(4), q(rules, 0.99).toFixed(4), rules[rules.length - 1].toFixed(4), share(rules).toFixed(4)],
    ['teacher', q(teacher, 0.5).toFixed(4), q(teacher, 0.95).toFixed(4), q(teacher, 0.99).toFixed(4), teacher[teacher.length - 1].toFixed(4), share(teacher).toFixed(4)],
  ]);
  console.log(JSON.stringify({
    bench: 'calibration', sessions, seed, method: c.method, folds: c.folds, before: c.before, after: c.after, candidates: c.candidates,
    rocAuc: t.evaluation.metrics.rocAuc, params: { scale_pos_weight: t.params.scale_pos_weight, base_score: t.params.base_score }, rounds: t.rounds.final,
    clearSessions: clear.length, rulesMarkup: { median: q(rules, 0.5), p95: q(rules, 0.95), p99: q(rules, 0.99), shareAtMost1_02: share(rules) },
    teacherMarkup: { median: q(teacher, 0.5), shareAtMost1_02: share(teacher) }, seconds: { train: train.seconds, distill: distilled.seconds },
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
