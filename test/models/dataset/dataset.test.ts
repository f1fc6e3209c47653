// The generic table reader and the encoding models store: CSV inference as pandas writes it, Parquet of
// any layout, one-hot levels re-applied to new data, labels, the fingerprint.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boolData, dictionaryData, float64Data, int32Data, recordBatch, utf8Data } from '../../../src/io/arrow-vectors.js';
import { writeParquet } from '../../../src/io/parquet.js';
import {
  binaryLabel, dataFingerprint, encodeTable, encodedNames, fitEncoding, readDataTable, trainingData, type DataTable,
} from '../../../src/models/dataset/index.js';

async function tmpFile(name: string, text?: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'phantom-dataset-')), name);
  if (text !== undefined) await writeFile(path, text);
  return path;
}

const CSV = [
  'sessionId,is_agent,speed,headless,browser,note,purchased',
  's1,True,1.5,False,Chrome,a,1',
  's2,False,,True,Firefox,b,0',
  's3,,2e3,,,c,1',
  's4,False,NaN,False,"Chrome, old",d,0',
].join('\n');

describe('readDataTable (CSV)', () => {
  it('infers numbers, booleans (0/1) and categories, with pandas null spellings', async () => {
    const t = await readDataTable(await tmpFile('s.csv', `${CSV}\n`));
    expect(t.nRows).toBe(4);
    const col = (n: string) => t.columns.find((c) => c.name === n)!;
    expect(col('speed')).toMatchObject({ kind: 'numeric', boolean: false });
    expect(Array.from((col('speed') as { values: Float64Array }).values)).toEqual([1.5, NaN, 2000, NaN]);
    expect(col('headless')).toMatchObject({ kind: 'numeric', boolean: true });
    expect(Array.from((col('headless') as { values: Float64Array }).values)).toEqual([0, 1, NaN, 0]);
    const browser = col('browser') as { kind: string; codes: Int32Array; dict: string[] };
    expect(browser.kind).toBe('category');
    expect(Array.from(browser.codes, (c) => (c < 0 ? null : browser.dict[c]))).toEqual(['Chrome', 'Firefox', null, 'Chrome, old']);
  });

  it('names the line whose field count differs from the header, and duplicate columns', async () => {
    await expect(readDataTable(await tmpFile('bad.csv', 'a,b\n1,2\n3\n'))).rejects.toThrow(/line 3 has 1 fields, the header has 2/);
    await expect(readDataTable(await tmpFile('dup.csv', 'a,a\n1,2\n'))).rejects.toThrow(/'a' appears twice/);
    await expect(readDataTable(await tmpFile('none.csv'))).rejects.toThrow(/no such file/);
    await expect(readDataTable('x.xlsx')).rejects.toThrow(/\.parquet or \.csv/);
  });
});

describe('readDataTable (Parquet of any layout)', () => {
  it('reads int, float, bool and dictionary/utf8 columns, no sessionId needed', async () => {
    const path = await tmpFile('t.parquet');
    await writeParquet(path, [recordBatch([
      { name: 'n', data: int32Data(Int32Array.of(3, -1, 5)), nullable: true },
      { name: 'x', data: float64Data(Float64Array.of(0.5, NaN, 2)), nullable: true },
      { name: 'flag', data: boolData(Int8Array.of(1, 0, -1)), nullable: true },
      { name: 'kind', data: dictionaryData(Int32Array.of(0, 1, -1), ['a', 'b'], 0), nullable: true },
      { name: 'text', data: utf8Data(['u', null, 'v']), nullable: true },
    ], new Map([['k', 'v']]))], { metadata: { k: 'v' } });
    const t = await readDataTable(path);
    expect(t.metadata.k).toBe('v');
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual([['n', 'numeric'], ['x', 'numeric'], ['flag', 'numeric'], ['kind', 'category'], ['text', 'category']]);
    expect(Array.from((t.columns[0] as { values: Float64Array }).values)).toEqual([3, NaN, 5]);
    expect(Array.from((t.columns[2] as { values: Float64Array }).values)).toEqual([1, 0, NaN]);
  });
});

function table(): DataTable {
  return {
    nRows: 5, metadata: {}, skipped: [],
    columns: [
      { name: 'sessionId', kind: 'category', codes: Int32Array.of(0, 1, 2, 3, 4), dict: ['a', 'b', 'c', 'd', 'e'] },
      { name: 'is_agent', kind: 'numeric', values: Float64Array.of(1, 0, 1, 0, NaN), boolean: true },
      { name: 'purchased', kind: 'numeric', values: Float64Array.of(0, 1, 0, 1, 0), boolean: true },
      { name: 'speed', kind: 'numeric', values: Float64Array.of(1, 2, NaN, 4, 5), boolean: false },
      { name: 'browser', kind: 'category', codes: Int32Array.of(1, 0, -1, 1, 2), dict: ['Firefox', 'Chrome', 'Edge'] },
      { name: 'leak', kind: 'numeric', values: Float64Array.of(1, 0, 1, 0, 1), boolean: false },
    ],
  };
}

describe('fitEncoding / encodeTable', () => {
  it('never uses ids or labels, drops --exclude, one-hot encodes text as column=level in sorted order', () => {
    const { encoding } = fitEncoding(table(), { label: 'is_agent', exclude: ['leak'] });
    expect(encodedNames(encoding)).toEqual(['speed', 'browser=Chrome', 'browser=Edge', 'browser=Firefox']);
    const X = encodeTable(table(), encoding);
    expect(X.nCols).toBe(4);
    const row = (r: number) => Array.from(X.values.subarray(r * 4, r * 4 + 4));
    expect(row(0)).toEqual([1, 1, 0, 0]);
    expect(row(2)).toEqual([NaN, NaN, NaN, NaN]); // null category: missing in every level column
    // with label purchased, is_agent is still never a feature
    expect(encodedNames(fitEncoding(table(), { label: 'purchased' }).encoding)).not.toContain('is_agent');
  });

  it('re-applies stored levels to new data: unseen level → zeros, missing columns named together', () => {
    const { encoding } = fitEncoding(table(), { label: 'is_agent' });
    const fresh: DataTable = {
      nRows: 2, metadata: {}, skipped: [],
      columns: [
        { name: 'browser', kind: 'category', codes: Int32Array.of(0, 1), dict: ['Safari', 'Edge'] },
        { name: 'speed', kind: 'numeric', values: Float64Array.of(7, 8), boolean: false },
        { name: 'leak', kind: 'numeric', values: Float64Array.of(0, 0), boolean: false },
      ],
    };
    const X = encodeTable(fresh, encoding);
    expect(X.featureNames).toEqual(encodedNames(encoding));
    expect(Array.from(X.values.subarray(0, 5))).toEqual([7, 0, 0, 0, 0]);
    expect(Array.from(X.values.subarray(5, 10))).toEqual([8, 0, 1, 0, 0]);
    const lacking: DataTable = { ...fresh, columns: fresh.columns.slice(2) };
    expect(() => encodeTable(lacking, encoding)).toThrow(/missing columns speed, browser/);
  });

  it('refuses unknown --exclude names, and skips identifier-like text columns with a note', () => {
    expect(() => fitEncoding(table(), { label: 'is_agent', exclude: ['nope', 'speed'] })).toThrow(/--exclude .*nope/);
    const n = 30;
    const ids: DataTable = {
      nRows: n, metadata: {}, skipped: [],
      columns: [
        { name: 'user', kind: 'category', codes: Int32Array.from({ length: n }, (_, i) => i), dict: Array.from({ length: n }, (_, i) => `u${i}`) },
        { name: 'x', kind: 'numeric', values: new Float64Array(n), boolean: false },
      ],
    };
    const fitted = fitEncoding(ids, { label: 'y' });
    expect(encodedNames(fitted.encoding)).toEqual(['x']);
    expect(fitted.notes[0]).toMatch(/'user'.*identifier/);
  });

  it('keeps the most frequent levels when there are more than maxLevels', () => {
    const codes = Int32Array.of(0, 0, 0, 1, 1, 2, 3);
    const t: DataTable = { nRows: 7, metadata: {}, skipped: [], columns: [{ name: 'c', kind: 'category', codes, dict: ['z', 'y', 'x', 'w'] }] };
    const fitted = fitEncoding(t, { label: 'y', maxLevels: 2 });
    expect(encodedNames(fitted.encoding)).toEqual(['c=y', 'c=z']);
    expect(fitted.notes[0]).toMatch(/4 levels; the 2 most frequent/);
  });
});

describe('labels and training data', () => {
  it('reads boolean, numeric and text labels; rejects anything else by example', () => {
    expect(Array.from(binaryLabel(table(), 'is_agent'))).toEqual([1, 0, 1, 0, -1]);
    const text: DataTable = { nRows: 3, metadata: {}, skipped: [], columns: [{ name: 'y', kind: 'category', codes: Int32Array.of(0, 1, -1), dict: ['True', 'false'] }] };
    expect(Array.from(binaryLabel(text, 'y'))).toEqual([1, 0, -1]);
    expect(() => binaryLabel(table(), 'speed')).toThrow(/must hold 0\/1 or true\/false; found 2, 4, 5/);
    expect(() => binaryLabel(table(), 'nope')).toThrow(/no label column 'nope'/);
  });

  it('drops unlabelled rows and fingerprints what is left; the fingerprint follows data and labels', () => {
    const d = trainingData(table(), { label: 'is_agent' });
    expect(d.unlabelled).toBe(1);
    expect(Array.from(d.rows)).toEqual([0, 1, 2, 3]);
    expect(Array.from(d.y)).toEqual([1, 0, 1, 0]);
    expect(d.fingerprint).toMatchObject({ rows: 4, positives: 2, features: d.X.nCols });
    expect(dataFingerprint(d.X, d.y).sha256).toBe(d.fingerprint.sha256);
    expect(dataFingerprint(d.X, Uint8Array.of(1, 0, 0, 0)).sha256).not.toBe(d.fingerprint.sha256);
    const moved = { ...d.X, values: d.X.values.map((v, i) => (i === 0 ? v + 1 : v)) };
    expect(dataFingerprint(moved, d.y).sha256).not.toBe(d.fingerprint.sha256);
    expect(() => trainingData(table(), { label: 'leak' })).not.toThrow();
    const oneClass = { ...table(), columns: table().columns.map((c) => (c.name === 'is_agent' ? { ...c, values: Float64Array.of(1, 1, 1, 1, 1) } : c)) };
    expect(() => trainingData(oneClass, { label: 'is_agent' })).toThrow(/both classes/);
  });
});
