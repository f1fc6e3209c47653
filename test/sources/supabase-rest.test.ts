/**
 * The Supabase REST (PostgREST) source. No real PostgREST server is available on these machines (it is
 * a Haskell binary, not in Debian or npm), so these tests run supabase-js against a local node:http
 * server that answers like PostgREST (supabase-fake-postgrest.ts): paging by offset/limit with
 * Content-Range, a max-rows cap, ordering, filters, renames, auth and PostgREST's error bodies.
 */
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { normalise, type EventRow } from '../../src/events/normalise.js';
import { SourceFailed } from '../../src/sources/source-failed.js';
import { readSupabaseRest, type SupabaseRestOptions } from '../../src/sources/supabase-rest.js';
import { type FakePostgrest, startFakePostgrest } from './supabase-fake-postgrest.js';

const KEY = 'eyJhbGciOiJIUzI1NiJ9.service-role-secret.sig';
const env = { PHANTOM_TEST_SUPABASE_KEY: KEY };

// rows as PostgREST serialises them: timestamptz with offset, jsonb as objects, bigint as numbers
const events = Array.from({ length: 7 }, (_, i) => ({
  id: 101 + i,
  session_id: `s${Math.floor(i / 3)}`,
  experiment_id: i < 3 ? '2b3c3a27-170f-45b1-8365-36f5b72ba285' : null,
  event_name: i % 3 === 0 ? 'page_view' : 'hover_over_title',
  ts: `2025-01-12T11:0${i}:00.123456+00:00`,
  page: i % 2 === 0 ? '/hotel/products' : null,
  metadata: i % 3 === 1 ? { dwellTime: 100 + i, price: 9.5 } : null,
}));
// Supabase-style table without an integer key, epoch-ms times and other names
const clicks = [
  { uid: 'a', sid: 'x', kind: 'search', at_ms: 1_700_000_000_500, meta: null },
  { uid: 'b', sid: 'x', kind: 'page_view', at_ms: 1_700_000_000_000, meta: { price: 3 } },
  { uid: 'c', sid: 'y', kind: 'page_view', at_ms: 1_700_000_001_000, meta: null },
];

async function readAll(opts: Partial<SupabaseRestOptions> & { supabaseUrl: string }): Promise<EventRow[]> {
  const rows: EventRow[] = [];
  for await (const batch of readSupabaseRest({ keyEnv: 'PHANTOM_TEST_SUPABASE_KEY', env, ...opts })) {
    for (const rec of batch) {
      const r = normalise(rec);
      if (!r.ok) throw new Error(`rejected: ${r.reason} ${r.detail}`);
      rows.push(r.row);
    }
  }
  return rows;
}

async function failure(opts: Partial<SupabaseRestOptions> & { supabaseUrl: string }): Promise<Error> {
  try {
    await readAll(opts);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the read to fail');
}

describe('supabase REST source (against a PostgREST stand-in)', () => {
  let api: FakePostgrest;

  beforeAll(async () => {
    api = await startFakePostgrest({ key: KEY, tables: { events, clicks, 'analytics.events': events.slice(0, 2), empty: [] }, maxRows: 3 });
  });
  afterAll(() => api.close());

  it('pages through the whole table in id order, following the server cap, rows as flat events', async () => {
    api.requests.length = 0;
    const rows = await readAll({ supabaseUrl: api.url, pageSize: 5 });
    expect(rows.map((r) => r.srcOffset)).toEqual(events.map((e) => e.id));
    expect(rows[0]).toMatchObject({
      sessionId: 's0', experimentId: '2b3c3a27-170f-45b1-8365-36f5b72ba285', eventName: 'page_view',
      ts: Date.parse('2025-01-12T11:00:00.123Z'), page: '/hotel/products', metadata: null, srcTopic: 'events',
    });
    expect(rows[1]).toMatchObject({ dwellMs: 101, price: 9.5, page: null });
    const pages = api.requests.slice(1).map((r) => [r.params.get('offset'), r.params.get('limit')]);
    // asked 5 per page, the server gave 3 (max-rows), so offsets follow what came back; an empty page ends
    expect(pages).toEqual([['0', '5'], ['3', '5'], ['6', '5'], ['7', '5']]);
    expect(api.requests[1]!.params.get('order')).toBe('id.asc');
    expect(api.requests[1]!.params.get('select')).toBe('sessionId:session_id,experimentId:experiment_id,eventName:event_name,ts,page,metadata,id');
    expect(api.requests.every((r) => r.apikey === KEY)).toBe(true);
  });

  it('maps columns, filters the window on epoch-ms times, orders by every column without an id', async () => {
    api.requests.length = 0;
    const rows = await readAll({
      supabaseUrl: api.url, table: 'clicks', columns: 'sessionId=sid,eventName=kind,ts=at_ms,metadata=meta',
      sinceMs: 1_700_000_000_000, untilMs: 1_700_000_001_000, pageSize: 1,
    });
    expect(rows.map((r) => [r.sessionId, r.eventName, r.ts, r.price, r.srcOffset])).toEqual([
      ['x', 'page_view', 1_700_000_000_000, 3, 0],
      ['x', 'search', 1_700_000_000_500, null, 1],
    ]);
    const q = api.requests[1]!.params;
    expect(q.get('order')).toBe('sid.asc,kind.asc,at_ms.asc');
    expect(q.getAll('at_ms')).toEqual(['gte.1700000000000', 'lt.1700000001000']);
  });

  it('sends an ISO window for timestamp columns and reads other schemas', async () => {
    api.requests.length = 0;
    const rows = await readAll({ supabaseUrl: api.url, sinceMs: Date.parse('2025-01-12T11:02:00.123Z'), untilMs: Date.parse('2025-01-12T11:05:00Z') });
    expect(rows.map((r) => r.srcOffset)).toEqual([103, 104, 105]);
    expect(api.requests[1]!.params.getAll('ts')).toEqual(['gte.2025-01-12T11:02:00.123Z', 'lt.2025-01-12T11:05:00.000Z']);
    const other = await readAll({ supabaseUrl: api.url, table: 'analytics.events' });
    expect(other).toHaveLength(2);
    expect(api.requests.at(-1)!.profile).toBe('analytics');
    expect(await readAll({ supabaseUrl: api.url, table: 'empty' })).toEqual([]);
  });

  it('rides out a transient 503 and a dropped connection (postgrest-js retries), reading every row once', async () => {
    api.requests.length = 0;
    let first = true;
    const rows: EventRow[] = [];
    for await (const batch of readSupabaseRest({ supabaseUrl: api.url, keyEnv: 'PHANTOM_TEST_SUPABASE_KEY', env, pageSize: 3 })) {
      if (first) api.fail({ status: 503, headers: { 'Retry-After': '0' } }, 'drop');
      first = false;
      for (const rec of batch) rows.push((normalise(rec) as { row: EventRow }).row);
    }
    expect(rows.map((r) => r.srcOffset)).toEqual(events.map((e) => e.id));
    // probe + 4 pages (0, 3, 6, then the empty one) + the 2 failed attempts at offset 3
    expect(api.requests.map((r) => r.params.get('offset'))).toEqual(['0', '0', '3', '3', '3', '6', '7']);
  });

  it('fails with SourceFailed when the server errors mid-read, never showing the key', async () => {
    let delivered = 0;
    let err: unknown;
    try {
      for await (const batch of readSupabaseRest({ supabaseUrl: api.url, keyEnv: 'PHANTOM_TEST_SUPABASE_KEY', env, pageSize: 3 })) {
        delivered += batch.length;
        api.fail({ status: 500 });
      }
    } catch (e) {
      err = e;
    }
    expect(delivered).toBe(3);
    expect(err).toBeInstanceOf(SourceFailed);
    expect((err as SourceFailed).rowsDelivered).toBe(3);
    expect((err as Error).message).toBe(`${api.url} failed while reading events after 3 rows: HTTP 500: injected 500; the read is incomplete and nothing from it should be kept`);
  });

  it('gives usage errors for a missing key, a refused key, a missing table or column, a bad URL', async () => {
    expect((await failure({ supabaseUrl: api.url, env: {} })).message).toBe('--supabase-key-env: environment variable PHANTOM_TEST_SUPABASE_KEY is not set');
    const refused = await failure({ supabaseUrl: api.url, env: { PHANTOM_TEST_SUPABASE_KEY: `${KEY}x` } });
    expect(refused).toBeInstanceOf(UsageError);
    expect(refused.message).toMatch(/the key in --supabase-key-env was refused for events \(HTTP 401 PGRST301/);
    expect(refused.message).not.toContain('service-role-secret');
    const noTable = await failure({ supabaseUrl: api.url, table: 'nope' });
    expect(noTable.message).toMatch(/^--table nope: not found at http:\/\/127\.0\.0\.1:\d+ \(HTTP 404 PGRST205/);
    const noColumn = await failure({ supabaseUrl: api.url, columns: 'ts=created_at' });
    expect(noColumn.message).toMatch(/--columns ts=created_at: table events has no column "created_at"/);
    expect((await failure({ supabaseUrl: 'ftp://x' })).message).toMatch(/--supabase-url: "ftp:\/\/x" is not an http\(s\) URL/);
    expect((await failure({ supabaseUrl: api.url, table: 'events;drop' })).message).toMatch(/not a valid identifier/);
  });
});
