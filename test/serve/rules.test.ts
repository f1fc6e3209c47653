// The `rules` policy prices every fixture session with the markup of the rules.json leaf its batch
// features satisfy: rules from `phantom distill` (regression and --tiers), evaluated here condition by
// condition from rules.json's `rules` list — an independent reading of the same file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import { rowAt } from '../../src/events/table.js';
import { readDataTable, type DataTable } from '../../src/models/dataset/index.js';
import { loadModels } from '../../src/serve/load-models.js';
import { phantom, ROOT } from '../support/cli.js';
import { call, startApp } from './app-fixture.js';

const EVENTS = join(ROOT, 'fixtures/events.parquet');

interface Rule { conditions: { feature: string; op: '<=' | '>'; threshold: number; orMissing: boolean }[]; markup: number }

/** Value of an encoded column for row r: a numeric feature, or 1/0 for `<category>=<level>` (NaN when null). */
function value(t: DataTable, name: string, r: number): number {
  const direct = t.columns.find((c) => c.name === name);
  if (direct?.kind === 'numeric') return direct.values[r]!;
  const eq = name.indexOf('=');
  const cat = t.columns.find((c) => c.name === name.slice(0, eq));
  if (cat?.kind !== 'category') throw new Error(`no column for ${name}`);
  const code = cat.codes[r]!;
  return code < 0 ? NaN : cat.dict[code] === name.slice(eq + 1) ? 1 : 0;
}

function expectedMarkup(rules: Rule[], t: DataTable, r: number): number {
  const hits = rules.filter((rule) => rule.conditions.every((c) => {
    const v = value(t, c.feature, r);
    if (Number.isNaN(v)) return c.orMissing;
    return c.op === '<=' ? v <= c.threshold : v > c.threshold;
  }));
  if (hits.length !== 1) throw new Error(`row ${r} satisfies ${hits.length} rules`);
  return hits[0]!.markup;
}

describe('serve --policy rules (rules.json from phantom distill)', () => {
  let dir: string;
  let sessions: DataTable;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'phantom-serve-rules-'));
    const ok = (args: string[]): void => {
      const r = phantom([...args, '--quiet']);
      if (r.code !== 0) throw new Error(`phantom ${args[0]}: ${r.stderr}`);
    };
    ok(['features', EVENTS, '-o', join(dir, 'sessions.parquet')]);
    ok(['train-classifier', join(dir, 'sessions.parquet'), '-o', join(dir, 'model.json'), '--cv', '0']);
    ok(['distill', join(dir, 'model.json'), join(dir, 'sessions.parquet'), '-o', join(dir, 'rules.json'), '--max-depth', '4', '--min-samples-leaf', '10']);
    ok(['distill', join(dir, 'model.json'), join(dir, 'sessions.parquet'), '-o', join(dir, 'tiers.json'), '--tiers', '0.4:1.1,0.7:1.3', '--max-depth', '3', '--min-samples-leaf', '10']);
    sessions = await readDataTable(join(dir, 'sessions.parquet'));
  }, 120_000);
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const file of ['rules.json', 'tiers.json']) {
    it(`prices each fixture session with the markup of its leaf in ${file}`, async () => {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { rules: Rule[]; tiers: unknown };
      expect(doc.rules.length).toBeGreaterThan(1);
      const s = await startApp({ policy: 'rules' }, await loadModels({ model: join(dir, 'model.json'), kernels: null, rules: join(dir, file), temperature: 1 }));
      try {
        const events = await readEventsParquet(EVENTS);
        const batches = new Map<string, unknown[]>();
        for (let i = 0; i < events.length; i++) {
          const row = rowAt(events, i);
          if (!batches.has(row.sessionId)) batches.set(row.sessionId, []);
          batches.get(row.sessionId)!.push({ ...row, metadata: row.metadata === null ? null : JSON.parse(row.metadata) });
        }
        for (const [, batch] of batches) expect((await call(s.port, 'POST', '/v1/events', batch)).status).toBe(202);
        const ids = sessions.columns.find((c) => c.name === 'sessionId')!;
        const markups = new Set<number>();
        for (let r = 0; r < sessions.nRows; r++) {
          const id = ids.kind === 'category' ? ids.dict[ids.codes[r]!]! : '';
          const p = await call(s.port, 'POST', '/v1/price', { sessionId: id, productId: 'p1', basePrice: 200 });
          expect(p.status).toBe(200);
          expect(p.body.policy).toBe('rules');
          expect(p.body.markup).toBe(expectedMarkup(doc.rules, sessions, r));
          expect(p.body.price).toBeCloseTo(200 * p.body.markup, 9);
          markups.add(p.body.markup);
        }
        expect(markups.size).toBeGreaterThan(1);
        const unknown = await call(s.port, 'POST', '/v1/price', { sessionId: 'never-seen', basePrice: 10 });
        expect(unknown.body).toMatchObject({ markup: 1, fallback: 'unknown_session', agentProbability: null });
      } finally {
        await s.app.shutdown();
      }
    });
  }
});
