// Must-show 4 of issue 16: grouped cross-validation never puts a group on both sides (property test over
// seeded random labels and groups), per-group metrics equal a hand computation, leave-one-group-out holds
// out exactly one group per fit, and `--group-by` runs end to end on the real binary.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  behaviourOnlyAuc, leaveOneGroupOutPlan, metricsByGroup, planGroupFolds, rowGroups, trainClassifier,
} from '../../../src/models/classifier/index.js';
import { encodedNames, fitEncoding } from '../../../src/models/dataset/index.js';
import type { FeatureMatrix } from '../../../src/models/gbdt/matrix.js';
import { createRng } from '../../../src/stats/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-grouped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stratified group k-fold', () => {
  it('no group on both sides, every row tested once, train and test partition the rows (200 random cases)', () => {
    const gen = createRng(2026);
    for (let trial = 0; trial < 200; trial++) {
      const n = 20 + gen.int(300);
      const nGroups = 2 + gen.int(40);
      const k = 2 + gen.int(Math.min(9, nGroups - 1));
      const groups = Int32Array.from({ length: n }, () => gen.int(nGroups));
      // make the group codes dense (some codes may be unused): relabel by first appearance
      const dense = rowGroups(Array.from(groups, String));
      const y = Uint8Array.from({ length: n }, (_, i) => (i < 2 ? i : gen.next() < 0.3 ? 1 : 0));
      if (dense.names.length < k) continue;
      const plan = planGroupFolds(y, dense.codes, k, createRng(trial));
      expect(plan.folds.length).toBe(k);
      const testedIn = new Int32Array(n).fill(-1);
      const problems: string[] = [];
      for (const f of plan.folds) {
        const testGroups = new Set(Array.from(f.test, (i) => dense.codes[i]!));
        for (const i of f.train) if (testGroups.has(dense.codes[i]!)) problems.push(`group ${dense.codes[i]} on both sides of fold ${f.fold}`);
        if (f.train.length + f.test.length !== n) problems.push(`fold ${f.fold} has ${f.train.length} + ${f.test.length} rows`);
        for (const i of f.test) {
          if (testedIn[i] !== -1) problems.push(`row ${i} tested twice`);
          testedIn[i] = f.fold;
        }
      }
      if (!testedIn.every((f) => f >= 0)) problems.push('a row never tested');
      expect(problems, `trial ${trial}`).toEqual([]);
    }
  });

  it('balances the classes across folds when groups are small (each fold within 10 points of the overall agent share)', () => {
    const n = 1000;
    const groups = Int32Array.from({ length: n }, (_, i) => i % 100);
    const y = Uint8Array.from({ length: n }, (_, i) => ((i * 7919) % 10 < 3 ? 1 : 0));
    const plan = planGroupFolds(y, groups, 5, createRng(1));
    for (const f of plan.folds) {
      const share = Array.from(f.test, (i) => y[i]!).reduce((a: number, b) => a + b, 0) / f.test.length;
      expect(Math.abs(share - 0.3)).toBeLessThan(0.1);
    }
  });

  it('refuses fewer groups than folds with a usable message', () => {
    expect(() => planGroupFolds(Uint8Array.of(0, 1, 0, 1), Int32Array.of(0, 0, 1, 1), 5, createRng(1))).toThrow(/2 groups, fewer than --cv 5: lower --cv to at most 2/);
  });

  it('leave-one-group-out holds out exactly one whole group per fold', () => {
    const g = rowGroups(['a', 'b', null, 'a', 'c', null]);
    expect(g.names).toEqual(['a', 'b', '(null)', 'c']);
    const plan = leaveOneGroupOutPlan(g.codes);
    expect(plan.folds.map((f) => Array.from(f.test))).toEqual([[0, 3], [1], [2, 5], [4]]);
    expect(plan.folds.map((f) => Array.from(f.train))).toEqual([[1, 2, 4, 5], [0, 2, 3, 4, 5], [0, 1, 3, 4], [0, 1, 2, 3, 5]]);
  });
});

describe('per-group metrics', () => {
  it('equal a hand computation at threshold 0.5 (rows with no held-out prediction skipped)', () => {
    const y = [1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1];
    const p = [0.9, 0.4, 0.2, 0.6, 0.8, 0.1, 0.7, 0.3, 0.55, 0.2, NaN];
    const rows = metricsByGroup(y, p, rowGroups(['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c', 'd', 'd', 'a']), 0.5);
    expect(rows).toEqual([
      // a: positives .9 .4, negatives .2 .6 → pairs won 3 of 4; flagged .9 .6: one true positive, one false positive
      { group: 'a', n: 4, positives: 2, negatives: 2, auc: 0.75, flagged: 2, recall: 0.5, specificity: 0.5, precision: 0.5 },
      { group: 'b', n: 2, positives: 1, negatives: 1, auc: 1, flagged: 1, recall: 1, specificity: 1, precision: 1 },
      { group: 'c', n: 2, positives: 1, negatives: 1, auc: 1, flagged: 1, recall: 1, specificity: 1, precision: 1 },
      // d: no agents → no AUC or recall; .55 is a false positive
      { group: 'd', n: 2, positives: 0, negatives: 2, auc: null, flagged: 1, recall: null, specificity: 0.5, precision: 0 },
    ]);
  });
});

function toyData(n: number, seed: number): { X: FeatureMatrix; y: Uint8Array; site: string[] } {
  const rng = createRng(seed);
  const y = new Uint8Array(n), values = new Float64Array(n * 3), site: string[] = [];
  for (let i = 0; i < n; i++) {
    y[i] = i % 3 === 0 ? 1 : 0;
    values[i * 3] = rng.normal() + 1.2 * y[i]!;
    values[i * 3 + 1] = rng.normal();
    values[i * 3 + 2] = y[i] ? rng.int(6) : 9 + rng.int(9); // session_start_hour, planted
    site.push(`site-${i % 6}`);
  }
  return { X: { nRows: n, nCols: 3, values, featureNames: ['gap_cv', 'noise', 'session_start_hour'] }, y, site };
}

describe('behaviour-only AUC', () => {
  it('is exactly the AUC trainClassifier reports on the matrix without the context columns (same folds and seeds), grouped or not', async () => {
    const { X, y, site } = toyData(240, 3);
    const noHour: FeatureMatrix = { nRows: X.nRows, nCols: 2, values: Float64Array.from({ length: X.nRows * 2 }, (_, j) => X.values[Math.floor(j / 2) * 3 + (j % 2)]!), featureNames: ['gap_cv', 'noise'] };
    const plain = await trainClassifier(noHour, y, { cv: 4, rng: createRng(9) });
    const b = await behaviourOnlyAuc(X, y, { cv: 4, seed: 9 }, NaN);
    expect(b.excluded).toEqual(['session_start_hour']);
    expect(b.auc).toBe(plain.evaluation!.metrics.rocAuc);
    const groups = rowGroups(site).codes;
    const foldPlan = (rng: ReturnType<typeof createRng>) => planGroupFolds(y, groups, 3, rng);
    const grouped = await trainClassifier(noHour, y, { cv: 3, foldPlan, rng: createRng(9) });
    expect(grouped.evaluation!.scheme).toBe('stratified-group-k-fold');
    expect((await behaviourOnlyAuc(X, y, { foldPlan, seed: 9 }, NaN)).auc).toBe(grouped.evaluation!.metrics.rocAuc);
  }, 60_000);
});

describe('pass-through label columns', () => {
  it('a column sessions.parquet lists under phantom.label_columns (kind) is never a feature, so --recall-by kind cannot leak', () => {
    const table = {
      nRows: 3, metadata: { 'phantom.label_columns': '["kind"]' }, skipped: [],
      columns: [
        { name: 'is_agent', kind: 'numeric' as const, values: Float64Array.of(0, 1, 1), boolean: true },
        { name: 'gap_cv', kind: 'numeric' as const, values: Float64Array.of(0.1, 0.2, 0.3), boolean: false },
        { name: 'kind', kind: 'category' as const, codes: Int32Array.of(0, 1, 2), dict: ['human', 'crawler', 'scraper'] },
      ],
    };
    expect(encodedNames(fitEncoding(table, { label: 'is_agent' }).encoding)).toEqual(['gap_cv']);
    expect(encodedNames(fitEncoding({ ...table, metadata: {} }, { label: 'is_agent' }).encoding)).toContain('kind=crawler');
  });
});

describe('train-classifier --group-by / --recall-by (real binary)', () => {
  it('reports grouped CV, per-site metrics, a leave-one-site-out table and recall per kind; site and kind are not features', () => {
    const { X, y, site } = toyData(180, 5);
    const lines = ['sessionId,is_agent,gap_cv,noise,site,kind'];
    for (let i = 0; i < X.nRows; i++) lines.push(`s${i},${y[i]},${X.values[i * 3]!.toFixed(5)},${X.values[i * 3 + 1]!.toFixed(5)},${site[i]},${y[i] ? (i % 2 ? 'scraper' : 'crawler') : 'human'}`);
    const csv = join(dir, 'sites.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const r = spawnSync('node', ['bin/phantom.js', 'train-classifier', csv, '-o', join(dir, 'm.json'), '--group-by', 'site', '--recall-by', 'kind', '--cv', '3', '--json', '-w', '2'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.features).toEqual(['gap_cv', 'noise']);
    expect(out.excluded).toEqual(['kind']); // site is never a feature (like sessionId)
    expect(out.evaluation.scheme).toBe('stratified-group-k-fold');
    expect(out.grouped.column).toBe('site');
    expect(out.grouped.perGroup.map((g: { group: string }) => g.group).sort()).toEqual(['site-0', 'site-1', 'site-2', 'site-3', 'site-4', 'site-5']);
    expect(out.grouped.leaveOneGroupOut.rows).toHaveLength(6);
    expect(out.grouped.leaveOneGroupOut.pooledAuc).toBeGreaterThan(0.6);
    const kinds = Object.fromEntries(out.recallBy[0].rows.map((k: { group: string; recall: number | null; positives: number }) => [k.group, k]));
    expect(kinds.human.positives).toBe(0);
    expect(kinds.human.recall).toBeNull();
    expect(kinds.scraper.positives + kinds.crawler.positives).toBe(60);
    expect(out.behaviourOnly.note).toMatch(/no context feature/);
    // the one informative column carries most of the gain: named, though it is behaviour (no context warning)
    expect(out.warnings.map((w: { code: string; feature: string }) => `${w.code} ${w.feature}`)).toEqual(['dominant-feature gap_cv']);
    const bad = spawnSync('node', ['bin/phantom.js', 'train-classifier', csv, '-o', join(dir, 'm2.json'), '--group-by', 'region'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--group-by region: the data has no column 'region'/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
