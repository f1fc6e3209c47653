// The direct reader on the files `phantom features` writes (strings, dictionary strings, booleans, int32,
// doubles, nulls) and on int64 / float columns: every column must equal what parquet-wasm + Arrow +
// tableFromArrow give for the same bytes (values byte for byte, category codes and dictionary order), across
// codecs, data page versions and row groups; whatever it cannot read it must decline, so readDataTable
// falls back to parquet-wasm.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pw from 'parquet-wasm/node';
import { afterAll, describe, expect, it } from 'vitest';
import * as arrow from '../../src/io/arrow.js';
import { boolData, dictionaryData, float64Data, int32Data, int64Data, recordBatch, utf8Data } from '../../src/io/arrow-vectors.js';
import { type CompressionName, readParquet, useFlatWriter, writeParquet } from '../../src/io/parquet.js';
import { readFlatParquet } from '../../src/io/parquet-read-flat.js';
import { readDataTable, tableFromArrow } from '../../src/models/dataset/data-table.js';
import { createRng } from '../../src/stats/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-mixed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = new URL('../../bin/phantom.js', import.meta.url).pathname;
const events = new URL('../../fixtures/events.parquet', import.meta.url).pathname;

const n = 10_000;
const rng = createRng(11);
const levels = ['Chrome', 'Firefox', 'Safari', 'Édge ü', ''];
/** A sessions-like batch: ids (distinct), a nullable Utf8 with few values, a Dictionary, booleans, int32, int64, doubles. */
function batch(rows: number, offset = 0): arrow.RecordBatch {
  const codes = Int32Array.from({ length: rows }, (_, i) => (i % 11 === 3 ? -1 : Math.floor(rng.next() * levels.length)));
  return recordBatch([
    { name: 'sessionId', data: utf8Data(Array.from({ length: rows }, (_, i) => `s-${(offset + i) * 7919 % 100_003}`)), nullable: false },
    { name: 'site', data: utf8Data(Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : `site-${Math.floor(rng.next() * 4)}`))), nullable: true },
    { name: 'is_agent', data: boolData(Int8Array.from({ length: rows }, (_, i) => (i % 13 === 0 ? -1 : rng.next() < 0.3 ? 1 : 0))), nullable: true },
    { name: 'flag', data: boolData(Int8Array.from({ length: rows }, () => (rng.next() < 0.5 ? 1 : 0))), nullable: false },
    { name: 'count', data: int32Data(Int32Array.from({ length: rows }, (_, i) => (i % 9 === 0 ? -1 : Math.floor(rng.normal() * 1e5))), -1), nullable: true },
    { name: 'big', data: int64Data(Float64Array.from({ length: rows }, (_, i) => (i % 17 === 0 ? NaN : Math.floor(rng.normal() * 2 ** 52)))), nullable: true },
    { name: 'x', data: float64Data(Float64Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? NaN : rng.normal()))), nullable: true },
    { name: 'browser_family', data: dictionaryData(codes, levels, 0), nullable: true },
  ], new Map([['phantom.kind', 'sessions']]));
}

/** The direct read must equal the Arrow path's DataTable exactly (numbers compared as bytes). */
async function expectSame(path: string): Promise<void> {
  const flat = await readFlatParquet(await readFile(path));
  expect(flat, `${path} declined`).not.toBeNull();
  const ref = tableFromArrow(await readParquet(path));
  expect(ref.skipped).toEqual([]);
  expect(flat!.nRows).toBe(ref.nRows);
  expect(flat!.metadata).toEqual(ref.metadata);
  expect(flat!.columns.map((c) => [c.name, c.kind])).toEqual(ref.columns.map((c) => [c.name, c.kind]));
  ref.columns.forEach((c, j) => {
    const got = flat!.columns[j]!;
    if (c.kind === 'numeric' && got.kind === 'numeric') {
      expect(got.boolean, c.name).toBe(c.boolean);
      expect(Buffer.from(got.values.buffer, got.values.byteOffset, got.values.byteLength).equals(Buffer.from(c.values.buffer, c.values.byteOffset, c.values.byteLength)), c.name).toBe(true);
    } else if (c.kind === 'category' && got.kind === 'category') {
      expect(got.dict, c.name).toEqual(c.dict);
      expect(Buffer.from(got.codes.buffer).equals(Buffer.from(c.codes.buffer, c.codes.byteOffset, c.codes.byteLength)), c.name).toBe(true);
    }
  });
}

async function write(name: string, compression: CompressionName, rowGroupSize: number, batches = [batch(n)]): Promise<string> {
  const path = join(dir, name);
  await writeParquet(path, batches, { compression, rowGroupSize, plainColumns: ['sessionId', 'x'], metadata: { 'phantom.schema_version': '1' } });
  return path;
}

describe('readFlatParquet on mixed columns', () => {
  it('reads what phantom features writes, as parquet-wasm does', async () => {
    const out = join(dir, 'sessions.parquet');
    execFileSync(process.execPath, [bin, 'features', events, '-o', out, '-q']);
    await expectSame(out);
    const t = await readFlatParquet(await readFile(out));
    expect(t!.columns.map((c) => c.kind)).toContain('category');
    expect(t!.columns.some((c) => c.kind === 'numeric' && c.boolean)).toBe(true);
  });

  it('reads zstd, gzip and uncompressed files, one or several row groups (dictionaries per row group), several batches', async () => {
    await expectSame(await write('zstd.parquet', 'zstd', 1_000_000));
    await expectSame(await write('groups.parquet', 'zstd', 2_001, [batch(6_000), batch(5_000, 6_000)]));
    await expectSame(await write('gzip.parquet', 'gzip', 4_000));
    await expectSame(await write('none.parquet', 'none', 1_000_000));
  });

  it('reads data pages v2 (RLE booleans) and an empty file', async () => {
    const path = join(dir, 'v2.parquet');
    const props = new pw.WriterPropertiesBuilder().setWriterVersion(pw.WriterVersion.V2).setCompression(pw.Compression.ZSTD).setMaxRowGroupSize(3_000).build();
    writeFileSync(path, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(batch(n)), 'stream')), props));
    await expectSame(path);
    await expectSame(await write('empty.parquet', 'zstd', 1_000_000, [batch(0)]));
  });

  it('declines snappy and damaged pages; readDataTable then falls back and names a damaged file', async () => {
    const snappy = await write('snappy.parquet', 'snappy', 1_000_000, [batch(500)]);
    expect(await readFlatParquet(await readFile(snappy))).toBeNull();
    expect((await readDataTable(snappy)).columns).toHaveLength(8);
    const good = await readFile(await write('cut.parquet', 'zstd', 1_000_000, [batch(2_000)]));
    const cut = Buffer.from(good);
    cut.fill(0x55, 4, 3000);
    expect(await readFlatParquet(cut)).toBeNull();
    expect(await readFlatParquet(good.subarray(0, good.length - 50))).toBeNull();
    const path = join(dir, 'damaged.parquet');
    writeFileSync(path, cut);
    await expect(readDataTable(path)).rejects.toThrow(/damaged\.parquet/);
  });

  it('declines a string page whose strings end before the page does (a changed length, every string in bounds)', async () => {
    // an arrow-rs file (no page checksums): phantom's own writer's checksum would refuse the page before decoding
    useFlatWriter(false);
    const bytes = Buffer.from(await readFile(await write('short.parquet', 'none', 1_000_000, [batch(10)]).finally(() => useFlatWriter(true))));
    expect(await readFlatParquet(bytes)).not.toBeNull();
    // the last sessionId of the page, 's-71271' (row 9: 9 × 7919 mod 100,003), stored as length 7 + bytes
    const at = bytes.indexOf(Buffer.concat([Buffer.from([7, 0, 0, 0]), Buffer.from('s-71271')]));
    expect(at).toBeGreaterThan(0);
    bytes[at] = 6; // now 's-7127': the page has one byte left over
    expect(await readFlatParquet(bytes)).toBeNull();
  });
});
