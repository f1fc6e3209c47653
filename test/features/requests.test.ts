// The `requests` feature group on hand-built request events (values worked out by hand below), read
// through the real Parquet loader and the real binary; absent request columns leave features out.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeSessionFeatures, DEFAULT_FEATURE_OPTIONS, featureSpecs, loadEventsParquet, readSessionsParquet, type SessionTable } from '../../src/features/index.js';
import { isContextFeature } from '../../src/features/registry.js';
import { REQUEST_ENTRIES } from '../../src/features/request-specs.js';
import { pathDepth } from '../../src/features/requests.js';
import { writeRequestEvents, type RequestRow } from './request-events.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-requests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const s = (sec: number): number => T0 + sec * 1000;

const h = (ts: number, kind: string, method: string, path: string, extra: Partial<RequestRow> = {}): RequestRow => ({
  sessionId: 'h', ts, userAgent: CHROME, isAgent: false, resource_kind: kind, method, path, status: 200, site: 'shop.example', ...extra,
});
const b = (ts: number, kind: string, method: string, path: string, extra: Partial<RequestRow> = {}): RequestRow => ({
  sessionId: 'b', ts, userAgent: GOOGLEBOT, isAgent: true, resource_kind: kind, method, path, status: 200, referrer: null, site: 'shop.example', ...extra,
});

const ROWS: RequestRow[] = [
  h(s(0), 'page', 'GET', '/', { bytes: 1000 }),
  h(s(0.1), 'asset', 'GET', '/static/app.css', { referrer: '/', bytes: 500 }),
  h(s(0.2), 'asset', 'GET', '/favicon.ico', { referrer: '/', bytes: 100 }),
  h(s(10), 'page', 'GET', '/product/42', { query: 'color=red', referrer: '/', bytes: 2000 }),
  h(s(10.1), 'asset', 'GET', '/img/42.jpg', { status: 304, referrer: '/product/42', bytes: 0 }),
  h(s(30), 'api', 'POST', '/api/cart', { status: 201, referrer: '/product/42', bytes: 50 }),
  h(s(40), 'page', 'GET', '/product/42', { status: 404, referrer: '-', bytes: 300 }),
  b(s(0), 'robots', 'HEAD', '/robots.txt', { bytes: 0 }),
  b(s(1), 'page', 'GET', '/a'),
  b(s(2), 'page', 'GET', '/b', { userAgent: 'curl/8.5.0', bytes: 100 }),
  b(s(2), 'page', 'GET', '/b', { status: 500 }),
  // a tracker event with no request columns: a session with no requests
  { sessionId: 'x', ts: s(5), eventName: 'page_view', userAgent: CHROME, isAgent: false },
];

async function compute(file: string): Promise<SessionTable> {
  return computeSessionFeatures(await loadEventsParquet(file, { baseFirst: false }), DEFAULT_FEATURE_OPTIONS).table;
}
const value = (t: SessionTable, id: string, name: string): number | null => {
  const v = t.columns[name]![t.sessionIds.indexOf(id)]!;
  return Number.isNaN(v) ? null : v;
};

describe('requests feature group', () => {
  it('computes every request feature as defined, on a human-like and a robot-like session (hand computation)', async () => {
    const file = join(dir, 'all.parquet');
    await writeRequestEvents(file, ROWS);
    const t = await compute(file);
    const expected: Record<string, Record<string, number | null>> = {
      h: {
        request_count: 7, page_share: 3 / 7, asset_share: 3 / 7, api_share: 1 / 7, beacon_share: 0, assets_per_page: 1,
        status_3xx_share: 1 / 7, status_4xx_share: 1 / 7, status_5xx_share: 0, head_share: 0, post_share: 1 / 7,
        pages_without_referrer_share: 2 / 3, robots_txt_fetched: 0, favicon_fetched: 1, distinct_path_ratio: 6 / 7,
        mean_path_depth: 11 / 7, query_share: 1 / 7, bytes_per_request: 3950 / 7,
        // non-asset requests at 0, 10, 30, 40 s: gaps 10, 20, 10
        nonasset_gap_mean: 40 / 3, nonasset_gap_sd: Math.sqrt(100 / 3), nonasset_gap_cv: Math.sqrt(100 / 3) / (40 / 3),
        nonasset_gap_median: 10, nonasset_gap_max: 20,
        nonasset_burstiness: (Math.sqrt(100 / 3) - 40 / 3) / (Math.sqrt(100 / 3) + 40 / 3),
        pages_per_minute: 3 / (40 / 60), ua_known_bot: 0, ua_changes: 0,
      },
      b: {
        request_count: 4, page_share: 3 / 4, asset_share: 0, api_share: 0, beacon_share: 0, assets_per_page: 0,
        status_3xx_share: 0, status_4xx_share: 0, status_5xx_share: 1 / 4, head_share: 1 / 4, post_share: 0,
        pages_without_referrer_share: 1, robots_txt_fetched: 1, favicon_fetched: 0, distinct_path_ratio: 3 / 4,
        mean_path_depth: 1, query_share: 0, bytes_per_request: 50, // bytes 0, null, 100, null
        // robots.txt counts as a non-asset request: 0, 1, 2, 2 s → gaps 1, 1, 0
        nonasset_gap_mean: 2 / 3, nonasset_gap_sd: Math.sqrt(1 / 3), nonasset_gap_cv: Math.sqrt(1 / 3) / (2 / 3),
        nonasset_gap_median: 1, nonasset_gap_max: 1,
        nonasset_burstiness: (Math.sqrt(1 / 3) - 2 / 3) / (Math.sqrt(1 / 3) + 2 / 3),
        pages_per_minute: 3 / (2 / 60), ua_known_bot: 1, ua_changes: 2,
      },
    };
    for (const [id, values] of Object.entries(expected)) {
      for (const [name, v] of Object.entries(values)) {
        const got = value(t, id, name);
        if (v === null) expect(got, `${id} ${name}`).toBeNull();
        else expect(got, `${id} ${name}`).toBeCloseTo(v, 12);
      }
    }
    expect(Object.keys(expected.h!).sort()).toEqual(REQUEST_ENTRIES.map((e) => e.name).sort());
    // a session whose events carry no request: zero count, shares and timing null, flags false
    expect(value(t, 'x', 'request_count')).toBe(0);
    for (const f of ['page_share', 'status_4xx_share', 'head_share', 'nonasset_gap_mean', 'pages_per_minute', 'bytes_per_request', 'distinct_path_ratio']) expect(value(t, 'x', f), f).toBeNull();
    expect(value(t, 'x', 'robots_txt_fetched')).toBe(0);
    expect(t.site).toEqual(['shop.example', 'shop.example', null]);
    expect(t.sessionDate).toEqual(['2025-03-03', '2025-03-03', '2025-03-03']);
  });

  it('leaves out (does not zero-fill) the features whose columns are absent; no resource_kind, no request features', async () => {
    const some = join(dir, 'some.parquet');
    await writeRequestEvents(some, ROWS, ['resource_kind', 'path']);
    const t = await compute(some);
    const names = t.features.map((f) => f.name);
    expect(names).toContain('favicon_fetched');
    expect(names).toContain('nonasset_gap_sd');
    for (const f of ['status_4xx_share', 'head_share', 'post_share', 'pages_without_referrer_share', 'query_share', 'bytes_per_request']) {
      expect(names, f).not.toContain(f);
      expect(t.columns[f], f).toBeUndefined();
    }
    const none = join(dir, 'none.parquet');
    await writeRequestEvents(none, ROWS, ['path', 'status']);
    const u = await compute(none);
    expect(u.features.map((f) => f.name)).toEqual(featureSpecs('default').map((f) => f.name));
    expect(u.site).toEqual([null, null, null]);
  });

  it('marks the context features in the registry, one-hot columns of them included', () => {
    for (const f of ['session_start_hour', 'browser_family', 'is_headless', 'is_automation', 'ua_known_bot', 'browser_family=Chrome']) expect(isContextFeature(f), f).toBe(true);
    for (const f of ['gap_cv', 'asset_share', 'nonasset_gap_sd', 'ua_changes', 'unknown=1']) expect(isContextFeature(f), f).toBe(false);
    expect(pathDepth('/')).toBe(0);
    expect(pathDepth('/a/b/')).toBe(2);
    expect(pathDepth('/a//b?x=/c/d')).toBe(2);
  });

  it('phantom features writes them to sessions.parquet with their registry types, site and session_date after them', async () => {
    const file = join(dir, 'cli-in.parquet');
    await writeRequestEvents(file, ROWS);
    const out = join(dir, 'sessions.parquet');
    execFileSync('node', ['bin/phantom.js', 'features', file, '-o', out, '--quiet']);
    const t = await readSessionsParquet(out);
    expect(t.features.filter((f) => f.group === 'requests').map((f) => f.name)).toEqual(REQUEST_ENTRIES.map((e) => e.name));
    expect(t.columns['asset_share']![t.sessionIds.indexOf('h')]).toBeCloseTo(3 / 7, 12);
    expect(t.site).toEqual(['shop.example', 'shop.example', null]);
    const csv = join(dir, 'sessions.csv');
    execFileSync('node', ['bin/phantom.js', 'features', file, '-o', csv, '--quiet']);
    const header = readFileSync(csv, 'utf8').split('\n')[0]!.split(',');
    expect(header.slice(-3)).toEqual(['ua_changes', 'site', 'session_date']);
  });
});
