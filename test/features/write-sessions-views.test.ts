// sessions.parquet from batches whose float columns are views of the session table (write-sessions.ts): the
// Parquet writer holds a row group's batches until it encodes them, so the batches no longer copy the
// table. The file must be the one written from copied batches (sessionsArrowTable) byte for byte — over
// more rows than one batch, so views start inside the columns — and the table must come out untouched.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeSessionFeatures, DEFAULT_FEATURE_OPTIONS, loadFeatureInput, writeSessions, type SessionTable } from '../../src/features/index.js';
import { sessionsArrowTable, sessionsFooter } from '../../src/features/write-sessions.js';
import { writeTable } from '../../src/io/table-file.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'phantom-sessions-views-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The table's rows repeated until it has at least `n` (session ids made unique). */
function tiled(t: SessionTable, n: number): SessionTable {
  const k = Math.ceil(n / t.nSessions), rows = k * t.nSessions;
  const pick = <T>(a: readonly T[]): T[] => Array.from({ length: rows }, (_, i) => a[i % t.nSessions]!);
  const floats = (a: Float64Array): Float64Array => Float64Array.from({ length: rows }, (_, i) => a[i % t.nSessions]!);
  return {
    ...t, nSessions: rows, sessionIds: Array.from({ length: rows }, (_, i) => `${t.sessionIds[i % t.nSessions]}-${Math.floor(i / t.nSessions)}`),
    experimentIds: pick(t.experimentIds), isAgent: Int8Array.from(pick(Array.from(t.isAgent))), purchased: Int8Array.from(pick(Array.from(t.purchased))),
    columns: Object.fromEntries(Object.entries(t.columns).map(([name, v]) => [name, floats(v)])),
    categories: Object.fromEntries(Object.entries(t.categories).map(([name, c]) => [name, { dict: c.dict, codes: Int32Array.from(pick(Array.from(c.codes))) }])),
  };
}

describe('writeSessions with float columns as views', () => {
  it('writes the bytes of copied batches, over several batches, and leaves the table as it was', async () => {
    const small = computeSessionFeatures((await loadFeatureInput(resolve(ROOT, 'fixtures/events.parquet'), false)).events, DEFAULT_FEATURE_OPTIONS).table;
    const t = tiled(small, 300_000); // more than one 262,144-row batch
    expect(Object.values(t.columns).some((v) => v.some((x) => Number.isNaN(x)))).toBe(true); // nulls are covered
    const before = Object.fromEntries(Object.entries(t.columns).map(([name, v]) => [name, v.slice()]));
    const footer = sessionsFooter(t, { 'phantom.timeout_sec': '1800' });
    const plainColumns = ['sessionId', ...t.features.filter((f) => f.dtype !== 'category').map((f) => f.name)];
    const viewsPath = join(dir, 'views.parquet'), copiesPath = join(dir, 'copies.parquet');
    await writeSessions(viewsPath, t, { format: 'parquet', footer });
    await writeTable(copiesPath, sessionsArrowTable(t, footer).batches, { format: 'parquet', compression: 'zstd', rowGroupSize: 1_000_000, metadata: footer, plainColumns });
    expect(readFileSync(viewsPath).equals(readFileSync(copiesPath))).toBe(true);
    for (const [name, v] of Object.entries(t.columns)) expect(Buffer.from(v.buffer).equals(Buffer.from(before[name]!.buffer)), name).toBe(true);
  }, 120_000);
});
