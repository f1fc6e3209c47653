// Loading events, writing and reading sessions, several files with split sessions, the dense matrix.
import { mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventsToBatch } from '../../src/events/arrow.js';
import { readEventsParquet, writeEventsParquet } from '../../src/events/events-parquet.js';
import { EventsBuilder, rowAt, type EventsTable } from '../../src/events/table.js';
import {
  applyLabels, computeSessionFeatures, DEFAULT_FEATURE_OPTIONS, featureMatrix, featuresFromFiles, featureSpecs, fromEventsTable, loadEventsParquet,
  loadExperimentLabels, loadFeatureInput, loadPriceLogs, readSessionsParquet, writeSessions, type SessionTable,
} from '../../src/features/index.js';
import { openParquetBatches } from '../../src/features/load-parquet.js';
import { float64Data, recordBatch, utf8Data } from '../../src/io/arrow-vectors.js';
import { useFlatWriter, writeParquet } from '../../src/io/parquet.js';
import * as pw from 'parquet-wasm/node';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'phantom-features-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NO_LABELS = { experiments: null, label: null };

/** Features of a table keyed by sessionId, NaN kept, for comparisons independent of row order. */
function byId(t: SessionTable): Map<string, (number | string | null)[]> {
  const out = new Map<string, (number | string | null)[]>();
  t.sessionIds.forEach((id, s) => {
    const vals: (number | string | null)[] = [t.experimentIds[s]!, t.isAgent[s]!, t.purchased[s]!];
    for (const f of t.features) vals.push(f.dtype === 'category' ? t.categories[f.name]!.dict[t.categories[f.name]!.codes[s]!]! : t.columns[f.name]![s]!);
    out.set(id, vals);
  });
  return out;
}

function tableOf(rows: ReturnType<typeof rowAt>[]): EventsTable {
  const b = new EventsBuilder(16);
  for (const r of rows) b.append(r);
  return b.flush();
}

describe('loading events', () => {
  it('the Parquet loader reads the same values as readEventsParquet', async () => {
    const path = resolve(ROOT, 'fixtures/events.parquet');
    const fast = await loadEventsParquet(path, { baseFirst: true });
    const ref = await readEventsParquet(path);
    expect(fast.length).toBe(ref.length);
    const str = (c: { codes: Int32Array; dict: string[] }, i: number) => (c.codes[i]! < 0 ? null : c.dict[c.codes[i]!]);
    for (let i = 0; i < ref.length; i++) {
      for (const k of ['sessionId', 'experimentId', 'eventName', 'page', 'productId', 'userAgent'] as const) if (str(fast[k], i) !== str(ref[k], i)) expect.fail(`${k} row ${i}`);
      for (const k of ['ts', 'price', 'dwellMs', 'srcOffset'] as const) if (!Object.is(fast[k][i], ref[k][i])) expect.fail(`${k} row ${i}: ${fast[k][i]} vs ${ref[k][i]}`);
      if (fast.isAgent[i] !== ref.isAgent[i]) expect.fail(`is_agent row ${i}`);
    }
  });

  it('decoding on the read-ahead thread gives exactly the arrays of reading in this thread (several row groups)', async () => {
    // 3,471 fixture events written in 500-row row groups, so the thread runs ahead of the reader
    const path = join(dir, 'row-groups.parquet');
    await writeEventsParquet(path, [await readEventsParquet(resolve(ROOT, 'fixtures/events.parquet'))], { rowGroupSize: 500 });
    const ahead = await loadEventsParquet(path, { baseFirst: true, readAhead: 'always' });
    const here = await loadEventsParquet(path, { baseFirst: true, readAhead: 'never' });
    expect(ahead.length).toBe(3471);
    expect(ahead).toEqual(here);
    // a reader that stops early ends the thread (the process would otherwise not exit) and can read again
    const source = await openParquetBatches(path, ['sessionId'], ['sessionId'], 'events', 'always');
    let batches = 0;
    for await (const t of source.batches()) {
      expect(t.numRows).toBeGreaterThan(0);
      if (++batches === 2) break;
    }
    expect(batches).toBe(2);
    let rows = 0;
    for await (const t of source.batches()) rows += t.numRows;
    expect(rows).toBe(3471);
  });

  it('a corrupt data page read on the read-ahead thread is a usage error naming the file', async () => {
    // written by arrow-rs, which stores no page checksums: phantom's own files would be refused before any
    // decoding, by checksum (test/io/parquet-checksums.test.ts); here the decoder on that thread finds it
    const path = join(dir, 'corrupt.parquet');
    useFlatWriter(false); // writeParquet would use phantom's encoder (checksums) for this flat schema
    await writeParquet(path, [eventsToBatch(await readEventsParquet(resolve(ROOT, 'fixtures/events.parquet')))], { rowGroupSize: 500 }).finally(() => useFlatWriter(true));
    const bytes = readFileSync(path);
    bytes.fill(0, Math.floor(bytes.length / 4), Math.floor(bytes.length / 2)); // pages only: the footer is intact
    writeFileSync(path, bytes);
    await expect(loadEventsParquet(path, { baseFirst: false, readAhead: 'always' })).rejects.toThrow(/corrupt\.parquet is not a readable Parquet file \(decoding failed/);
  });

  it('reads metadata.base_price for the original set from Parquet', async () => {
    const rows = [
      { meta: '{"price":5,"base_price":4}', price: 5, want: 4 },
      { meta: '{"price":7}', price: 7, want: 7 },
      { meta: '{"base_price":"x","price":3}', price: 3, want: 3 },
      { meta: null, price: null, want: NaN },
    ].map((r, k) => ({ sessionId: 's', experimentId: null, ts: 1000 + k, eventName: 'view_item_page', page: null, productId: 'p', storeMode: null, price: r.price, dwellMs: null, userAgent: null, metadata: r.meta, isAgent: null, srcTopic: null, srcPartition: null, srcOffset: null, srcTs: null }));
    const path = join(dir, 'base-price.parquet');
    await writeEventsParquet(path, [tableOf(rows)]);
    const ev = await loadEventsParquet(path, { baseFirst: true });
    expect(Array.from(ev.priceBaseFirst!)).toEqual([4, 7, 3, NaN]);
    expect(Array.from(ev.price)).toEqual([5, 7, 3, NaN]);
  });

  it('events.parquet and the raw JSON-lines + experiments join give the same sessions', async () => {
    const pq = await loadFeatureInput(resolve(ROOT, 'fixtures/events.parquet'), false);
    const raw = await loadFeatureInput(resolve(ROOT, 'fixtures/events.jsonl'), false);
    applyLabels(raw.events, { experiments: await loadExperimentLabels(resolve(ROOT, 'fixtures/experiments.csv')), label: null });
    const a = computeSessionFeatures(pq.events, DEFAULT_FEATURE_OPTIONS).table;
    const b = computeSessionFeatures(raw.events, DEFAULT_FEATURE_OPTIONS).table;
    expect(b.sessionIds).toEqual(a.sessionIds);
    expect(byId(b)).toEqual(byId(a));
    expect(raw.raw).toMatchObject({ records: 3471, rejected: {} });
  });

  it('console envelopes normalise like flat events', async () => {
    const flat = computeSessionFeatures((await loadFeatureInput(resolve(ROOT, 'fixtures/events.jsonl'), false)).events, DEFAULT_FEATURE_OPTIONS).table;
    const env = computeSessionFeatures((await loadFeatureInput(resolve(ROOT, 'fixtures/events-console.json'), false)).events, DEFAULT_FEATURE_OPTIONS).table;
    expect(byId(env)).toEqual(byId(flat));
  });

  it('--label fills only what the experiments join left null', async () => {
    const { events } = await loadFeatureInput(resolve(ROOT, 'fixtures/events.jsonl'), false);
    const first = events.experimentId.dict[events.experimentId.codes[0]!]!;
    const counts = applyLabels(events, { experiments: new Map([[first, true]]), label: false });
    expect(counts.fromExperiments).toBeGreaterThan(0);
    expect(counts.fromExperiments + counts.fromLabel).toBe(events.length);
    expect(events.isAgent[0]).toBe(1);
  });
});

describe('price logs', () => {
  it('Parquet price logs give the same shown-price features as JSON-lines', async () => {
    const lines = readFileSync(resolve(ROOT, 'test/features/data/edge-price-logs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { sessionId: string; productId: string; price: number });
    const path = join(dir, 'price-logs.parquet');
    await writeParquet(path, [recordBatch([
      { name: 'sessionId', data: utf8Data(lines.map((l) => l.sessionId)), nullable: false },
      { name: 'productId', data: utf8Data(lines.map((l) => l.productId)), nullable: false },
      { name: 'price', data: float64Data(Float64Array.from(lines, (l) => l.price)), nullable: false },
    ])]);
    const fromParquet = await loadPriceLogs(path);
    const fromJsonl = await loadPriceLogs(resolve(ROOT, 'test/features/data/edge-price-logs.jsonl'));
    expect(fromParquet.length).toBe(lines.length);
    const { events } = await loadFeatureInput(resolve(ROOT, 'test/features/data/edge-events.jsonl'), false);
    const a = computeSessionFeatures(events, { ...DEFAULT_FEATURE_OPTIONS, priceLogs: fromParquet }).table;
    const b = computeSessionFeatures(events, { ...DEFAULT_FEATURE_OPTIONS, priceLogs: fromJsonl }).table;
    expect(Array.from(a.columns['shown_markup_mean']!)).toEqual(Array.from(b.columns['shown_markup_mean']!));
    expect(Array.from(a.columns['shown_price_mean']!)).toEqual(Array.from(b.columns['shown_price_mean']!));
    expect(a.columns['shown_price_mean']!.some((v) => v > 0)).toBe(true);
  });
});

describe('sessions output', () => {
  it('Parquet round trip: types, nulls, labels, feature set, column order', async () => {
    for (const featureSet of ['default', 'original'] as const) {
      const { events } = await loadFeatureInput(resolve(ROOT, 'fixtures/events.parquet'), featureSet === 'original');
      const t = computeSessionFeatures(events, { ...DEFAULT_FEATURE_OPTIONS, featureSet }).table;
      const path = join(dir, `sessions-${featureSet}.parquet`);
      await writeSessions(path, t, { format: 'parquet' });
      const back = await readSessionsParquet(path);
      expect(back.featureSet).toBe(featureSet);
      expect(back.features).toEqual(t.features);
      expect(back.sessionIds).toEqual(t.sessionIds);
      expect(byId(back)).toEqual(byId(t));
      expect(back.features.length).toBe(featureSet === 'original' ? 27 : featureSpecs('default').length);
    }
  });

  it('Parquet: sessionId and numeric features are written without a dictionary, categories with one', async () => {
    const { events } = await loadFeatureInput(resolve(ROOT, 'fixtures/events.parquet'), false);
    const t = computeSessionFeatures(events, { ...DEFAULT_FEATURE_OPTIONS }).table;
    const path = join(dir, 'sessions-encodings.parquet');
    await writeSessions(path, t, { format: 'parquet' });
    const meta = (await pw.ParquetFile.fromFile(await openAsBlob(path))).metadata().rowGroup(0);
    const dictionaryCoded = new Map<string, boolean>();
    for (let i = 0; i < meta.numColumns(); i++) {
      const c = meta.column(i);
      dictionaryCoded.set(c.columnPath().join('.'), c.encodings().some((e) => e === pw.Encoding.RLE_DICTIONARY || e === pw.Encoding.PLAIN_DICTIONARY));
    }
    expect(dictionaryCoded.get('sessionId')).toBe(false);
    expect(dictionaryCoded.get('experimentId')).toBe(true);
    for (const f of t.features) expect([f.name, dictionaryCoded.get(f.name)]).toEqual([f.name, f.dtype === 'category']);
  });

  it('CSV and JSON outputs hold the same values (null as empty / null)', async () => {
    const { events } = await loadFeatureInput(resolve(ROOT, 'fixtures/events.parquet'), false);
    const t = computeSessionFeatures(events, DEFAULT_FEATURE_OPTIONS).table;
    await writeSessions(join(dir, 's.json'), t, { format: 'json' });
    await writeSessions(join(dir, 's.csv'), t, { format: 'csv' });
    const json = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as Record<string, unknown>[];
    const csv = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(json.length).toBe(t.nSessions);
    expect(csv.length).toBe(t.nSessions + 1);
    const header = csv[0]!;
    expect(header).toEqual(Object.keys(json[0]!));
    const s = 0, col = header.indexOf('dwell_mean_ms');
    const dwell = t.columns['dwell_mean_ms']![s]!;
    expect(json[s]!['dwell_mean_ms']).toEqual(Number.isNaN(dwell) ? null : dwell);
    expect(csv[s + 1]![col]).toBe(Number.isNaN(dwell) ? '' : String(dwell));
    expect(json[s]!['is_headless']).toBe(t.columns['is_headless']![s] === 1);
    expect(json[s]!['browser_family']).toBe(t.categories['browser_family']!.dict[t.categories['browser_family']!.codes[s]!]);
  });

  it('empty input writes a valid empty file with the schema', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const { table } = await featuresFromFiles([empty], { ...DEFAULT_FEATURE_OPTIONS, labels: NO_LABELS });
    expect(table.nSessions).toBe(0);
    await writeSessions(join(dir, 'empty.parquet'), table, { format: 'parquet' });
    const back = await readSessionsParquet(join(dir, 'empty.parquet'));
    expect(back.nSessions).toBe(0);
    expect(back.features.map((f) => f.name)).toEqual(featureSpecs('default').map((f) => f.name));
    const emptyParquet = join(dir, 'empty-events.parquet');
    await writeEventsParquet(emptyParquet, [new EventsBuilder(4).flush()]);
    const fromParquet = await featuresFromFiles([emptyParquet], { ...DEFAULT_FEATURE_OPTIONS, featureSet: 'original', labels: NO_LABELS });
    expect(fromParquet.table.nSessions).toBe(0);
    expect(fromParquet.table.features).toHaveLength(27);
    await writeSessions(join(dir, 'empty.csv'), table, { format: 'csv' });
    expect(readFileSync(join(dir, 'empty.csv'), 'utf8').split('\n')[0]).toContain('sessionId,experimentId,is_agent,purchased,session_duration_sec');
  });

  it('featureMatrix: row-major values, one-hot browser family over fixed levels', async () => {
    const { events } = await loadFeatureInput(resolve(ROOT, 'fixtures/events.parquet'), false);
    const t = computeSessionFeatures(events, DEFAULT_FEATURE_OPTIONS).table;
    const X = featureMatrix(t);
    const numeric = t.features.filter((f) => f.dtype !== 'category');
    expect(X.nCols).toBe(numeric.length + 6);
    expect(X.values.length).toBe(X.nRows * X.nCols);
    const c = X.featureNames.indexOf('interaction_velocity');
    expect(X.values[7 * X.nCols + c]).toBe(t.columns['interaction_velocity']![7]);
    const oneHot = ['Chrome', 'Edge', 'Firefox', 'Safari', 'Other', 'Unknown'].map((l) => X.featureNames.indexOf(`browser_family=${l}`));
    for (let r = 0; r < X.nRows; r++) expect(oneHot.reduce((a, j) => a + X.values[r * X.nCols + j]!, 0)).toBe(1);
    expect(featureMatrix(t, { features: ['gap_cv', 'browser_family'], categorical: 'drop' }).featureNames).toEqual(['gap_cv']);
  });
});

describe('several input files', () => {
  it('sessions split across files are merged and counted once; output equals the concatenated input', async () => {
    const { events: all } = await loadFeatureInput(resolve(ROOT, 'fixtures/events.jsonl'), false);
    const full = await readEventsParquet(resolve(ROOT, 'fixtures/events.parquet'));
    // three files: rows dealt round-robin in blocks of 7, so many sessions span two or three files
    const parts: ReturnType<typeof rowAt>[][] = [[], [], []];
    for (let i = 0; i < full.length; i++) parts[Math.floor(i / 7) % 3]!.push(rowAt(full, i));
    const paths = await Promise.all(parts.map(async (rows, k) => {
      const p = join(dir, `part-${k}.parquet`);
      await writeEventsParquet(p, [tableOf(rows)]);
      return p;
    }));
    const concatenated = join(dir, 'all.parquet');
    await writeEventsParquet(concatenated, [tableOf(parts.flat())]);
    for (const featureSet of ['default', 'original'] as const) {
      const opts = { ...DEFAULT_FEATURE_OPTIONS, featureSet, labels: NO_LABELS };
      const split = await featuresFromFiles(paths, opts);
      const single = await featuresFromFiles([concatenated], opts);
      expect(split.summary.splitSessions).toBeGreaterThan(100);
      expect(split.table.nSessions).toBe(300);
      expect(split.summary.events).toBe(all.length);
      expect(split.table.sessionIds).toEqual(single.table.sessionIds);
      expect(byId(split.table)).toEqual(byId(single.table));
    }
  });

  it('files holding complete sessions are concatenated in file order without merging', async () => {
    const full = await readEventsParquet(resolve(ROOT, 'fixtures/events.parquet'));
    const ids = full.sessionId;
    const rows: ReturnType<typeof rowAt>[][] = [[], []];
    for (let i = 0; i < full.length; i++) rows[ids.codes[i]! % 2]!.push(rowAt(full, i));
    const paths = [join(dir, 'even.parquet'), join(dir, 'odd.parquet')];
    await writeEventsParquet(paths[0]!, [tableOf(rows[0]!)]);
    await writeEventsParquet(paths[1]!, [tableOf(rows[1]!)]);
    const r = await featuresFromFiles(paths, { ...DEFAULT_FEATURE_OPTIONS, labels: NO_LABELS });
    expect(r.summary.splitSessions).toBe(0);
    expect(r.table.nSessions).toBe(300);
    const whole = computeSessionFeatures(fromEventsTable(full, false), DEFAULT_FEATURE_OPTIONS).table;
    expect(byId(r.table)).toEqual(byId(whole));
  });
});
