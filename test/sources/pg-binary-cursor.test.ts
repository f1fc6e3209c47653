/**
 * The binary-format cursor against a real PostgreSQL 17, with pg-cursor's text rows as the oracle: the same
 * SELECT read both ways on phantom's client gives the same rows for every type the binary cursor decodes
 * (edge values, unicode, values longer than its repeat cache, rows larger than a socket chunk, values that
 * repeat and stop repeating), and a server error or notice in the middle of a read reaches the caller and
 * leaves the client usable.
 */
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BinaryCursor, binaryDecoders } from '../../src/sources/pg-binary-cursor.js';
import { closeClient, connectClient, resolveDatabaseUrl } from '../../src/sources/pg-connection.js';
import { RowCursor } from '../../src/sources/pg-row-cursor.js';
import { describePostgres, startPostgres, type TestPostgres } from '../support/postgres.js';

interface Reader {
  read(rows: number): Promise<unknown[][]>;
}

async function readAll(client: pg.Client, sql: string, values: number[], binary: boolean, batch: number): Promise<{ rows: unknown[][]; batches: number[] }> {
  const fields = (await client.query({ text: `${sql} LIMIT 0`, values })).fields;
  const decoders = binaryDecoders(fields);
  if (binary && decoders === null) throw new Error('no binary decoders for this result');
  const cursor: Reader = client.query(binary ? new BinaryCursor(sql, values, decoders!) : new RowCursor(sql, values));
  const rows: unknown[][] = [];
  const batches: number[] = [];
  for (let b = await cursor.read(batch); b.length > 0; b = await cursor.read(batch)) {
    batches.push(b.length);
    rows.push(...b);
  }
  return { rows, batches };
}

async function failedRead(client: pg.Client, sql: string, binary: boolean): Promise<{ rows: number; err: { code?: string; message: string } }> {
  let rows = 0;
  try {
    rows = -1;
    const fields = (await client.query(`${sql} LIMIT 0`)).fields;
    const cursor: Reader = client.query(binary ? new BinaryCursor(sql, [], binaryDecoders(fields)!) : new RowCursor(sql, []));
    rows = 0;
    for (let b = await cursor.read(1000); b.length > 0; b = await cursor.read(1000)) rows += b.length;
  } catch (err) {
    return { rows, err: err as { code?: string; message: string } };
  }
  throw new Error('expected the read to fail');
}

describePostgres('binary cursor', () => {
  let pg: TestPostgres;
  let client: pg.Client;
  let table: string;

  beforeAll(async () => {
    pg = await startPostgres();
    table = pg.tableName('binrows');
    await pg.sql(`CREATE TABLE ${table} (id bigint PRIMARY KEY, t text, v varchar, f float8, b boolean, i8 bigint, i4 int, i2 smallint, j json, jb jsonb)`);
    await pg.sql(`INSERT INTO ${table} VALUES
      (1, '', '', 0, true, 9007199254740993, 2147483647, 32767, '{"a": 1, "a": 2, "x" : [1.0, 1e400]}', '{"b": {"c": [null, "é\\u20acx"]}, "a": 1.50}'),
      (2, 'Zürich ☕ 𝄞 日本', 'ünï', -0, false, -9223372036854775808, -2147483648, -32768, 'null', '"just a string"'),
      (3, repeat('long é', 60), repeat('x', 400), 'NaN', NULL, 9223372036854775807, 0, 0, '[]', '[1, 2.5, -0, 1e-7]'),
      (4, NULL, NULL, 'Infinity', true, 0, NULL, NULL, NULL, NULL),
      (5, 'tab\tnew\nline "q" \\', 'v', '-Infinity', false, -1, 1, 1, '{"deep": {"deeper": {"deepest": true}}}', '{}'),
      (6, 'same', 'v', 1e308, true, 4503599627370496, 7, 7, '1', '12345678901234567890'),
      (7, 'same', 'v', 5e-324, true, -9007199254740991, 7, 7, '0.1', '{"price": 0.1}'),
      (8, 'same', 'w', 0.1, false, 123, 7, 7, '"s"', 'true')`);
    // values that repeat, stop repeating and repeat again (the repeat cache switches off and on), one row
    // larger than a socket read, and a window bound as a parameter
    await pg.sql(`INSERT INTO ${table} (id, t, v, f, b, i8, j, jb)
      SELECT g, CASE WHEN g < 2000 OR g > 7000 THEN 'session-' || (g / 12) ELSE md5(g::text) END,
        CASE WHEN g = 5000 THEN repeat('€', 100000) ELSE 'p-' || (g % 7) END,
        g * 7.25, g % 3 = 0, g * 1000, CASE WHEN g % 3 = 0 THEN '{"price": 12.5}'::json END,
        CASE WHEN g % 3 = 0 THEN jsonb_build_object('price', g, 'dwellTime', g % 900, 'elementText', 'Deluxe room') END
      FROM generate_series(100, 9000) g`);
    client = await connectClient(resolveDatabaseUrl(pg.url), 5000);
  });

  afterAll(async () => {
    if (!pg) return;
    if (client) await closeClient(client);
    await pg.sql(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pg.stop();
  });

  it('gives the text cursor’s rows for every type it decodes, batch by batch', async () => {
    const sql = `SELECT t, v, f, b, i8, i4, i2, j, jb, NULL, t::text, id FROM ${table} WHERE f >= $1::float8 ORDER BY id`;
    for (const batch of [3, 2000]) {
      const text = await readAll(client, sql, [-Infinity], false, batch);
      const binary = await readAll(client, sql, [-Infinity], true, batch);
      expect(text.rows.length).toBe(8 + 8901); // every row: Postgres orders NaN above every number
      expect(binary.batches).toEqual(text.batches);
      expect(binary.rows).toEqual(text.rows);
    }
    const some = await readAll(client, sql, [7.5], true, 500);
    expect(some.rows).toEqual((await readAll(client, sql, [7.5], false, 500)).rows);
    expect(binaryDecoders([{ dataTypeID: 25 }, { dataTypeID: 1700 }])).toBeNull(); // numeric: the text cursor reads it
    expect(binaryDecoders([{ dataTypeID: 700 }])).toBeNull(); // float4: its text form is what pg parses
  });

  it('hands a server error mid-read to the caller, as the text cursor does, and the client stays usable', async () => {
    const sql = 'SELECT g, 10 / (g - 2500) FROM generate_series(1, 5000) g';
    const text = await failedRead(client, sql, false);
    const binary = await failedRead(client, sql, true);
    expect(text.err.code).toBe('22012');
    expect(binary.err.code).toBe(text.err.code);
    expect(binary.err.message).toBe(text.err.message);
    expect(binary.rows).toBe(text.rows);
    expect((await client.query('SELECT 41 + 1 AS x')).rows).toEqual([{ x: 42 }]);
  });

  it('closes the portal of a read stopped part-way, inside a transaction, and frees the client', async () => {
    const sql = 'SELECT g, md5(g::text) FROM generate_series(1, 4500) g';
    const decoders = binaryDecoders((await client.query(`${sql} LIMIT 0`)).fields)!;
    await client.query('BEGIN');
    try {
      const cursor = client.query(new BinaryCursor(sql, [], decoders));
      expect((await cursor.read(700)).map((r) => r[0])).toEqual(Array.from({ length: 700 }, (_, i) => i + 1));
      await cursor.close();
      // a portal only synced, not closed, would still be listed until the transaction ends
      expect((await client.query("SELECT count(*)::int AS n FROM pg_cursors WHERE name LIKE 'B\\_%'")).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.query('COMMIT');
    }
  }, 20_000);

  it('passes notices through to pg while it reads, and leaves the client usable after a full read', async () => {
    await client.query(`CREATE OR REPLACE FUNCTION pg_temp.noisy(i int) RETURNS int LANGUAGE plpgsql AS $$
      BEGIN IF i % 1000 = 0 THEN RAISE NOTICE 'row %', i; END IF; RETURN i; END $$`);
    const notices: string[] = [];
    const onNotice = (n: { message?: string }): void => void notices.push(n.message ?? '');
    client.on('notice', onNotice);
    try {
      const sql = 'SELECT pg_temp.noisy(g), md5(g::text) FROM generate_series(1, 4500) g';
      const binary = await readAll(client, sql, [], true, 700);
      expect(binary.rows).toEqual((await readAll(client, sql, [], false, 700)).rows);
      expect(notices).toEqual(['row 1000', 'row 2000', 'row 3000', 'row 4000', 'row 1000', 'row 2000', 'row 3000', 'row 4000']);
    } finally {
      client.off('notice', onNotice);
    }
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
