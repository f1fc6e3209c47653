// The pipeline hands tables on in memory instead of reading its own files back: each in-memory form must be
// exactly what the file it writes gives a reader.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import { DEFAULT_FEATURE_OPTIONS, featuresFromFiles, writeSessions } from '../../src/features/index.js';
import { FEATURES_DEFAULTS, runFeatures } from '../../src/features/run-features.js';
import { readFooterKeyValues } from '../../src/io/parquet-key-values.js';
import { sessionDataTable } from '../../src/features/session-data-table.js';
import { sessionsFooter } from '../../src/features/write-sessions.js';
import { readDataTable } from '../../src/models/dataset/data-table.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'phantom-in-memory-'));

describe('sessions in memory', () => {
  it('the session table as a DataTable equals sessions.parquet read back, and the write reports the file digest', async () => {
    const { table } = await featuresFromFiles([join(ROOT, 'fixtures/events.parquet')], { ...DEFAULT_FEATURE_OPTIONS, labels: { experiments: null, label: null } });
    const footer = sessionsFooter(table, { 'phantom.timeout_sec': '900' });
    const path = join(dir, 'sessions.parquet');
    const { sha256 } = await writeSessions(path, table, { format: 'parquet', footer });
    expect(sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    const inMemory = sessionDataTable(table, footer);
    const fromFile = await readDataTable(path);
    expect(inMemory.columns.map((c) => c.name)).toEqual(fromFile.columns.map((c) => c.name));
    expect(inMemory).toEqual(fromFile);
  });
});

describe('events in memory', () => {
  it('runFeatures on the events table in memory gives the table and summary it gives on the file (the pipeline features stage = phantom features)', async () => {
    const path = join(ROOT, 'fixtures/events.parquet');
    const o = { ...FEATURES_DEFAULTS, priceLogs: null };
    const fromFile = await runFeatures([path], o);
    const footer = Object.fromEntries(await readFooterKeyValues(path));
    const inMemory = await runFeatures({ path, table: await readEventsParquet(path), footer }, o);
    expect(fromFile.table.nSessions).toBeGreaterThan(100);
    expect(inMemory).toEqual(fromFile);
  });
});
