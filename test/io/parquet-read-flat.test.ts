// The direct reader for all-double Parquet files must give exactly the values parquet-wasm + Arrow give (the
// oracle: an independent decoder of the same bytes), across what parquet-wasm writes — dictionary pages,
// PLAIN pages, required and optional columns with nulls, several row groups, zstd and no
// compression — and must decline (null) every file it does not handle, so readDataTable falls back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pw from 'parquet-wasm/node';
import { afterAll, describe, expect, it } from 'vitest';
import * as arrow from '../../src/io/arrow.js';
import { float64Data, recordBatch, utf8Data } from '../../src/io/arrow-vectors.js';
import { type CompressionName, readParquet, writeParquet } from '../../src/io/parquet.js';
import { parquetFooterSummary, readFlatDoubleParquet } from '../../src/io/parquet-read-flat.js';
import { encodeFileMetaData, PhysicalType, Repetition } from '../../src/io/parquet-thrift.js';
import { readDataTable, tableFromArrow } from '../../src/models/dataset/data-table.js';
import { createRng } from '../../src/stats/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-flat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const n = 30_000;
const rng = createRng(7);
/** many distinct values (dictionary overflows to PLAIN), few values, nulls, ±0 and ±∞ */
const cols: Record<string, Float64Array> = {
  wide: Float64Array.from({ length: n }, () => rng.normal()),
  few: Float64Array.from({ length: n }, () => Math.floor(rng.next() * 5) / 4),
  holes: Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 || i > n - 50 ? NaN : rng.normal() * 1e6)),
  edges: Float64Array.from({ length: n }, (_, i) => [0, -0, Infinity, -Infinity, 1e-310, Number.MAX_VALUE][i % 6]!),
  empty: new Float64Array(n).fill(NaN),
};

async function write(name: string, compression: CompressionName, rowGroupSize: number, nullable = true): Promise<string> {
  const path = join(dir, name);
  const batch = recordBatch(Object.entries(cols).map(([col, values]) => ({ name: col, data: float64Data(values), nullable: nullable || col === 'holes' || col === 'empty' })));
  await writeParquet(path, [batch], { compression, rowGroupSize, plainColumns: ['wide', 'holes'], metadata: { 'phantom.schema_version': '1', note: 'flat' } });
  return path;
}

/** Every column's bytes (NaN payloads included) and the metadata, as the Arrow path reads them. */
async function expectSameAsArrow(path: string): Promise<void> {
  const flat = await readFlatDoubleParquet(await readFile(path));
  expect(flat).not.toBeNull();
  const ref = tableFromArrow(await readParquet(path));
  expect(flat!.nRows).toBe(ref.nRows);
  expect(flat!.metadata).toEqual(ref.metadata);
  expect(flat!.columns.map((c) => c.name)).toEqual(ref.columns.map((c) => c.name));
  ref.columns.forEach((c, j) => {
    if (c.kind !== 'numeric') throw new Error('expected numeric');
    const got = flat!.columns[j]!.values;
    expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(c.values.buffer, c.values.byteOffset, c.values.byteLength))).toBe(true);
  });
}

describe('readFlatDoubleParquet', () => {
  it('reads zstd files with nulls, dictionary and PLAIN pages, several row groups, as parquet-wasm does', async () => {
    await expectSameAsArrow(await write('zstd.parquet', 'zstd', 12_345));
    await expectSameAsArrow(await write('one-group.parquet', 'zstd', 1_000_000));
  });

  it('reads uncompressed files and required columns', async () => {
    await expectSameAsArrow(await write('none.parquet', 'none', 10_000, false));
  });

  it('reads data pages v2 (parquet-wasm with WriterVersion.V2)', async () => {
    const path = join(dir, 'v2.parquet');
    // schema-level Arrow metadata too: it travels inside ARROW:schema and joins the footer's missing keys
    const batch = recordBatch(Object.entries(cols).map(([col, values]) => ({ name: col, data: float64Data(values), nullable: true })), new Map([['note', 'schema'], ['origin', 'arrow']]));
    const props = new pw.WriterPropertiesBuilder().setWriterVersion(pw.WriterVersion.V2).setCompression(pw.Compression.ZSTD)
      .setMaxRowGroupSize(20_000).setColumnDictionaryEnabled('wide', false).setKeyValueMetadata(new Map([['note', 'footer']])).build();
    writeFileSync(path, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(batch), 'stream')), props));
    const bytes = await readFile(path);
    expect(bytes.includes(Buffer.from('ARROW:schema'))).toBe(true);
    await expectSameAsArrow(path);
    expect((await readFlatDoubleParquet(bytes))!.metadata).toEqual({ note: 'footer', origin: 'arrow' });
  });

  it('declines other codecs, other column types and damaged files (readDataTable falls back to parquet-wasm)', async () => {
    const snappy = await write('snappy.parquet', 'snappy', 1_000_000);
    expect(await readFlatDoubleParquet(await readFile(snappy))).toBeNull();
    expect((await readDataTable(snappy)).columns.map((c) => c.name)).toEqual(Object.keys(cols));

    const mixed = join(dir, 'mixed.parquet');
    await writeParquet(mixed, [recordBatch([
      { name: 'x', data: float64Data(Float64Array.of(1, NaN, 3)), nullable: true },
      { name: 's', data: utf8Data(['a', null, 'b']), nullable: true },
    ])]);
    expect(await readFlatDoubleParquet(await readFile(mixed))).toBeNull();
    const t = await readDataTable(mixed);
    expect(t.columns.map((c) => c.kind)).toEqual(['numeric', 'category']);

    const good = await readFile(await write('cut.parquet', 'zstd', 1_000_000));
    const cut = Buffer.from(good);
    cut.fill(0x55, 4, 4000); // the first page header and body, footer intact
    expect(await readFlatDoubleParquet(cut)).toBeNull();
    expect(await readFlatDoubleParquet(good.subarray(0, good.length - 100))).toBeNull();
    const path = join(dir, 'damaged.parquet');
    writeFileSync(path, cut);
    await expect(readDataTable(path)).rejects.toThrow(/damaged\.parquet/);
  });
});

describe('parquetFooterSummary', () => {
  it('names the columns and metadata parquet-wasm reports, with or without an embedded Arrow schema', async () => {
    const files = ['zstd.parquet', 'v2.parquet', 'mixed.parquet'].map((f) => join(dir, f));
    files.push(new URL('../../fixtures/events.parquet', import.meta.url).pathname); // direct encoder: no ARROW:schema
    for (const path of files) {
      const bytes = await readFile(path);
      const footer = bytes.subarray(bytes.length - 8 - bytes.readUInt32LE(bytes.length - 4 - 4), bytes.length - 8);
      const file = await pw.ParquetFile.fromFile(new Blob([bytes]));
      const schema = arrow.tableFromIPC(file.schema().intoIPCStream()).schema;
      file.free();
      const got = parquetFooterSummary(footer);
      expect(got?.columns).toEqual(schema.fields.map((f) => f.name));
      expect(got?.metadata).toEqual(Object.fromEntries(schema.metadata));
    }
    expect(parquetFooterSummary(Uint8Array.of(0x15, 0x02, 0x19))).toBeNull();
  });

  it('takes the top-level names from a nested schema when there is no ARROW:schema', () => {
    const footer = encodeFileMetaData({
      schema: [
        { name: 'root', numChildren: 3 },
        { name: 'a', type: PhysicalType.DOUBLE, repetition: Repetition.OPTIONAL },
        { name: 's', repetition: Repetition.OPTIONAL, numChildren: 2 },
        { name: 'x', type: PhysicalType.INT32, repetition: Repetition.REQUIRED },
        { name: 'y', type: PhysicalType.DOUBLE, repetition: Repetition.OPTIONAL },
        { name: 'b', type: PhysicalType.DOUBLE, repetition: Repetition.REQUIRED },
      ],
      numRows: 0, rowGroups: [], keyValueMetadata: [['phantom.kind', 'sessions'], ['__proto__', 'x']], createdBy: 'test',
    });
    const got = parquetFooterSummary(footer);
    expect(got?.columns).toEqual(['a', 's', 'b']);
    expect(got?.metadata).toEqual(Object.fromEntries([['phantom.kind', 'sessions'], ['__proto__', 'x']]));
    expect(Object.getPrototypeOf(got?.metadata)).toBe(Object.prototype);
  });
});
