// The three commands as users run them (the real binary; needs dist/): tables and --json, the leakage
// warning, the --fail-under-auc gate (exit 4), usage errors (exit 2), figures, Parquet scores.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataTable } from '../../../src/models/dataset/index.js';
import { phantom, ROOT } from '../../support/cli.js';

const SESSIONS = join(ROOT, 'test/golden/classifier/sessions.csv');
const FAST = ['--param', 'n_estimators=40', '--param', 'eta=0.2'];

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'phantom-classifier-cli-'));
}

describe('phantom train-classifier', () => {
  it('prints metrics, importance and the audit; --json carries the same numbers; the model file holds the metadata', async () => {
    const dir = await tmp();
    const model = join(dir, 'model.json');
    const text = phantom(['train-classifier', SESSIONS, '--exclude', 'is_test', '-o', model, ...FAST]);
    expect(text.code, text.stderr).toBe(0);
    for (const s of ['ROC-AUC (95% CI, DeLong)', 'precision at 80% recall', 'confusion matrix', 'calibration (10 bins)', 'feature importance', 'leakage audit']) expect(text.stdout).toContain(s);
    const json = phantom(['train-classifier', SESSIONS, '--exclude', 'is_test', '-o', model, ...FAST, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.evaluation).toMatchObject({ scheme: 'stratified-k-fold', k: 5, repeats: 1, fits: expect.any(Array) });
    expect(r.evaluation.metrics.rocAuc).toBeGreaterThan(0.9);
    expect(r.importance.length).toBeLessThanOrEqual(20);
    expect(r.leakage.features.length).toBe(r.features.length);
    expect(r.features).not.toContain('is_test');
    const meta = JSON.parse(JSON.parse(await readFile(model, 'utf8')).learner.attributes.phantom);
    expect(meta).toMatchObject({ format: 'phantom.classifier', label: 'is_agent', excluded: ['is_test'], rounds: r.rounds, seed: 42 });
    expect(meta.evaluation.metrics.rocAuc).toBe(r.evaluation.metrics.rocAuc);
  });

  it('flags a planted copy of the label loudly (stderr, even with --quiet) and in --json', async () => {
    const dir = await tmp();
    const lines = readFileSync(SESSIONS, 'utf8').trim().split('\n');
    const label = lines[0]!.split(',').indexOf('is_agent');
    const planted = lines.map((l, i) => `${l},${i === 0 ? 'planted' : l.split(',')[label] === 'True' ? 1 : 0}`).join('\n');
    await writeFile(join(dir, 'planted.csv'), `${planted}\n`);
    const r = phantom(['train-classifier', join(dir, 'planted.csv'), '--exclude', 'is_test', '-o', join(dir, 'm.json'), ...FAST, '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/LEAKAGE: 'planted' alone separates the classes/);
    expect(JSON.parse(r.stdout).leakage.flagged).toContain('planted');
  });

  it('--fail-under-auc: exit 4 with the reason, after writing the model', async () => {
    const dir = await tmp();
    const r = phantom(['train-classifier', SESSIONS, '--exclude', 'is_test', '-o', join(dir, 'm.json'), ...FAST, '--fail-under-auc', '0.9999', '--quiet']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/ROC-AUC 0\.\d+ is below --fail-under-auc 0\.9999/);
    expect(await readdir(dir)).toContain('m.json');
    const ok = phantom(['train-classifier', SESSIONS, '--exclude', 'is_test', '-o', join(dir, 'm.json'), ...FAST, '--fail-under-auc', '0.5', '--quiet']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('the model file does not depend on --workers (folds on threads or in one thread)', async () => {
    const dir = await tmp();
    for (const w of ['1', '2', '3']) {
      const r = phantom(['train-classifier', SESSIONS, '--exclude', 'is_test', '-o', join(dir, `m${w}.json`), ...FAST, '--cv', '3', '--workers', w, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
    }
    const [one, two, three] = await Promise.all(['1', '2', '3'].map((w) => readFile(join(dir, `m${w}.json`), 'utf8')));
    expect(two).toBe(one);
    expect(three).toBe(one);
  });

  it('--test-size and --cv 0', async () => {
    const dir = await tmp();
    const h = phantom(['train-classifier', SESSIONS, '--exclude', 'is_test', '-o', join(dir, 'm.json'), ...FAST, '--test-size', '0.3', '--json']);
    expect(h.code, h.stderr).toBe(0);
    expect(JSON.parse(h.stdout).evaluation).toMatchObject({ scheme: 'holdout', testSize: 0.3 });
    const z = phantom(['train-classifier', SESSIONS, '--exclude', 'is_test', '-o', join(dir, 'm.json'), ...FAST, '--cv', '0', '--json']);
    expect(z.code, z.stderr).toBe(0);
    expect(JSON.parse(z.stdout)).toMatchObject({ evaluation: null, rounds: { final: 40, chosenBy: 'n_estimators' } });
  });

  it('usage errors exit 2 with a message naming the flag or column', async () => {
    const dir = await tmp();
    const o = ['-o', join(dir, 'm.json')];
    const cases: [string[], RegExp][] = [
      [['train-classifier', SESSIONS, ...o, '--cv', '3', '--test-size', '0.2'], /--cv and --test-size/],
      [['train-classifier', SESSIONS, ...o, '--cv', '1'], /--cv 1/],
      [['train-classifier', SESSIONS, ...o, '--cv', '0', '--threshold', 'youden'], /held-out/],
      [['train-classifier', SESSIONS, ...o, '--cv', '0', '--fail-under-auc', '0.9'], /--fail-under-auc needs an evaluation/],
      [['train-classifier', SESSIONS, ...o, '--param', 'max_dept=3'], /unknown parameter 'max_dept'/],
      [['train-classifier', SESSIONS, ...o, '--param', 'depth'], /--param takes key=value/],
      [['train-classifier', SESSIONS, ...o, '--label', 'bot'], /no label column 'bot'/],
      [['train-classifier', SESSIONS, ...o, '--exclude', 'is_tset'], /--exclude .*is_tset/],
      [['train-classifier', SESSIONS, ...o, '--threshold', '2'], /--threshold/],
      [['train-classifier', join(dir, 'none.csv'), ...o], /no such file/],
      [['evaluate', join(dir, 'none.json'), SESSIONS], /cannot read model/],
    ];
    for (const [args, message] of cases) {
      const r = phantom(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('phantom evaluate and predict', () => {
  it('evaluate: metrics, figures (SVG + PNG), a warning on the training data itself, the gate', async () => {
    const dir = await tmp();
    const model = join(dir, 'model.json');
    expect(phantom(['train-classifier', SESSIONS, '--exclude', 'is_test', '-o', model, ...FAST, '--threshold', 'f1', '--quiet']).code).toBe(0);
    const r = phantom(['evaluate', model, SESSIONS, '--plot', join(dir, 'plots'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ label: 'is_agent', trainedBy: 'phantom' });
    expect(out.metrics.threshold.rule).toMatch(/^0\.\d+/); // the model's stored F1 threshold, as a fixed probability
    expect(r.stderr).toMatch(/own training data/);
    const files = (await readdir(join(dir, 'plots'))).sort();
    expect(files).toEqual(['calibration.png', 'calibration.svg', 'pr.png', 'pr.svg', 'roc.png', 'roc.svg']);
    const roc = await readFile(join(dir, 'plots', 'roc.svg'), 'utf8');
    expect(roc).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(roc).toContain('data-series="ROC (AUC');
    const png = await readFile(join(dir, 'plots', 'roc.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const text = phantom(['evaluate', model, SESSIONS, '--threshold', 'youden', '--fail-under-auc', '0.99999']);
    expect(text.code).toBe(4);
    expect(text.stdout).toContain("max Youden's J");
  });

  it('predict: Parquet scores with ids, probability and decision; threshold from the flag', async () => {
    const dir = await tmp();
    const model = join(dir, 'model.json');
    expect(phantom(['train-classifier', SESSIONS, '--exclude', 'is_test', '-o', model, ...FAST, '--quiet']).code).toBe(0);
    const r = phantom(['predict', model, SESSIONS, '-o', join(dir, 'scores.parquet'), '--threshold', '0.7', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    const t = await readDataTable(join(dir, 'scores.parquet'));
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual([['sessionId', 'category'], ['probability', 'numeric'], ['predicted', 'numeric']]);
    expect(t.metadata['phantom.threshold']).toBe('0.7');
    const p = (t.columns[1] as { values: Float64Array }).values, d = (t.columns[2] as { values: Float64Array }).values;
    expect(Array.from(d)).toEqual(Array.from(p, (v) => (v >= 0.7 ? 1 : 0)));
    expect(summary.predictedPositive).toBe(d.reduce((s, v) => s + v, 0));
    expect(phantom(['predict', model, SESSIONS, '-o', join(dir, 'scores.txt')]).code).toBe(2);
  });
});
