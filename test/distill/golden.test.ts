// Command-level goldens (docs/distill.md): `phantom distill` on a tie-free session table grows the same tree as
// scikit-learn 1.2's DecisionTreeRegressor / DecisionTreeClassifier — same split features, thresholds
// (midpoints), leaf values and predictions. Golden: test/oracles/distill.py → test/golden/distill*.
// Runs the built binary (npx tsc -p . first).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRulesText } from '../../src/models/cart/index.js';
import { phantom, ROOT } from '../support/cli.js';

interface GoldenTree { left: number[]; right: number[]; feature: number[]; threshold: number[]; nSamples: number[]; value: number[]; classProba?: number[][] }
interface GoldenCase {
  name: 'column' | 'markup' | 'tiers'; kind: string; params: { maxDepth: number; minSamplesLeaf: number };
  tree: GoldenTree; predict: number[]; teacher?: number[]; leafMeanPAgent?: Record<string, number>;
}
interface Golden { producedBy: Record<string, string>; features: string[]; tiers: string; rows: number; pAgent: number[]; cases: GoldenCase[] }
interface TreeJson { kind: string; featureNames: string[]; nodes: { left: number[]; right: number[]; feature: number[]; threshold: (number | null)[]; value: number[]; nSamples: number[]; classProba: number[] } }
interface Rule { leaf: number; markup: number; samples: number; sessions: number; meanPAgent: number | null; tier?: number }
interface RulesJson { tree: TreeJson; rules: Rule[]; split: { trainRows: number; testRows: number }; student: { minSamplesLeaf: { used: number; scaled: boolean } }; data: { features: string[] } }

const golden = JSON.parse(readFileSync(join(ROOT, 'test/golden/distill.json'), 'utf8')) as Golden;
const dir = (name: string) => join(ROOT, 'test/golden/distill', name);
const work = mkdtempSync(join(tmpdir(), 'distill-golden-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(name: GoldenCase['name']): { doc: RulesJson; text: string } {
  const c = golden.cases.find((k) => k.name === name)!;
  const out = join(work, `${name}.json`);
  const common = ['--test-size', '0', '--max-depth', String(c.params.maxDepth), '--min-samples-leaf', String(c.params.minSamplesLeaf), '-o', out, '-q'];
  const args = name === 'column' ? ['distill', dir('sessions.csv'), '--target-column', 'score', ...common]
    : name === 'tiers' ? ['distill', dir('sessions.csv'), '--target-column', 'score', '--tiers', golden.tiers, ...common]
      // the plain CART against scikit-learn: the human-safe guard (on by default) grows the tree beyond what sklearn fits
      : ['distill', dir('agent-model.json'), dir('sessions.csv'), '--purchase-model', dir('purchase-model.json'), '--exclude', 'score', '--human-safe', 'off', ...common];
  const r = phantom(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { doc: JSON.parse(readFileSync(out, 'utf8')) as RulesJson, text: readFileSync(join(work, `${name}.txt`), 'utf8') };
}

describe.each(['column', 'markup', 'tiers'] as const)(`distill vs scikit-learn ${golden.producedBy.sklearn} (%s)`, (name) => {
  const c = golden.cases.find((k) => k.name === name)!;
  const { doc } = run(name);
  const nodes = doc.tree.nodes;
  // the markup case's targets come from phantom's scoring of xgboost's models (float32, as xgboost), so
  // its leaf means agree to 1e-9 too
  const valueTol = 1e-9;

  it('fits on every session with the requested, unscaled leaf size and the same features', () => {
    expect(doc.split).toMatchObject({ trainRows: golden.rows, testRows: 0 });
    expect(doc.student.minSamplesLeaf).toMatchObject({ used: c.params.minSamplesLeaf, scaled: false });
    expect(doc.data.features).toEqual(golden.features);
  });

  it('has the same structure, split features and thresholds', () => {
    expect(nodes.left).toEqual(c.tree.left);
    expect(nodes.right).toEqual(c.tree.right);
    expect(nodes.feature).toEqual(c.tree.feature.map((f) => (f < 0 ? -1 : f)));
    nodes.threshold.forEach((t, i) => {
      if (c.tree.feature[i]! < 0) expect(t).toBeNull();
      else expect(t).toBe(c.tree.threshold[i]);
    });
    expect(nodes.nSamples).toEqual(c.tree.nSamples);
  });

  it('has the same leaf values and predictions', () => {
    nodes.value.forEach((v, i) => {
      if (c.kind === 'regression') expect(Math.abs(v - c.tree.value[i]!)).toBeLessThanOrEqual(valueTol);
      else expect(v).toBe(c.tree.value[i]);
    });
    if (c.kind === 'classification') {
      const K = c.tree.classProba![0]!.length;
      c.tree.classProba!.forEach((row, i) => row.forEach((p, k) => expect(nodes.classProba[i * K + k]).toBeCloseTo(p, 12)));
    }
    // every session's prediction is its leaf's value: compare the rules' coverage to sklearn's predictions
    const byLeaf = new Map<number, number>();
    for (const p of c.predict) byLeaf.set(p, (byLeaf.get(p) ?? 0) + 1);
    const leaves = doc.rules.map((r) => (c.kind === 'regression' ? r.markup : r.tier!));
    for (const r of doc.rules) expect(r.sessions).toBe(r.samples); // all rows are training rows here
    if (c.kind === 'regression') {
      const counts = new Map<number, number>();
      doc.rules.forEach((r) => {
        const match = [...byLeaf.keys()].find((v) => Math.abs(v - r.markup) <= valueTol)!;
        counts.set(match, (counts.get(match) ?? 0) + r.sessions);
      });
      expect(counts).toEqual(byLeaf);
    } else {
      expect(new Set(leaves)).toEqual(new Set(byLeaf.keys()));
    }
  });

});

describe('distill with xgboost-trained teacher models', () => {
  const c = golden.cases.find((k) => k.name === 'markup')!;
  const { doc, text } = run('markup');

  it('reports the mean p_agent per leaf as xgboost scores it', () => {
    for (const r of doc.rules) expect(Math.abs(r.meanPAgent! - c.leafMeanPAgent![String(r.leaf)]!)).toBeLessThanOrEqual(1e-9);
    expect(parseRulesText(text).map((p) => p.aux?.name)).toEqual(doc.rules.map(() => 'p_agent'));
  });
});
