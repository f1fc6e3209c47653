/**
 * The Postgres source's pure parts, without a server: `--database-url` resolution and redaction, the
 * `--columns` grammar, column discovery, and the SQL planned for each column type.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseColumnMapping, quoteTableName, resolveEventColumns } from '../../src/sources/event-columns.js';
import { resolveDatabaseUrl, scrub } from '../../src/sources/pg-connection.js';
import { planPostgresRead } from '../../src/sources/pg-plan.js';

const T = { text: 25, uuid: 2950, timestamptz: 1184, timestamp: 1114, int8: 20, int4: 23, bool: 16, jsonb: 3802, numeric: 1700, hstore: 99999 };

describe('--database-url', () => {
  it('takes a URL or the name of an env var, labels it host:port/db, and lists its password as a secret', () => {
    const direct = resolveDatabaseUrl('postgresql://app:p%40ss%2Fw@db.example.com:6543/shop?sslmode=require');
    expect(direct.label).toBe('db.example.com:6543/shop');
    expect(direct.secrets).toEqual(['p%40ss%2Fw', 'p@ss/w']);
    expect(scrub('auth failed for p@ss/w and p%40ss%2Fw', direct.secrets)).toBe('auth failed for *** and ***');
    const viaEnv = resolveDatabaseUrl('DB', { DB: 'postgres://u:secret@localhost/events_db' });
    expect(viaEnv.label).toBe('localhost:5432/events_db');
    expect(viaEnv.url).toBe('postgres://u:secret@localhost/events_db');
  });

  it('explains what is wrong without echoing the value', () => {
    const msg = (v: string, env: NodeJS.ProcessEnv = {}): string => {
      try {
        resolveDatabaseUrl(v, env);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error('expected a UsageError');
    };
    expect(msg('mysql://u:hunter2@h/db')).not.toContain('hunter2');
    expect(msg('DB', { DB: 'host=x password=hunter2' })).toBe('--database-url (environment variable DB): the value is not a postgres:// URL');
    expect(msg('DB', { DB: '' })).toBe('--database-url: environment variable DB is not set');
  });
});

describe('--columns and column discovery', () => {
  it('parses field=column pairs and rejects unknown fields and unsafe names', () => {
    expect(parseColumnMapping(' sessionId=session_id, ts=created_at ,metadata=meta')).toEqual({ sessionId: 'session_id', ts: 'created_at', metadata: 'meta' });
    expect(() => parseColumnMapping('ts')).toThrow(/"ts" is not field=column/);
    expect(() => parseColumnMapping('when=created_at')).toThrow(/unknown field "when"/);
    expect(() => parseColumnMapping('ts=created at')).toThrow(/not a valid identifier/);
    expect(() => parseColumnMapping({ ts: 'x'.repeat(64) })).toThrow(/not a valid identifier/);
    expect(quoteTableName('analytics.events')).toBe('"analytics"."events"');
  });

  it('finds camelCase, snake_case and Postgres-folded names, explicit mappings first', () => {
    expect(resolveEventColumns(['sessionid', 'event_name', 'created_at', 'useragent', 'id'], {}, 't')).toEqual({
      sessionId: 'sessionid', eventName: 'event_name', ts: 'created_at', userAgent: 'useragent', id: 'id',
    });
    expect(resolveEventColumns(['sessionId', 'eventName', 'ts', 'created_at'], { ts: 'created_at' }, 't').ts).toBe('created_at');
  });
});

describe('planned SQL', () => {
  const plan = (cols: [string, number][], extra: { sinceMs?: number; untilMs?: number; columns?: Record<string, string> } = {}) =>
    planPostgresRead(cols.map(([name, dataTypeID]) => ({ name, dataTypeID })), { table: 't', tableSql: '"t"', columns: extra.columns ?? {}, ...extra });

  it('casts text fields, converts times to epoch ms, orders by an integer id', () => {
    const p = plan([['id', T.int4], ['session_id', T.uuid], ['event_name', T.text], ['ts', T.timestamptz], ['metadata', T.jsonb], ['is_agent', T.bool]]);
    expect(p.sql).toBe(
      'SELECT "session_id"::text, NULL, "event_name"::text, floor(extract(epoch from "ts") * 1000)::float8, NULL, NULL, NULL, NULL, "metadata", "is_agent", "id"::int8 FROM "t" ORDER BY "id"',
    );
    expect(p.offsetColumn).toBe('id');
  });

  it('binds the window as parameters, per ts type; a text ts cannot be windowed', () => {
    const base: [string, number][] = [['sessionId', T.text], ['eventName', T.text]];
    expect(plan([...base, ['ts', T.timestamp]], { sinceMs: 5 }).sql).toMatch(/WHERE "ts" >= \(to_timestamp\(\$1::float8 \/ 1000\) AT TIME ZONE 'UTC'\)$/);
    const numeric = plan([...base, ['ts', T.int8]], { sinceMs: 5, untilMs: 9 });
    expect(numeric.sql).toMatch(/SELECT "sessionId"::text, NULL, "eventName"::text, "ts", .* WHERE "ts" >= \$1::float8 AND "ts" < \$2::float8$/);
    expect(numeric.values).toEqual([5, 9]);
    expect(() => plan([...base, ['ts', T.text]], { untilMs: 9 })).toThrow(/need a time or epoch-ms column/);
  });

  it('turns an integer is_agent into a boolean, refuses other types; a uuid id gives row-number offsets', () => {
    const base: [string, number][] = [['sessionId', T.text], ['eventName', T.text], ['ts', T.numeric], ['id', T.uuid]];
    const p = plan([...base, ['is_agent', T.int4], ['metadata', T.hstore]]);
    expect(p.sql).toContain('("is_agent" <> 0)');
    expect(p.sql).toContain('"metadata"::text');
    expect(p.sql).not.toContain('ORDER BY');
    expect(p.offsetColumn).toBeNull();
    expect(() => plan([...base, ['is_agent', T.text]])).toThrow(/neither boolean nor integer/);
  });
});
