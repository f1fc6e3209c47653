// The one "Parquet or CSV by extension" writer (src/io/table-file.ts): the CSV holds exactly the values the
// Parquet file holds, read back by an independent reader (hyparquet), under one null convention — a null is
// a Parquet null and an empty CSV cell — with booleans true/false, numbers as JavaScript prints them and
// RFC 4180 quoting; a path that is neither is one UsageError.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { boolData, dictionaryData, float64Data, int32Data, recordBatch, utf8Data, utf8FromCodes } from '../../src/io/arrow-vectors.js';
import { tableFormatOf, writeTable } from '../../src/io/table-file.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-table-file-'));

/** Two batches over every column type the writers use, each with nulls where the type allows them. */
function batches() {
  const part = (lo: number) => recordBatch([
    { name: 'id', data: utf8Data([`s${lo}`, 'a,"quoted"', null, 'ü\nline']), nullable: true },
    { name: 'level', data: dictionaryData(Int32Array.of(0, -1, 1, 0), ['Chrome', 'Other, "x"'], 0), nullable: true },
    { name: 'ids', data: utf8FromCodes(Int32Array.of(1, 0, -1, 1), ['p', 'q']), nullable: true },
    { name: 'flag', data: boolData(Int8Array.of(1, 0, -1, 1)), nullable: true },
    { name: 'n', data: int32Data(Int32Array.of(3, -1, 0, 7 + lo)), nullable: true },
    { name: 'x', data: float64Data(Float64Array.of(0.1 + 0.2, NaN, -0, 1e-300 * lo)), nullable: true },
  ]);
  return [part(0), part(4)];
}

const text = (v: unknown): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

describe('writeTable', () => {
  it('CSV = the Parquet values as text, null = empty cell', async () => {
    const pq = join(dir, 't.parquet'), csv = join(dir, 't.csv');
    expect(await writeTable(pq, batches(), { metadata: { 'phantom.kind': 'test' } })).toMatchObject({ rows: 8 });
    expect(await writeTable(csv, batches())).toEqual({ rows: 8, sha256: null });
    const buf = readFileSync(pq);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const rows = (await parquetReadObjects({ file, compressors })) as Record<string, unknown>[];
    expect(rows).toHaveLength(8);
    expect(rows[2]).toEqual({ id: null, level: 'Other, "x"', ids: null, flag: null, n: 0, x: -0 });
    expect(rows[1]).toMatchObject({ level: null, n: null, x: null, flag: false });
    const names = Object.keys(rows[0]!);
    const expected = `${names.join(',')}\n${rows.map((r) => `${names.map((k) => text(r[k])).join(',')}\n`).join('')}`;
    expect(readFileSync(csv, 'utf8')).toBe(expected);
    expect(readFileSync(csv, 'utf8').split('\n')[2]).toBe('"a,""quoted""",,p,false,,'); // row 1: nulls are empty cells
  });

  it('booleans as 0/1 when asked (predict\'s predicted column); the format by extension or option', async () => {
    const one = () => [recordBatch([{ name: 'predicted', data: boolData(Int8Array.of(1, 0)), nullable: false }])];
    await writeTable(join(dir, 'p.csv'), one(), { csvBooleans: ['0', '1'] });
    expect(readFileSync(join(dir, 'p.csv'), 'utf8')).toBe('predicted\n1\n0\n');
    await writeTable(join(dir, 'p.txt'), one(), { format: 'csv' });
    expect(readFileSync(join(dir, 'p.txt'), 'utf8')).toBe('predicted\ntrue\nfalse\n');
    expect(tableFormatOf('a.PQ')).toBe('parquet');
    expect(() => tableFormatOf('scores.json')).toThrow(UsageError);
    expect(() => tableFormatOf('scores.json')).toThrow('-o scores.json: a table is written as .parquet (or .pq) or .csv');
    await expect(writeTable(join(dir, 'x.tsv'), one())).rejects.toThrow(/x\.tsv: a table is written as/);
  });
});
