// End to end on generated sessions (docs/distill.md, issue 7 "must show" 2): generate → features → train-classifier
// → distill with the defaults (depth 5, 50 sessions per leaf). The rules reach R² >= 0.9 against the
// teacher markup on held-out sessions, rules.txt parses back into exactly the rules of rules.json, and
// every JSON rule, applied by hand to the sessions table, covers the sessions and mean p_agent it claims.
// Issue 17 must-show 3 on the same sessions: clear humans (raw p_agent < 0.1; the model has no calibrator with
// --cv 0, so raw = calibrated) get markup <= 1.02 from the default rules as serve prices them, and the guard
// fitted on the training sessions alone keeps held-out clear humans at 1.02 but for a handful (docs/distill.md).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistilledRule, RulesDocument } from '../../src/distill/index.js';
import { featureSpecs } from '../../src/features/registry.js';
import { holdoutSplit } from '../../src/distill/holdout.js';
import { readClassifierModel } from '../../src/models/classifier/model-file.js';
import { modelMatrix } from '../../src/models/classifier/model-matrix.js';
import { formatNumber, parseRulesText, predictTree, treeFromJson } from '../../src/models/cart/index.js';
import { columnOf, readDataTable, type DataTable } from '../../src/models/dataset/data-table.js';
import { encodeTable } from '../../src/models/dataset/index.js';
import { createRng } from '../../src/stats/rng.js';
import { predictBooster } from '../../src/models/gbdt/model.js';
import { parseRules } from '../../src/serve/rules.js';
import { phantom } from '../support/cli.js';

const SESSIONS = 20_000;
const work = mkdtempSync(join(tmpdir(), 'distill-generated-'));
const at = (name: string) => join(work, name);
let doc: RulesDocument;
let text: string;
let stdout: string;
let table: DataTable;
let pAgent: Float64Array;

function ok(args: string[]): string {
  const r = phantom(args);
  if (r.code !== 0) throw new Error(`phantom ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** The value of a rules feature (a column, or `column=level` one-hot) for one session, NaN = missing. */
function featureValue(name: string, row: number): number {
  const col = columnOf(table, name);
  if (col?.kind === 'numeric') return col.values[row]!;
  const eq = name.indexOf('=');
  const cat = columnOf(table, name.slice(0, eq));
  if (cat?.kind !== 'category') throw new Error(`no column for rules feature ${name}`);
  const code = cat.codes[row]!;
  return code < 0 ? NaN : cat.dict[code] === name.slice(eq + 1) ? 1 : 0;
}

function satisfies(rule: DistilledRule, row: number): boolean {
  return rule.conditions.every((c) => {
    const x = featureValue(c.feature, row);
    if (x !== x) return c.orMissing;
    return c.op === '<=' ? x <= c.threshold : x > c.threshold;
  });
}

beforeAll(async () => {
  ok(['generate', '-n', String(SESSIONS), '--seed', '5', '-o', at('events.parquet'), '-q']);
  ok(['features', at('events.parquet'), '-o', at('sessions.parquet'), '-q']);
  ok(['train-classifier', at('sessions.parquet'), '-o', at('model.json'), '--cv', '0', '-q']);
  stdout = ok(['distill', at('model.json'), at('sessions.parquet'), '-o', at('rules.json'), '--json', '-q']);
  doc = JSON.parse(readFileSync(at('rules.json'), 'utf8')) as RulesDocument;
  text = readFileSync(at('rules.txt'), 'utf8');
  table = await readDataTable(at('sessions.parquet'));
  const { model, meta } = await readClassifierModel(at('model.json'));
  pAgent = predictBooster(model, modelMatrix(table, model, meta));
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe(`distill on ${SESSIONS} generated sessions`, () => {
  it('fits a depth-5 regression tree with 50 sessions per leaf on 80% and reaches held-out R² >= 0.9', () => {
    expect(doc.mode).toBe('regression');
    expect(doc.student.params).toMatchObject({ maxDepth: 5, minSamplesLeaf: 50 });
    expect(doc.student.minSamplesLeaf.scaled).toBe(false);
    expect(doc.student.depth).toBeGreaterThanOrEqual(5); // deeper only under the rules the human-safe guard grew
    expect(doc.split).toEqual({ testSize: 0.2, trainRows: 16_000, testRows: 4_000, leftOutRows: 0 });
    expect(doc.fidelity.heldOut!.r2!).toBeGreaterThanOrEqual(0.9);
    expect(doc.fidelity.heldOut!.mae!).toBeLessThan(0.05);
    expect(doc.teacher).toMatchObject({ kind: 'markup', coefficients: { a: 0.5, b: 0.3, lo: 0.7, hi: 1.5 } });
    expect(doc.teacher.pPurchase).toMatchObject({ source: 'fitted', label: 'purchased', excluded: [] });
    expect(doc.data.features).not.toContain('purchases');
    expect(doc.humanSafe!.unguarded.heldOut!).toBeGreaterThanOrEqual(0.9); // the fitted depth-5 tree on its own, too
    for (const r of doc.rules) {
      if (r.guard === undefined) expect(r.samples).toBeGreaterThanOrEqual(50); // guarded rules may isolate a few clear humans
      expect(r.markup).toBeGreaterThanOrEqual(0.7);
      expect(r.markup).toBeLessThanOrEqual(1.5);
    }
  });

  it('prints on stdout with --json what it wrote to rules.json', () => {
    const { outputs, ...printed } = JSON.parse(stdout) as RulesDocument & { outputs: unknown };
    expect(printed).toEqual(doc);
    expect(outputs).toEqual({ json: at('rules.json'), text: at('rules.txt') });
  });

  it('rules.txt parses back into exactly the rules of rules.json, to the printed digits', () => {
    const parsed = parseRulesText(text);
    const f = (x: number) => Number(formatNumber(x, doc.text.decimals));
    expect(parsed).toHaveLength(doc.rules.length);
    parsed.forEach((p, k) => {
      const r = doc.rules[k]!;
      expect(p.value).toBe(f(r.markup));
      expect(p.samples).toBe(r.samples);
      expect(p.aux).toEqual({ name: 'p_agent', value: f(r.meanPAgent!) });
      expect(p.conditions.map((c) => [c.feature, c.op, c.threshold, c.orMissing]))
        .toEqual(r.conditions.map((c) => [c.feature, c.op, f(c.threshold), c.orMissing]));
    });
  });

  it('every JSON rule, applied by hand, covers the sessions and mean p_agent it states; each session meets one rule', () => {
    const count = new Float64Array(doc.rules.length), sum = new Float64Array(doc.rules.length);
    for (let row = 0; row < table.nRows; row++) {
      const hits = doc.rules.map((r, k) => (satisfies(r, row) ? k : -1)).filter((k) => k >= 0);
      expect(hits).toHaveLength(1);
      count[hits[0]!]! += 1;
      sum[hits[0]!]! += pAgent[row]!;
    }
    doc.rules.forEach((r, k) => {
      expect(r.sessions).toBe(count[k]);
      expect(Math.abs(r.meanPAgent! - sum[k]! / count[k]!)).toBeLessThan(1e-9);
    });
  });

  it('the stored tree gives each rule its markup, and phantom serve --rules loads the file', () => {
    const tree = treeFromJson(doc.tree);
    doc.rules.forEach((r) => expect(tree.value[r.leaf]).toBe(r.markup));
    const rules = parseRules(doc, featureSpecs('default'), 'rules.json');
    expect(rules.tiers).toBeNull();
    expect(rules.tree.featureNames).toEqual(doc.data.features);
    expect(rules.encoding).toEqual(doc.encoding); // the stored encoding, not one rebuilt from the names
    const X = { nRows: 1, nCols: tree.featureNames.length, values: new Float64Array(tree.featureNames.length), featureNames: tree.featureNames };
    tree.featureNames.forEach((name, j) => { X.values[j] = featureValue(name, 0); });
    const rule0 = doc.rules.find((r) => satisfies(r, 0))!;
    expect(predictTree(tree, X)[0]).toBe(rule0.markup);
  });

  it('issue 17: every clear human (raw p_agent < 0.1) gets markup <= 1.02 from the rules as serve prices them; held out too', () => {
    const h = doc.humanSafe!;
    expect(h).toMatchObject({ method: 'guard', maxPAgent: 0.1, maxMarkup: 1.02 });
    const rules = parseRules(doc, featureSpecs('default'), 'rules.json');
    const markup = predictTree(rules.tree, encodeTable(table, rules.encoding));
    const clear = Int32Array.from({ length: table.nRows }, (_, i) => i).filter((i) => pAgent[i]! < 0.1);
    expect(clear.length).toBe(h.clearSessions);
    expect(clear.length).toBeGreaterThan(10_000);
    expect(Math.max(...Array.from(clear, (i) => markup[i]!))).toBeLessThanOrEqual(1.02);
    expect(h.maxClearMarkup!).toBeLessThanOrEqual(1.02);
    for (const r of doc.rules) if (r.clearSessions! > 0) expect(r.markup).toBeLessThanOrEqual(1.02);
    // not vacuous: the fitted tree alone charges hundreds of them more, up to an agent's markup
    expect(h.unguarded.clearOverBound).toBeGreaterThan(300);
    expect(h.unguarded.maxClearMarkup!).toBeGreaterThan(1.4);
    // held out, honestly: the guard fitted on the training sessions only, before the table pass (seed derivation of rules.json)
    const root = createRng(doc.seeds.seed);
    root.fork();
    const split = holdoutSplit(table.nRows, doc.split.testSize, root.fork().fork());
    const heldClear = Array.from(split.test).filter((i) => pAgent[i]! < 0.1).length;
    const c = h.heldOutCheck!;
    expect(c.clearSessions).toBe(heldClear);
    expect(c.overBound / c.clearSessions).toBeLessThan(0.005); // 3 of 2,564 on this seed
    expect(c.r2!).toBeGreaterThanOrEqual(0.9);
    expect(h.guardedRules.table).toBeLessThanOrEqual(c.overBound); // the table pass grows only the rules they reach
    expect(doc.rules.length).toBeLessThanOrEqual(60); // readable: 51 on this seed, 26 without the guard
  });

  it('reports the revenue impact on avg_price_seen, by class', () => {
    const rev = doc.revenue!;
    expect(rev).toMatchObject({ priceColumn: 'avg_price_seen', basis: 'purchased sessions' });
    expect(rev.byClass!.human.sessions + rev.byClass!.agent.sessions).toBe(rev.sessions);
    expect(rev.byClass!.agent.teacherChange!).toBeGreaterThan(0);
    expect(rev.studentRevenue).toBeCloseTo(rev.byClass!.human.studentRevenue + rev.byClass!.agent.studentRevenue, 6);
  });
});
