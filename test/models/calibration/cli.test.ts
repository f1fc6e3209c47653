/**
 * Calibration through the real binary: the pipeline on the bundled fixtures (300 sessions) and a freshly
 * generated data set — ECE before/after in --json, metrics.json, summary.json and the report; the model file
 * carries the calibrator and predict/evaluate/distill apply it; clear humans get markups near 1 from the
 * rules; distill's degenerate-student warnings and its "static demand (upper bound)" label.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDistill, type RulesDocument } from '../../../src/distill/index.js';
import { applyCalibrator, parseCalibrator } from '../../../src/models/calibration/index.js';
import { modelMatrix, readClassifierModel } from '../../../src/models/classifier/index.js';
import { binaryLabel, readDataTable } from '../../../src/models/dataset/index.js';
import { predictBooster } from '../../../src/models/gbdt/index.js';
import { phantom } from '../../support/cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const work = mkdtempSync(join(tmpdir(), 'phantom-calibration-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const json = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

/** Raw booster probability, and the markup the rules of `rulesPath` give, per session (distil rerun in-process with the CLI's defaults). */
async function rawAndRules(dir: string, rulesPath: string): Promise<{ raw: Float64Array; rules: Float64Array; isAgent: Int8Array }> {
  const { model, meta } = await readClassifierModel(join(dir, 'model.json'));
  const table = await readDataTable(join(dir, 'sessions.parquet'));
  const raw = predictBooster(model, modelMatrix(table, model, meta));
  const run = await runDistill({
    sessions: join(dir, 'sessions.parquet'), model: join(dir, 'model.json'), purchaseModel: null, targetColumn: null, tiers: null,
    exclude: [], priceColumn: null, command: 'test', phantomVersion: 'test',
  });
  expect(run.document.rules).toEqual((json(rulesPath) as RulesDocument).rules); // the same rules as the file
  return { raw, rules: run.result.studentMarkup, isAgent: binaryLabel(table, 'is_agent') };
}

describe('pipeline on the 300 fixture sessions', () => {
  const out = join(work, 'pipeline');
  let run: ReturnType<typeof phantom>;
  beforeAll(() => { run = phantom(['pipeline', '--out', out, '--json', '--quiet']); });

  it('calibrated out-of-fold ECE well under the uncalibrated 0.25 of before, in metrics.json, summary.json and the report', () => {
    expect(run.code, run.stderr).toBe(0);
    const m = json(join(out, 'metrics.json'));
    const c = m.calibration;
    expect(['platt', 'isotonic']).toContain(c.method);
    expect(c.after.ece).toBeLessThan(0.25);
    expect(c.after.ece).toBeLessThan(c.before.ece / 2);
    expect(c.after.brier).toBeLessThan(c.before.brier);
    expect(m.evaluation.metrics.calibration.ece).toBe(c.after.ece); // the metrics describe the shipped probabilities
    expect(m.params.scale_pos_weight).toBe(1);
    const s = json(join(out, 'summary.json'));
    expect(s.headline.calibrationEce).toMatchObject({ value: c.after.ece, before: c.before.ece, stage: 'classifier', params: { method: c.method } });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('calibration error (ECE)');
    expect(html).toContain('before calibration (ECE');
    expect(html).toMatch(/calibration, out of fold \(5-fold cross-fit; chosen: (platt|isotonic)/);
  });

  it('the model file keeps the booster xgboost reads and carries the calibrator; predict applies it', async () => {
    const file = json(join(out, 'model.json'));
    const meta = JSON.parse(file.learner.attributes.phantom);
    const cal = parseCalibrator(meta.calibration.calibrator, 'calibrator');
    expect(cal.method).toBe(json(join(out, 'metrics.json')).calibration.method);
    const { model } = await readClassifierModel(join(out, 'model.json'));
    const table = await readDataTable(join(out, 'sessions.parquet'));
    const raw = predictBooster(model, modelMatrix(table, model, meta));
    const r = phantom(['predict', join(out, 'model.json'), join(out, 'sessions.parquet'), '-o', join(work, 'scores.csv'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).calibration).toBe(cal.method);
    const lines = readFileSync(join(work, 'scores.csv'), 'utf8').trim().split('\n');
    const col = lines[0]!.split(',').indexOf('probability');
    const scores = lines.slice(1).map((l) => Number(l.split(',')[col]));
    expect(scores).toHaveLength(300);
    const expected = applyCalibrator(cal, raw);
    scores.forEach((p, i) => expect(Math.abs(p - expected[i]!)).toBeLessThan(1e-12));
  });

  it('the fifth of humans with the lowest raw probability get markups ≤ 1.02 from the rules; revenue labelled static demand', async () => {
    const { raw, rules, isAgent } = await rawAndRules(out, join(out, 'rules.json'));
    const humans = Array.from(raw.keys()).filter((i) => isAgent[i] === 0).sort((a, b) => raw[a]! - raw[b]!);
    const clearest = humans.slice(0, Math.ceil(humans.length / 5));
    expect(Math.max(...clearest.map((i) => rules[i]!))).toBeLessThanOrEqual(1.02);
    const doc = json(join(out, 'rules.json'));
    expect(doc.revenue.label).toBe('static demand (upper bound)');
    const s = json(join(out, 'summary.json'));
    expect(s.distill.revenue.label).toBe('static demand (upper bound)');
    expect(s.headline.rulesRevenueChange.statistic).toContain('static demand (upper bound)');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('revenue impact, static demand (upper bound)');
  });

  it('evaluate: before/after calibration in --json and text, and both curves in the reliability figure', () => {
    const args = ['evaluate', join(out, 'model.json'), join(out, 'sessions.parquet')];
    const r = phantom([...args, '--json', '--plot', join(work, 'figs')]);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.calibration.method).toBe(json(join(out, 'metrics.json')).calibration.method);
    expect(e.metrics.calibration.ece).toBeCloseTo(e.calibration.after.ece, 12);
    expect(readFileSync(join(work, 'figs', 'calibration.svg'), 'utf8')).toContain('before calibration (ECE');
    const t = phantom(args);
    expect(t.stdout).toMatch(/calibration\n.*probabilities\s+ECE \(10 bins\)\s+Brier\s+log-loss\s+ROC-AUC\s+range/);
    expect(t.stdout).toMatch(/raw booster/);
    expect(t.stdout).toMatch(/calibrated \((platt|isotonic)\)/);
  });

  it('distill warns when the student is degenerate (one leaf, held-out R² ≤ 0) and labels the revenue figure', () => {
    const rules = join(work, 'stump.json');
    // the plain tree: the human-safe guard (default) would grow the stump's one rule, which holds clear humans
    const r = phantom(['distill', join(out, 'model.json'), join(out, 'sessions.parquet'), '-o', rules, '--min-samples-leaf', '1000', '--human-safe', 'off']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: degenerate rules: the student tree has one leaf/);
    expect(r.stderr).toMatch(/warning: degenerate rules: held-out R² -?\d\.\d+ ≤ 0/);
    expect(r.stdout).toMatch(/revenue, static demand \(upper bound\)/);
    const doc = json(rules);
    expect(doc.student.leaves).toBe(1);
    expect(doc.warnings.filter((w: string) => w.startsWith('degenerate rules'))).toHaveLength(2);
    expect(json(join(out, 'rules.json')).warnings.join('\n')).not.toMatch(/degenerate/); // the pipeline's rules are not
  });
});

describe('generated sessions (3,000, seed 3)', () => {
  const dir = join(work, 'generated');
  let train: any;
  beforeAll(() => {
    const g = phantom(['generate', '-n', '3000', '-s', '3', '-o', join(dir, 'events.parquet'), '--quiet']);
    expect(g.code, g.stderr).toBe(0);
    const f = phantom(['features', join(dir, 'events.parquet'), '-o', join(dir, 'sessions.parquet'), '--quiet']);
    expect(f.code, f.stderr).toBe(0);
    const t = phantom(['train-classifier', join(dir, 'sessions.parquet'), '-o', join(dir, 'model.json'), '--json', '--quiet']);
    expect(t.code, t.stderr).toBe(0);
    train = JSON.parse(t.stdout);
  }, 120_000);

  it('train-classifier --json: out-of-fold ECE ≤ 0.05 after calibration, with the candidates and the raw numbers', () => {
    const c = train.calibration;
    expect(c.after.ece).toBeLessThanOrEqual(0.05);
    for (const m of ['none', 'platt', 'isotonic']) expect(c.after.logLoss).toBeLessThanOrEqual(c.candidates[m].logLoss);
    expect(c.before).toEqual(c.candidates.none);
    expect(train.evaluation.metrics.calibration.ece).toBe(c.after.ece);
  });

  it('clear humans (raw p < 0.1): the rules give at least 90% of them a markup ≤ 1.02, the median ≤ 1.02', async () => {
    const d = phantom(['distill', join(dir, 'model.json'), join(dir, 'sessions.parquet'), '-o', join(dir, 'rules.json'), '--quiet']);
    expect(d.code, d.stderr).toBe(0);
    const { raw, rules } = await rawAndRules(dir, join(dir, 'rules.json'));
    const clear = Array.from(raw.keys()).filter((i) => raw[i]! < 0.1).map((i) => rules[i]!).sort((a, b) => a - b);
    expect(clear.length).toBeGreaterThan(1000);
    expect(clear[clear.length >> 1]!).toBeLessThanOrEqual(1.02);
    expect(clear.filter((m) => m <= 1.02).length / clear.length).toBeGreaterThanOrEqual(0.9);
  }, 60_000);
});
