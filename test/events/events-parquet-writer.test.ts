import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from '../../src/io/arrow.js';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, eventsToBatch } from '../../src/events/arrow.js';
import { EventsParquetFileWriter, readEventsParquet, writeEventsParquet } from '../../src/events/events-parquet.js';
import { encodeEventsRowGroup, rowGroupParts } from '../../src/events/events-row-group.js';
import type { EventRow } from '../../src/events/normalise.js';
import { EventsBuilder, type EventsTable, rowAt } from '../../src/events/table.js';
import { COMPRESSIONS, readParquet, readParquetMetadata, writeParquet } from '../../src/io/parquet.js';
import { parquetCodec } from '../../src/io/parquet-codecs.js';
import { createRng } from '../../src/stats/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-pq-writer-'));
let fileNo = 0;
const nextPath = (): string => join(dir, `f${fileNo++}.parquet`);

const STRINGS = ['', 'a', 'page_view', 'ü', 'naïve café', '日本語', '😀 emoji', 'x'.repeat(200), 'quote " and \\ backslash'];

/** Rows exercising every column: nulls, empty strings, non-ASCII, negative and large numbers. */
function makeRows(n: number, seed: number): EventRow[] {
  const rng = createRng(seed);
  const r = (): number => rng.next();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const maybe = <T>(v: T, pNull = 0.3): T | null => (r() < pNull ? null : v);
  return Array.from({ length: n }, (_, i) => ({
    sessionId: `s${Math.floor(i / 5)}${pick(['', '-ü'])}`,
    experimentId: maybe(pick(STRINGS)),
    ts: 1_700_000_000_000 + Math.floor(r() * 1e9) * (r() < 0.05 ? -2 : 1),
    eventName: pick(['page_view', 'hover_over_title', 'add_item_to_cart', 'événement']),
    page: maybe(pick(STRINGS)),
    productId: maybe(`p${Math.floor(r() * 50)}`),
    storeMode: maybe(pick(['hotel', 'airline'])),
    price: maybe(Math.round(r() * 1e6) / 100 - 100),
    dwellMs: maybe(Math.floor(r() * 1e5)),
    userAgent: maybe(pick(['Mozilla/5.0', 'HeadlessChrome/120', ''])),
    metadata: maybe(pick([JSON.stringify({ i, note: pick(STRINGS) }), '', '{}'])),
    isAgent: maybe(r() < 0.5),
    srcTopic: maybe(pick(['user-interactions', 'événements'])),
    srcPartition: maybe(Math.floor(r() * 12)),
    srcOffset: maybe(pick([0, i, 9007199254740000, 2 ** 32 + 1])),
    srcTs: maybe(1_700_000_000_000 + i),
    ...(r() < 0.5 ? { originPartition: Math.floor(r() * 40) } : {}),
    ...(r() < 0.5 ? { originOffset: pick([0, i, 2 ** 40 + 3]) } : {}),
  }));
}

function tableOf(rows: readonly EventRow[]): EventsTable {
  const b = new EventsBuilder(1);
  for (const row of rows) b.append(row);
  return b.flush();
}

/** An hyparquet row object as an EventRow (timestamps arrive as Dates, INT64 as bigint). */
function fromHyparquet(o: Record<string, unknown>): EventRow {
  const s = (k: string): string | null => (o[k] ?? null) as string | null;
  const num = (k: string): number | null => (o[k] == null ? null : Number(o[k]));
  const time = (k: string): number | null => (o[k] == null ? null : (o[k] as Date).getTime());
  return {
    sessionId: s('sessionId')!, experimentId: s('experimentId'), ts: time('ts')!, eventName: s('eventName')!, page: s('page'), productId: s('productId'),
    storeMode: s('storeMode'), price: num('price'), dwellMs: num('dwellMs'), userAgent: s('userAgent'), metadata: s('metadata'),
    isAgent: (o['is_agent'] ?? null) as boolean | null, srcTopic: s('src_topic'), srcPartition: num('src_partition'), srcOffset: num('src_offset'), srcTs: time('src_ts'),
    ...(o['origin_partition'] == null ? {} : { originPartition: num('origin_partition')! }),
    ...(o['origin_offset'] == null ? {} : { originOffset: num('origin_offset')! }),
  };
}

async function fileBytes(path: string): Promise<ArrayBuffer> {
  const buf = await readFile(path);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** Both readers give back exactly `rows`. */
async function expectReadsBack(path: string, rows: readonly EventRow[]): Promise<void> {
  const t = await readEventsParquet(path);
  expect(Array.from({ length: t.length }, (_, i) => rowAt(t, i))).toEqual(rows);
  const objs = await parquetReadObjects({ file: await fileBytes(path), utf8: true, compressors });
  expect(objs.map(fromHyparquet)).toEqual(rows);
}

/** The same chunks written by the previous writer (Arrow record batches through parquet-wasm). */
async function writeWithArrowRs(path: string, chunks: EventsTable[]): Promise<void> {
  await writeParquet(path, chunks.map(eventsToBatch), { compression: 'zstd', metadata: { 'phantom.schema_version': '1' } });
}

describe('writeEventsParquet (direct encoder)', () => {
  it.each(COMPRESSIONS)('round-trips every column type with nulls, empty and non-ASCII strings (%s)', async (compression) => {
    const rows = makeRows(3_000, 1);
    const chunks = [tableOf(rows.slice(0, 1)), tableOf(rows.slice(1, 2_500)), tableOf(rows.slice(2_500))];
    const path = nextPath();
    const res = await writeEventsParquet(path, chunks, { compression, rowGroupSize: 1_000 });
    expect(res.rows).toBe(3_000);
    await expectReadsBack(path, rows);
    const meta = parquetMetadata(await fileBytes(path));
    // chunk of 1 row, 2,499 rows split into 1,000 + 1,000 + 499, then 500
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([1, 1_000, 1_000, 499, 500]);
    expect(meta.row_groups[1]!.columns[0]!.meta_data!.codec).toBe(compression === 'none' ? 'UNCOMPRESSED' : compression.toUpperCase());
  });

  it('handles all-null columns and one-entry dictionaries', async () => {
    const rows = makeRows(300, 2).map((r) => ({ ...r, experimentId: null, price: null, metadata: null, isAgent: null, srcTopic: null, srcPartition: null, srcOffset: null, srcTs: null, originPartition: undefined, originOffset: undefined, storeMode: 'hotel', eventName: 'page_view', sessionId: 'only' }));
    const path = nextPath();
    await writeEventsParquet(path, [tableOf(rows)]);
    await expectReadsBack(path, rows);
    const stats = parquetMetadata(await fileBytes(path)).row_groups[0]!.columns.map((c) => Number(c.meta_data!.statistics!.null_count));
    expect(stats[EVENT_COLUMNS.indexOf('price')]).toBe(300);
    expect(stats[EVENT_COLUMNS.indexOf('sessionId')]).toBe(0);
  });

  it('handles a dictionary of more than 2^16 entries over several pages', async () => {
    const rows = makeRows(70_000, 3).map((r, i) => ({ ...r, sessionId: `session-${i}` }));
    const path = nextPath();
    const res = await writeEventsParquet(path, [tableOf(rows)]);
    expect(res.sessions).toBe(70_000);
    await expectReadsBack(path, rows);
    const sessionChunk = parquetMetadata(await fileBytes(path)).row_groups[0]!.columns[0]!.meta_data!;
    expect(sessionChunk.encoding_stats).toEqual([{ page_type: 'DICTIONARY_PAGE', encoding: 'PLAIN', count: 1 }, { page_type: 'DATA_PAGE', encoding: 'RLE_DICTIONARY', count: 2 }]);
  });

  it('dictionary-encodes the metadata strings while their distinct text is small, PLAIN beyond 1 MiB', async () => {
    const few = makeRows(2_000, 12).map((r, i) => ({ ...r, metadata: i % 3 === 0 ? null : `{"n":${i % 40},"x":"ü"}` }));
    const many = makeRows(12_000, 13).map((r, i) => ({ ...r, metadata: `{"i":${i},"pad":"${'x'.repeat(100)}"}` }));
    const path = nextPath();
    await writeEventsParquet(path, [tableOf(few), tableOf(many)]);
    await expectReadsBack(path, [...few, ...many]);
    const col = EVENT_COLUMNS.indexOf('metadata');
    const encodings = parquetMetadata(await fileBytes(path)).row_groups.map((g) => g.columns[col]!.meta_data!.encoding_stats!.map((e) => e.encoding));
    expect(encodings).toEqual([['PLAIN', 'RLE_DICTIONARY'], ['PLAIN']]);
  });

  it('writes a valid file with the schema when there are no rows', async () => {
    const path = nextPath();
    expect(await writeEventsParquet(path, [new EventsBuilder().flush()])).toEqual({ rows: 0, sessions: 0 });
    const t = await readParquet(path);
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toEqual([...EVENT_COLUMNS]);
    expect((await readEventsParquet(path)).length).toBe(0);
    const meta = parquetMetadata(await fileBytes(path));
    expect(Number(meta.num_rows)).toBe(0);
    expect(meta.row_groups).toEqual([]);
    expect(await parquetReadObjects({ file: await fileBytes(path), compressors })).toEqual([]);
  });

  it('writes byte-identical files for the same chunks', async () => {
    const rows = makeRows(5_000, 4);
    const write = async (): Promise<Buffer> => {
      const path = nextPath();
      await writeEventsParquet(path, [tableOf(rows.slice(0, 2_000)), tableOf(rows.slice(2_000))], { metadata: { 'phantom.generate.seed': '4' } });
      return readFile(path);
    };
    expect((await write()).equals(await write())).toBe(true);
  });

  it('carries the metadata of the previous writer, counts included', async () => {
    const path = nextPath();
    const res = await writeEventsParquet(path, [tableOf(makeRows(100, 5))], { metadata: { 'phantom.generate.seed': '5' } });
    const meta = await readParquetMetadata(path);
    expect(meta['phantom.schema_version']).toBe('2');
    expect(meta['phantom.kind']).toBe('events');
    expect(meta['phantom.command']).toMatch(/^phantom/);
    expect(meta['phantom.generate.seed']).toBe('5');
    expect(meta['phantom.rows']).toBe('100');
    expect(meta['phantom.sessions']).toBe(String(res.sessions));
    const kv = parquetMetadata(await fileBytes(path)).key_value_metadata!.map((k) => k.key);
    expect(kv).toEqual(['phantom.schema_version', 'phantom.kind', 'phantom.command', 'phantom.generate.seed', 'ARROW:schema', 'phantom.rows', 'phantom.sessions']);
    expect(parquetMetadata(await fileBytes(path)).created_by).toBe('phantom');
  });

  it('declares the Parquet schema arrow-rs declared, and an ARROW:schema with the same Arrow types', async () => {
    const chunks = [tableOf(makeRows(50, 6))];
    const ours = nextPath(), theirs = nextPath();
    await writeEventsParquet(ours, chunks);
    await writeWithArrowRs(theirs, chunks);
    const a = parquetMetadata(await fileBytes(ours)), b = parquetMetadata(await fileBytes(theirs));
    expect(a.schema).toEqual(b.schema);
    const arrowSchema = (m: typeof a): arrow.Schema => {
      const bytes = Buffer.from(m.key_value_metadata!.find((k) => k.key === 'ARROW:schema')!.value!, 'base64');
      return arrow.tableFromIPC(Buffer.concat([bytes, Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])])).schema;
    };
    const describeFields = (s: arrow.Schema): string[] => s.fields.map((f) => `${f.name}: ${String(f.type)}${f.nullable ? ' | null' : ''}`);
    expect(describeFields(arrowSchema(a))).toEqual(describeFields(arrowSchema(b)));
    // and parquet-wasm reads our file back with those types
    expect(describeFields((await readParquet(ours)).schema)).toEqual(describeFields((await readParquet(theirs)).schema));
    expect(String((await readParquet(ours)).schema.fields[0]!.type)).toBe('Dictionary<Int32, Utf8>');
  });

  it('floors fractional milliseconds in INT64 columns, as the Arrow path did', async () => {
    const rows = makeRows(3, 11);
    const t = tableOf(rows);
    t.ts.set([1.5, -1.5, 1_700_000_000_000.9]);
    t.srcOffset.set([2.7, NaN, 0.2]);
    const path = nextPath();
    await writeEventsParquet(path, [t]);
    const back = await readEventsParquet(path);
    expect([...back.ts]).toEqual([1, -2, 1_700_000_000_000]);
    expect([...back.srcOffset]).toEqual([2, NaN, 0]);
    const old = nextPath();
    await writeWithArrowRs(old, [t]);
    expect([...(await readEventsParquet(old)).ts]).toEqual([1, -2, 1_700_000_000_000]);
  });

  it('leaves no file and no temporary file behind when its input fails', async () => {
    const sub = mkdtempSync(join(dir, 'fail-'));
    const table = tableOf(makeRows(10, 7));
    async function* failing(): AsyncGenerator<EventsTable> {
      yield table;
      throw new Error('source died');
    }
    await expect(writeEventsParquet(join(sub, 'out.parquet'), failing())).rejects.toThrow('source died');
    expect(readdirSync(sub)).toEqual([]);
  });

  it('refuses a null in a required column', async () => {
    const t = tableOf(makeRows(10, 8));
    t.ts[3] = NaN;
    const sub = mkdtempSync(join(dir, 'req-'));
    await expect(writeEventsParquet(join(sub, 'out.parquet'), [t])).rejects.toThrow(/column ts is required/);
    expect(readdirSync(sub)).toEqual([]);
  });
});

describe('EventsParquetFileWriter', () => {
  it('places row groups encoded beforehand and equals writeEventsParquet byte for byte', async () => {
    const rows = makeRows(4_000, 9);
    const chunks = [tableOf(rows.slice(0, 1_500)), tableOf(rows.slice(1_500))];
    const codec = await parquetCodec('zstd');
    const encoded = chunks.flatMap((c) => [...rowGroupParts(c, 1_000)].map((p) => encodeEventsRowGroup(p, codec)));
    const path = nextPath();
    const w = await EventsParquetFileWriter.open(path, { metadata: { 'phantom.generate.seed': '9' } });
    for (const rg of encoded) await w.appendRowGroup(rg);
    const sessions = new Set([...chunks[0]!.sessionId.dict, ...chunks[1]!.sessionId.dict]).size;
    expect(await w.finish({ 'phantom.sessions': String(sessions) })).toEqual({ rows: 4_000 });
    await expectReadsBack(path, rows);
    const viaWrite = nextPath();
    await writeEventsParquet(viaWrite, chunks, { rowGroupSize: 1_000, metadata: { 'phantom.generate.seed': '9' } });
    expect((await readFile(path)).equals(await readFile(viaWrite))).toBe(true);
  });

  it('abort removes the temporary file and lands nothing', async () => {
    const sub = mkdtempSync(join(dir, 'abort-'));
    const w = await EventsParquetFileWriter.open(join(sub, 'out.parquet'));
    await w.appendRowGroup(encodeEventsRowGroup(tableOf(makeRows(10, 10)), await parquetCodec('snappy')));
    expect(readdirSync(sub).length).toBe(1);
    await w.abort();
    expect(readdirSync(sub)).toEqual([]);
    expect(existsSync(join(sub, 'out.parquet'))).toBe(false);
  });
});
