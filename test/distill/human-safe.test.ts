// Issue 17, must-show 3: clear humans (raw or calibrated p_agent < 0.1) get markup <= 1.02 from the default rules,
// as `phantom serve --rules` prices them from rules.json, on the fixtures (300 sessions): features → train-classifier
// --cv 0 (kept fast; the rule reads raw and calibrated p alike) → distill. With --human-safe off some clear humans pay
// more — the check is not vacuous. 20,000 generated sessions: test/distill/generated.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RulesDocument } from '../../src/distill/index.js';
import { featureSpecs } from '../../src/features/registry.js';
import { predictProbabilities } from '../../src/models/calibration/model-probabilities.js';
import { predictTree } from '../../src/models/cart/index.js';
import { readClassifierModel } from '../../src/models/classifier/model-file.js';
import { modelMatrix } from '../../src/models/classifier/model-matrix.js';
import { readDataTable } from '../../src/models/dataset/data-table.js';
import { encodeTable } from '../../src/models/dataset/index.js';
import { parseRules } from '../../src/serve/rules.js';
import { phantom, ROOT } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'distill-human-safe-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function ok(args: string[]): string {
  const r = phantom(args);
  if (r.code !== 0) throw new Error(`phantom ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** The markup serve's rules loader gives every clear session of the table (raw or calibrated p < 0.1). */
async function clearMarkups(rulesPath: string, sessions: string, model: string): Promise<number[]> {
  const doc = JSON.parse(readFileSync(rulesPath, 'utf8')) as unknown;
  const rules = parseRules(doc, featureSpecs('default'), rulesPath);
  const table = await readDataTable(sessions);
  const markup = predictTree(rules.tree, encodeTable(table, rules.encoding));
  const m = await readClassifierModel(model);
  const { raw, probability } = predictProbabilities(m, modelMatrix(table, m.model, m.meta));
  return Array.from(markup).filter((_, i) => raw[i]! < 0.1 || probability[i]! < 0.1);
}

async function check(name: string, sessions: string, minClear: number): Promise<void> {
  const model = join(work, `${name}-model.json`);
  ok(['train-classifier', sessions, '-o', model, '--cv', '0', '-q']); // no CV: the test is about the rules, not the calibration
  const safe = JSON.parse(ok(['distill', model, sessions, '-o', join(work, `${name}-rules.json`), '--json', '-q'])) as RulesDocument;
  const off = JSON.parse(ok(['distill', model, sessions, '-o', join(work, `${name}-off.json`), '--human-safe', 'off', '--json', '-q'])) as RulesDocument;
  expect(off.humanSafe).toBeNull();

  const guarded = await clearMarkups(join(work, `${name}-rules.json`), sessions, model);
  const before = await clearMarkups(join(work, `${name}-off.json`), sessions, model);
  expect(guarded.length).toBeGreaterThanOrEqual(minClear);
  expect(Math.max(...guarded)).toBeLessThanOrEqual(1.02);
  expect(Math.max(...before)).toBeGreaterThan(1.02); // the property fails without the rule

  const h = safe.humanSafe!;
  expect(h).toMatchObject({ maxPAgent: 0.1, maxMarkup: 1.02, clearSessions: guarded.length });
  expect(h.maxClearMarkup!).toBeLessThanOrEqual(1.02);
  const cost = h.revenueCost!;
  expect(cost.total.guaranteedRules).toBeCloseTo(safe.revenue!.studentRevenue, 6);
  expect(cost.total.cost).toBeCloseTo(cost.total.fittedRules - cost.total.guaranteedRules, 6);
  expect(cost.agent!.cost + cost.human!.cost).toBeCloseTo(cost.total.cost, 6);
  expect(h.unguarded.clearOverBound).toBe(before.filter((m) => m > 1.02).length);
  expect(h.unguarded.rules).toBe(off.rules.length);
  expect(h.unguarded.heldOut).toBe(off.fidelity.heldOut!.r2);
  for (const r of safe.rules) if ((r.clearSessions ?? 0) > 0) expect(r.markup).toBeLessThanOrEqual(1.02);
}

describe('distill: the human-safe rules (default), as serve prices rules.json', () => {
  it('fixtures (300 sessions): every clear human gets markup <= 1.02', async () => {
    const sessions = join(work, 'fx.parquet');
    ok(['features', join(ROOT, 'fixtures/events.parquet'), '-o', sessions, '-q']);
    await check('fx', sessions, 150);
  }, 120_000);
});
