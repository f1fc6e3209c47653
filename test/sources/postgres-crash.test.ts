/**
 * The server dying mid-read: the reader must end with a SourceFailed that names the server (never the
 * password) and counts the rows it delivered — not hang, not end quietly as if the table were done.
 * Its own file because killing the server ends it for every later test.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readPostgres } from '../../src/sources/postgres.js';
import { SourceFailed } from '../../src/sources/source-failed.js';
import { describePostgres, startPostgres, type TestPostgres } from '../support/postgres.js';

const ROWS = 50_000;

async function readUntilFailure(url: string, table: string, atBatch: number, fault: () => Promise<void> | void, readTimeoutMs?: number): Promise<{ rows: number; err: unknown }> {
  let rows = 0;
  let batches = 0;
  try {
    for await (const batch of readPostgres({ databaseUrl: url, table, batchSize: 1000, readTimeoutMs, connectTimeoutMs: 2000 })) {
      rows += batch.length;
      if (++batches === atBatch) await fault();
    }
  } catch (err) {
    return { rows, err };
  }
  return { rows, err: null };
}

describePostgres('postgres source when the server dies', () => {
  let pg: TestPostgres;
  let table: string;

  beforeAll(async () => {
    pg = await startPostgres();
    table = pg.tableName('crash');
    await pg.sql(`CREATE TABLE ${table} (id bigint PRIMARY KEY, session_id text, event_name text, ts timestamptz)`);
    await pg.sql(`INSERT INTO ${table} SELECT g, 's' || (g / 10), 'page_view', now() FROM generate_series(1, ${ROWS}) g`);
  });

  afterAll(async () => {
    if (!pg) return;
    if (pg.external) await pg.sql(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pg.stop();
  });

  // works on any server, DATABASE_URL included: the backend serving the read is shut down by an admin
  it('fails clearly when its backend is terminated mid-read', async () => {
    const { rows, err } = await readUntilFailure(pg.url, table, 3, async () => {
      await pg.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'phantom' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`, [table]);
    });
    expect(rows).toBeGreaterThanOrEqual(3000);
    expect(rows).toBeLessThan(ROWS);
    expect(err).toBeInstanceOf(SourceFailed);
    const failed = err as SourceFailed;
    expect(failed.exitCode).toBe(1);
    expect(failed.rowsDelivered).toBe(rows);
    expect(failed.message).toMatch(/^Postgres at [^ ]+:\d+\/\S+ failed while reading crash_\S+ after \d+ rows: .*terminat.*; the read is incomplete/);
    expect(failed.message).not.toContain(decodeURIComponent(new URL(pg.url).password));
  });

  it('gives up on a server that stops answering mid-read (read timeout), and on connecting to it', async (ctx) => {
    if (pg.external) ctx.skip(); // freeze() needs the embedded server
    let thaw: () => void = () => undefined;
    try {
      const { rows, err } = await readUntilFailure(pg.url, table, 2, () => void (thaw = pg.freeze()), 1500);
      // the batch read ahead before the freeze may still arrive
      expect([2000, 3000]).toContain(rows);
      expect(err).toBeInstanceOf(SourceFailed);
      expect((err as SourceFailed).rowsDelivered).toBe(rows);
      expect((err as Error).message).toMatch(new RegExp(`failed while reading crash_\\S+ after ${rows} rows: no answer for 2 s; the read is incomplete`));
      const connect = await readUntilFailure(pg.url, table, -1, () => undefined);
      expect(connect.rows).toBe(0);
      expect((connect.err as Error).message).toMatch(/^cannot connect to Postgres at 127\.0\.0\.1:\d+\/postgres: .*timeout/i);
    } finally {
      thaw();
    }
  }, 30_000);

  it('fails clearly, without hanging, when the server is killed mid-read', async (ctx) => {
    if (pg.external) ctx.skip(); // kill() needs the embedded server
    const { rows, err } = await readUntilFailure(pg.url, table, 2, () => pg.kill());
    expect(rows).toBeGreaterThanOrEqual(2000);
    expect(rows).toBeLessThan(ROWS);
    expect(err).toBeInstanceOf(SourceFailed);
    expect((err as SourceFailed).rowsDelivered).toBe(rows);
    expect((err as Error).message).toMatch(/^Postgres at 127\.0\.0\.1:\d+\/postgres failed while reading crash_\S+ after \d+ rows: /);
    expect((err as Error).message).not.toContain(decodeURIComponent(new URL(pg.url).password));

    // and a new read against the dead server is a usage-level connection error, not a hang
    const again = await readUntilFailure(pg.url, table, -1, () => undefined);
    expect(again.rows).toBe(0);
    expect((again.err as Error).message).toMatch(/^cannot connect to Postgres at 127\.0\.0\.1:\d+\/postgres: (connection refused|connection lost)/);
  }, 30_000);
});
