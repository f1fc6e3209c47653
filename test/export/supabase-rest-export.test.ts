/**
 * `phantom export --from supabase --supabase-url … --supabase-key-env VAR` end to end: the real binary
 * against a local server that answers like PostgREST (test/sources/supabase-fake-postgrest.ts), with the
 * experiments join read over REST too. The API key comes from the environment and never appears in the
 * output, the summary or the file footer.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportSummary } from '../../src/export/types.js';
import { readParquetMetadata } from '../../src/io/parquet.js';
import { type FakePostgrest, startFakePostgrest } from '../sources/supabase-fake-postgrest.js';
import { readRows, startPhantom } from './helpers.js';

/** Run the binary without blocking this process: the PostgREST stand-in answers from this event loop. */
async function phantom(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startPhantom(args, env);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

const KEY = 'eyJhbGciOiJIUzI1NiJ9.service-role-rest-export.sig';
const XP_AGENT = '0e6f1b8e-9a51-4bb4-a6a9-1f5e2d8c0a01';
const XP_HUMAN = '7c2d4f60-3b1e-4a8f-9d0c-5e6a7b8c9d02';
const events = Array.from({ length: 11 }, (_, i) => ({
  id: 500 + i,
  session_id: `rest-${i % 4}`,
  experiment_id: i % 4 === 0 ? XP_AGENT : i % 4 === 1 ? XP_HUMAN : i % 4 === 2 ? 'f0000000-0000-4000-8000-000000000000' : null,
  event_name: ['page_view', 'hover_over_title', 'add_item_to_cart'][i % 3],
  ts: `2025-02-03T10:${String(i).padStart(2, '0')}:00.000+00:00`,
  page: '/shop',
  metadata: i === 4 ? { price: 19.99 } : null,
}));
const experiments = [
  { id: XP_AGENT, xp_human_only: false },
  { id: XP_HUMAN, xp_human_only: true },
];

describe('phantom export --from supabase over REST (PostgREST stand-in)', () => {
  let api: FakePostgrest;
  beforeAll(async () => {
    api = await startFakePostgrest({ key: KEY, tables: { events, experiments }, maxRows: 4 });
  });
  afterAll(() => api.close());

  it('pages the table into events.parquet, labels sessions from the experiments table, never shows the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-rest-export-'));
    const out = join(dir, 'events.parquet');
    const r = await phantom(
      ['export', '--from', 'supabase', '--supabase-url', api.url, '--supabase-key-env', 'PHANTOM_REST_KEY', '--table', 'events', '--experiments-from', 'supabase', '-o', out, '--json'],
      { PHANTOM_REST_KEY: KEY },
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as ExportSummary;
    expect(summary).toMatchObject({ source: 'supabase-rest', records_read: 11, records_written: 11, sessions: 4 });
    // rest-0 → agent experiment (3 events), rest-1 → human (3); rest-2 names an experiment the table lacks
    // (3) and rest-3 names none (2): both unlabelled and counted as unknown
    expect(summary.labels).toMatchObject({ agent: 3, human: 3, unlabelled: 5, unknown_experiment_events: 5, unknown_experiment_sessions: 2 });
    const rows = await readRows(out);
    expect(rows.map((x) => x.srcOffset)).toEqual(events.map((e) => e.id));
    expect(rows.find((x) => x.srcOffset === 504)).toMatchObject({ sessionId: 'rest-0', isAgent: true, price: 19.99, ts: Date.parse('2025-02-03T10:04:00Z') });
    expect(rows.find((x) => x.srcOffset === 505)).toMatchObject({ sessionId: 'rest-1', isAgent: false });
    // a first request checks the columns, then pages follow the server's cap of 4 rows until an empty page
    expect(api.requests.filter((q) => q.path.endsWith('/events')).slice(1).map((q) => q.params.get('offset'))).toEqual(['0', '4', '8', '11']);
    for (const text of [r.stdout, r.stderr, JSON.stringify(await readParquetMetadata(out)), readFileSync(out).toString('latin1')]) expect(text).not.toContain(KEY);
  });

  it('a missing key variable or a refused key: exit 2 with a message naming the variable, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-rest-export-'));
    const out = join(dir, 'events.parquet');
    const missing = await phantom(['export', '--from', 'supabase', '--supabase-url', api.url, '--supabase-key-env', 'PHANTOM_REST_KEY_UNSET', '-o', out], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/PHANTOM_REST_KEY_UNSET/);
    const refused = await phantom(['export', '--from', 'supabase', '--supabase-url', api.url, '--supabase-key-env', 'PHANTOM_REST_KEY', '-o', out], { PHANTOM_REST_KEY: 'wrong-key' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).not.toContain('wrong-key');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
