// End to end through the built binary (bin/phantom.js → dist/; `npm test` builds it first): the pipeline
// on the bundled fixtures, every artefact read back, every summary number equal to the stand-alone
// commands on the same inputs, and the gates' exit codes.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import { readSessionsParquet } from '../../src/features/index.js';
import { readParquet } from '../../src/io/parquet.js';
import { readKernelsFile } from '../../src/kernels/kernels-file.js';
import { parseRulesText } from '../../src/models/cart/index.js';
import { readClassifierModel } from '../../src/models/classifier/index.js';
import { camelCaseKeys } from '../../src/report/json-keys.js';
import { phantom, ROOT, type CliResult } from '../support/cli.js';

// parsed JSON documents, read field by field
type Json = Record<string, any>;

const tmp = mkdtempSync(join(tmpdir(), 'phantom-pipeline-'));
const out = join(tmp, 'out'), sep = join(tmp, 'separate');
const ARTEFACTS = ['events.parquet', 'sessions.parquet', 'kernels.json', 'separability.json', 'scores.parquet', 'model.json', 'metrics.json', 'rules.json', 'rules.txt', 'summary.json', 'report.html'];

function ok(r: CliResult): CliResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stderr}`);
  return r;
}
const json = (r: CliResult): Json => JSON.parse(ok(r).stdout) as Json;
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

let run: CliResult, summary: Json;
const cmd: Record<string, Json> = {};

beforeAll(() => {
  // the pipeline, with gates it passes (cwd = the repo, as after a fresh clone)
  run = phantom(['pipeline', '--out', out, '--json', '--fail-if-p-above', '0.05', '--fail-under-auc', '0.5', '--fail-if-leakage']);
  summary = json(run);
  // the same stages, one command at a time, on the same inputs
  const e = join(sep, 'events.parquet'), s = join(sep, 'sessions.parquet'), m = join(sep, 'model.json');
  cmd.export = json(phantom(['export', '--from', 'file', 'fixtures/events.jsonl', '--experiments-from', 'fixtures/experiments.csv', '-o', e, '--json']));
  cmd.features = json(phantom(['features', e, '-o', s, '--json']));
  cmd.kernels = json(phantom(['kernels', e, '-o', join(sep, 'kernels.json'), '--json']));
  cmd.separability = json(phantom(['separability', e, '-o', join(sep, 'scores.parquet'), '--json']));
  cmd.train = json(phantom(['train-classifier', s, '-o', m, '--json']));
  cmd.distill = json(phantom(['distill', m, s, '-o', join(sep, 'rules.json'), '--json']));
}, 120_000);

describe('phantom pipeline on the bundled fixtures', () => {
  it('passes its gates, prints the summary and a progress line per stage', () => {
    expect(run.code).toBe(0);
    expect(summary.gates).toMatchObject({ passed: true, results: [{ gate: 'fail-if-p-above', passed: true }, { gate: 'fail-under-auc', passed: true }, { gate: 'fail-if-leakage', passed: true }] });
    for (const [i, stage] of ['export', 'features', 'kernels', 'classifier', 'distill', 'report'].entries()) expect(run.stderr).toContain(`[${i + 1}/6] ${stage}: `);
    expect(run.stderr).toContain(`report: ${join(out, 'report.html')}`);
  });

  it('writes every artefact, and each one parses', async () => {
    for (const f of ARTEFACTS) expect(existsSync(join(out, f)), f).toBe(true);
    expect(existsSync(join(out, 'events.dead-letter.jsonl'))).toBe(false); // the fixtures have no bad records
    expect((await readEventsParquet(join(out, 'events.parquet'))).length).toBe(3471);
    expect((await readSessionsParquet(join(out, 'sessions.parquet'))).nSessions).toBe(300);
    expect((await readKernelsFile(join(out, 'kernels.json'))).vocabulary.length).toBe(summary.kernels.states);
    expect((await readParquet(join(out, 'scores.parquet'))).numRows).toBe(300);
    const model = await readClassifierModel(join(out, 'model.json'));
    expect(model.model.trees.length).toBe(summary.classifier.rounds.final);
    expect(readJson(join(out, 'metrics.json')).evaluation.metrics.rocAuc).toBe(summary.headline.rocAuc.value);
    expect(readJson(join(out, 'separability.json')).test.pvalue).toBe(summary.headline.separabilityP.value);
    const rules = readJson(join(out, 'rules.json'));
    expect(parseRulesText(readFileSync(join(out, 'rules.txt'), 'utf8'))).toHaveLength(rules.rules.length);
    expect(readJson(join(out, 'summary.json'))).toEqual(summary);
    expect(summary).toMatchObject({ format: 'phantom.pipeline-summary', version: 1 });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|\ssrc=|url\(http/); // self-contained
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(10);
    // the confound audit comes first, with both AUCs; metrics.json carries the same numbers and the warnings
    const metrics = readJson(join(out, 'metrics.json'));
    expect(metrics.behaviourOnly.fullAuc).toBe(summary.headline.rocAuc.value);
    expect(Array.isArray(metrics.warnings)).toBe(true);
    expect(html.indexOf('<section id="confound">')).toBeLessThan(html.indexOf('<section id="data">'));
    expect(html).toMatch(/ROC-AUC, behaviour only/);
  });

  it('every headline number carries its method, parameters and seed', () => {
    const names = Object.keys(summary.headline).filter((k) => !k.includes('_'));
    expect(names).toHaveLength(17);
    for (const name of names) {
      const h = summary.headline[name] as Json;
      expect(Object.keys(h), name).toEqual(expect.arrayContaining(['value', 'statistic', 'stage', 'method', 'params', 'seed']));
      expect(typeof h.method, name).toBe('string');
    }
    expect(summary.headline.klHumanAgent.seed).toBe(42);
    // XGBoost's parameter names are data and keep their spelling; phantom's own keys beside them are camelCase
    expect(summary.headline.rocAuc).toMatchObject({ seed: 42, params: { eta: 0.05, max_depth: 6, roundsFinal: summary.classifier.rounds.final, thresholdRule: '0.5' } });
    expect(summary.headline.rocAuc.params).not.toHaveProperty('maxDepth');
    expect(summary.classifier.params).toMatchObject({ max_depth: 6, scale_pos_weight: 1 });
  });

  it('summary.json and --json: camelCase keys, the snake_case ones of the last release beside them with the same values', () => {
    expect(summary).toMatchObject({ phantomVersion: summary.phantom_version, timingsSec: summary.timings_sec, startedAt: summary.started_at });
    // an old snake_case path still resolves, to the same numbers as its camelCase twin
    expect(summary.headline.separability_gap_auc).toMatchObject({ value: summary.headline.separabilityGapAuc.value, u_agent: summary.headline.separabilityGapAuc.uAgent });
    expect(camelCaseKeys(summary.headline.separability_gap_auc)).toEqual(summary.headline.separabilityGapAuc);
    expect(summary.export.records_written).toBe(summary.export.recordsWritten);
    expect(summary.export.deadLettered).toEqual({ total: 0, byReason: {} });
    expect(summary.artefacts).toMatchObject({ rulesText: 'rules.txt', rules_text: 'rules.txt', priceLogs: null });
  });

  it('export and features: the same numbers as phantom export / phantom features', async () => {
    // export --json and summary.json both carry camelCase keys (snake_case beside them for one release, docs/contract.md)
    const x = cmd.export!;
    expect(summary.export).toMatchObject({
      recordsRead: x.recordsRead, recordsWritten: x.recordsWritten, deadLettered: x.deadLettered, duplicates: x.duplicates,
      sessions: x.sessions, labels: x.labels, timeRange: x.timeRange, unknownEvents: x.unknownEvents,
    });
    expect(summary.features).toMatchObject({ sessions: cmd.features!.sessions, events: cmd.features!.events, columns: cmd.features!.columns });
    const [a, b] = await Promise.all([readSessionsParquet(join(out, 'sessions.parquet')), readSessionsParquet(join(sep, 'sessions.parquet'))]);
    expect(a.sessionIds).toEqual(b.sessionIds);
    expect(a.isAgent).toEqual(b.isAgent);
    expect(a.columns).toEqual(b.columns);
    expect(a.categories).toEqual(b.categories);
  });

  it('kernels and separability: the same numbers as phantom kernels / phantom separability', () => {
    const k = cmd.kernels!, h = summary.headline;
    expect(h.klHumanAgent).toMatchObject({ value: k.divergence.klHumanAgent, nullP: k.null.klHumanAgent.p, nullMean: k.null.klHumanAgent.nullMean, lift: k.null.klHumanAgent.lift });
    expect(h.klAgentHuman).toMatchObject({ value: k.divergence.klAgentHuman, nullP: k.null.klAgentHuman.p });
    expect(h.jsDivergence).toMatchObject({ value: k.divergence.js, nullP: k.null.js.p });
    expect(readJson(join(out, 'kernels.json')).classes).toEqual(readJson(join(sep, 'kernels.json')).classes);
    const t = cmd.separability!.test;
    expect(h.separabilityP).toMatchObject({ value: t.pvalue, u: t.statistic, uPrime: t.statisticOther, nHuman: t.n1, nAgent: t.n2 });
    expect(h.separabilityAuc).toMatchObject({ value: t.effect.auc, rankBiserial: t.effect.rankBiserial, hodgesLehmann: t.effect.hodgesLehmann });
    // the headline AUC is oriented so that a good separation reads near 1: U' / (n1·n2)
    expect(h.separabilityGapAuc).toMatchObject({ value: t.statisticOther / (t.n1 * t.n2), uAgent: t.statisticOther });
    expect(h.separabilityGapAuc.value + h.separabilityAuc.value).toBeCloseTo(1, 12);
    expect(summary.separability.groups).toEqual(cmd.separability!.groups);
  });

  it('classifier: the same metrics and the same model as phantom train-classifier', () => {
    const e = cmd.train!.evaluation, h = summary.headline;
    expect(h.rocAuc).toMatchObject({ value: e.metrics.rocAuc, ciLower: e.metrics.rocAucCi.lower, ciUpper: e.metrics.rocAucCi.upper });
    expect(h.prAuc.value).toBe(e.metrics.prAuc);
    expect(h.precisionAt80Recall.value).toBe(e.metrics.precisionAtRecall.precision);
    expect(h.f1.value).toBe(e.metrics.f1);
    expect(summary.classifier.rounds.final).toBe(cmd.train!.rounds.final);
    expect(summary.classifier.leakage.flagged).toEqual(cmd.train!.leakage.flagged);
    expect(summary.classifier.importance.map((i: Json) => i.feature)).toEqual(cmd.train!.importance.slice(0, 10).map((i: Json) => i.feature));
    const trees = (p: string) => readJson(p).learner.gradient_booster;
    expect(trees(join(out, 'model.json'))).toEqual(trees(join(sep, 'model.json')));
  });

  it('distill: the same rules and fidelity as phantom distill', () => {
    const d = cmd.distill!;
    expect(summary.headline.rulesFidelityR2).toMatchObject({ value: d.fidelity.heldOut.r2, mae: d.fidelity.heldOut.mae });
    expect(summary.headline.rulesLeaves.value).toBe(d.student.leaves);
    expect(readJson(join(out, 'rules.json')).rules).toEqual(d.rules);
    expect(readFileSync(join(out, 'rules.txt'), 'utf8')).toBe(readFileSync(join(sep, 'rules.txt'), 'utf8'));
  });
});

describe('phantom pipeline gates and config errors', () => {
  it('a gate set above the achieved AUC exits 4 with the reason, after writing every artefact', () => {
    const auc = summary.headline.rocAuc.value as number;
    const gated = join(tmp, 'gated');
    const r = phantom(['pipeline', '--out', gated, '--quiet', '--fail-under-auc', String(Math.min(1, auc + 0.001))]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`phantom pipeline: classifier ROC-AUC ${auc.toFixed(4)} is below --fail-under-auc`);
    for (const f of ARTEFACTS) expect(existsSync(join(gated, f)), f).toBe(true);
    expect(readJson(join(gated, 'summary.json')).gates).toMatchObject({ passed: false, results: [{ gate: 'fail-under-auc', passed: false }] });
  });

  it('dead letters land in the output folder; export.strict exits 3 after the run', () => {
    const config = join(tmp, 'strict.json');
    writeFileSync(config, JSON.stringify({
      out: 'strict-out', source: { from: 'file', inputs: [join(ROOT, 'fixtures/events.jsonl'), join(ROOT, 'fixtures/bad-records.jsonl')] },
      labels: { experimentsFrom: join(ROOT, 'fixtures/experiments.csv') }, export: { strict: true }, kernels: { bootstrap: 20 }, classifier: { cv: 3 },
    }));
    const r = phantom(['pipeline', '--config', config, '--quiet']);
    expect(r.code).toBe(3);
    const reasons = readJson(join(ROOT, 'fixtures/bad-records.reasons.json')) as unknown as string[];
    expect(r.stderr).toContain(`export.strict: ${reasons.length} record(s) rejected`);
    const lines = readFileSync(join(tmp, 'strict-out', 'events.dead-letter.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(reasons.length);
    expect(readJson(join(tmp, 'strict-out', 'summary.json')).artefacts.deadLetters).toBe('events.dead-letter.jsonl');
  });

  it('--print-config shows the effective config; a bad config lists every problem and exits 2', () => {
    const c = json(phantom(['pipeline', '--print-config', '--seed', '7', '--fail-if-leakage']));
    expect(c).toMatchObject({ out: 'phantom-out', seed: 7, source: { from: 'file', inputs: ['fixtures/events.jsonl'] }, kernels: { seed: 7 }, gates: { failIfLeakage: true } });
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kernels: { smoothing: -1 }, classifier: { cv: 0 }, gates: { failUnderAuc: 0.9 }, typo: 1 }));
    const r = phantom(['pipeline', '--config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has 3 problems');
    expect(r.stderr).toMatch(/kernels\.smoothing: .*\n.*\n/);
    expect(r.stderr).toContain('gates.failUnderAuc: needs an evaluated AUC');
    expect(r.stderr).toContain('Unrecognized key: "typo"');
    expect(r.stdout).toBe('');
  });
});
