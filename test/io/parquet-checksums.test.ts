// Page checksums (src/io/parquet-checksums.ts, docs/formats.md "Page checksums"): phantom's encoder stores the
// CRC-32 of every page, every read checks the pages that carry one, and a damaged page is refused with the
// file and the column named, on all three read paths (whole file through parquet-wasm, the streaming read
// of `features`, the direct reader of train/predict/distill/evaluate). Files without checksums read as before.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDataTable } from '../../src/models/dataset/data-table.js';
import { parquetCodec } from '../../src/io/parquet-codecs.js';
import { PageChecksumMismatch, pageCrc, verifyFilePageChecksums, verifyPageChecksums } from '../../src/io/parquet-checksums.js';
import { ColumnChunkWriter } from '../../src/io/parquet-encode.js';
import { readFlatParquet } from '../../src/io/parquet-read-flat.js';
import { ConvertedType, encodeFileMetaData, PhysicalType, Repetition } from '../../src/io/parquet-thrift.js';
import { readParquet } from '../../src/io/parquet.js';
import { Compact, list, need, num, struct, type TStruct } from '../../src/io/thrift-compact-read.js';
import { phantom, ROOT } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-crc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAGIC = Buffer.from('PAR1');
const N = 1000;
const X = Float64Array.from({ length: N }, (_, i) => (i % 11 === 0 ? Number.NaN : i * 0.5));
const IDS = Array.from({ length: N }, (_, i) => `s${i % 37}`);

/** A flat file the direct reader takes (a double and a dictionary string column), written by phantom's encoder. */
async function flatFile(): Promise<Buffer> {
  const w = new ColumnChunkWriter(await parquetCodec('zstd'), 300);
  const cols = [w.doubles(['x'], X), w.strings(['id'], IDS)].map((c) => ({
    ...c, dataPageOffset: c.dataPageOffset + 4, ...(c.dictionaryPageOffset === undefined ? {} : { dictionaryPageOffset: c.dictionaryPageOffset + 4 }),
  }));
  const body = Buffer.from(w.out.buf.subarray(0, w.out.pos));
  const footer = encodeFileMetaData({
    schema: [
      { name: 'schema', numChildren: 2 },
      { name: 'x', type: PhysicalType.DOUBLE, repetition: Repetition.OPTIONAL },
      { name: 'id', type: PhysicalType.BYTE_ARRAY, repetition: Repetition.OPTIONAL, convertedType: ConvertedType.UTF8, logicalType: { kind: 'string' } },
    ],
    numRows: N,
    rowGroups: [{ columns: cols, totalByteSize: cols.reduce((s, c) => s + c.totalUncompressedSize, 0), numRows: N, fileOffset: 4, totalCompressedSize: body.length, ordinal: 0 }],
    keyValueMetadata: [],
    createdBy: 'phantom test',
  });
  const len = Buffer.alloc(4);
  len.writeUInt32LE(footer.length);
  return Buffer.concat([MAGIC, body, footer, len, MAGIC]);
}

/** Each column chunk's name and the offset of its last byte (inside its last page's bytes, never a header). */
function lastBytes(bytes: Uint8Array): { column: string; at: number }[] {
  const len = Buffer.from(bytes.buffer, bytes.byteOffset).readUInt32LE(bytes.length - 8);
  const meta = new Compact(bytes.subarray(bytes.length - 8 - len, bytes.length - 8)).struct();
  return (list(meta, 4) as TStruct[]).flatMap((rg) => (list(rg, 1) as TStruct[]).map((chunk) => {
    const cm = struct(chunk, 3)!;
    const dict = num(cm, 11);
    const start = dict !== undefined && dict > 0 && dict < need(cm, 9) ? dict : need(cm, 9);
    return { column: new TextDecoder().decode(list(cm, 3)[0] as Uint8Array), at: start + need(cm, 7) - 1 };
  }));
}

const flipped = (bytes: Uint8Array, at: number): Buffer => {
  const d = Buffer.from(bytes);
  d[at]! ^= 0x01;
  return d;
};

describe('Parquet page checksums', () => {
  it('are the standard CRC-32 (the check value of "123456789" is 0xCBF43926)', () => {
    expect(pageCrc(Buffer.from('123456789')) >>> 0).toBe(0xcbf43926);
  });

  it('phantom stores one on every page; parquet-wasm and the direct reader read the file; a damaged page in any column is refused by name', async () => {
    const good = await flatFile();
    expect(verifyPageChecksums(good)).toEqual({ pages: 9, checked: 9 }); // x: 4 data pages; id: a dictionary page + 4
    const path = join(dir, 'flat.parquet');
    writeFileSync(path, good);
    expect(await verifyFilePageChecksums(path)).toEqual({ pages: 9, checked: 9 });
    const flat = (await readFlatParquet(good))!;
    expect(flat.nRows).toBe(N);
    expect((flat.columns[0] as { values: Float64Array }).values).toEqual(X);
    const t = await readParquet(path);
    expect(t.getChild('id')!.get(40)).toBe('s3');

    const damaged = lastBytes(good);
    expect(damaged.map((d) => d.column)).toEqual(['x', 'id']);
    for (const { column, at } of damaged) {
      const bad = flipped(good, at);
      const badPath = join(dir, `bad-${column}.parquet`);
      writeFileSync(badPath, bad);
      const message = new RegExp(`page checksum mismatch in column ${column}, page at byte \\d+: CRC-32 stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}; the file is damaged`);
      expect(() => verifyPageChecksums(bad)).toThrow(PageChecksumMismatch);
      await expect(verifyFilePageChecksums(badPath)).rejects.toThrow(message);
      await expect(readFlatParquet(bad)).rejects.toThrow(message); // the direct reader, not a fall-back to parquet-wasm
      await expect(readParquet(badPath)).rejects.toThrow(`${badPath} is not a readable Parquet file (page checksum mismatch in column ${column}`);
      await expect(readDataTable(badPath)).rejects.toThrow(`${badPath} is not a readable Parquet file (page checksum mismatch in column ${column}`);
    }
  });

  it('a file without checksums reads as before (the bundled events were written before them)', async () => {
    const path = join(ROOT, 'fixtures/events.parquet');
    expect(verifyPageChecksums(readFileSync(path))).toEqual({ pages: 31, checked: 0 });
    expect(await verifyFilePageChecksums(path)).toEqual({ pages: 0, checked: 0 }); // stops at the first page without one
  });

  it('phantom features refuses a generated events file with one flipped byte (exit 2) and reads the intact one', () => {
    const events = join(dir, 'gen.parquet');
    expect(phantom(['generate', '-n', '40', '--seed', '3', '-o', events, '-q']).code).toBe(0);
    const bytes = readFileSync(events);
    const s = verifyPageChecksums(bytes);
    expect(s.checked).toBe(s.pages);
    expect(s.pages).toBeGreaterThan(10);
    const { column, at } = lastBytes(bytes)[0]!;
    const bad = join(dir, 'gen-bad.parquet');
    writeFileSync(bad, flipped(bytes, at));
    const r = phantom(['features', bad, '-o', join(dir, 'f.parquet'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad} is not a readable Parquet file (page checksum mismatch in column ${column}`);
    expect(phantom(['features', events, '-o', join(dir, 'f.parquet'), '-q']).code).toBe(0);
  }, 30_000);
});
