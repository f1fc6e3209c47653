// Flat tables written by phantom's encoder (src/io/parquet-flat-write.ts) against parquet-wasm's (arrow-rs) file of
// the same batches: read back through parquet-wasm, the direct reader and DuckDB, both files give the same rows,
// column names, Arrow types and key/value metadata; every page of ours carries a CRC-32 (arrow-rs writes none).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeClusters } from '../../src/clusters/clusters-file.js';
import { clusterSessions } from '../../src/clusters/cluster-sessions.js';
import { PriceBuilder, writePriceLogs } from '../../src/export/price-logs.js';
import { DEFAULT_FEATURE_OPTIONS, featuresFromFiles, writeSessions } from '../../src/features/index.js';
import { generateDataset } from '../../src/generate/generate.js';
import { loadProfile } from '../../src/generate/profile.js';
import * as arrow from '../../src/io/arrow.js';
import { boolData, dictionaryData, float64Data, int32Data, recordBatch, utf8Data } from '../../src/io/arrow-vectors.js';
import { COMPRESSIONS, readParquet, useFlatWriter, writeParquet, type ParquetWriteOptions } from '../../src/io/parquet.js';
import { verifyPageChecksums } from '../../src/io/parquet-checksums.js';
import { readFlatParquet } from '../../src/io/parquet-read-flat.js';
import { writeScores } from '../../src/kernels/scores-file.js';
import { separability } from '../../src/kernels/separability.js';
import { writeScoresFile } from '../../src/models/classifier/scores-file.js';
import { readDataTable } from '../../src/models/dataset/data-table.js';
import { createRng } from '../../src/stats/rng.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'phantom-flat-write-'));
let duck: DuckDBConnection;
beforeAll(async () => {
  duck = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
});
afterAll(() => {
  useFlatWriter(true);
  rmSync(dir, { recursive: true, force: true });
});

/** Write the same batches with both writers; returns [ours, arrow-rs's]. */
async function bothWriters(name: string, write: (path: string) => Promise<unknown>): Promise<[string, string]> {
  const ours = join(dir, `${name}.phantom.parquet`), theirs = join(dir, `${name}.arrow-rs.parquet`);
  await write(ours);
  useFlatWriter(false);
  try {
    await write(theirs);
  } finally {
    useFlatWriter(true);
  }
  return [ours, theirs];
}

const lit = (p: string) => `'${p.replaceAll("'", "''")}'`;
const fieldsOf = (s: arrow.Schema) => s.fields.map((f) => [f.name, String(f.type), f.nullable]);
const sorted = (m: Map<string, string> | Record<string, string>) => Object.fromEntries([...(m instanceof Map ? m : Object.entries(m))].sort(([a], [b]) => (a < b ? -1 : 1)));

async function duckRows(sql: string): Promise<unknown[][]> {
  return (await duck.runAndReadAll(sql)).getRows();
}

/** Everything a reader sees of a file, through parquet-wasm, the direct reader and DuckDB. */
async function readings(path: string) {
  const bytes = new Uint8Array(readFileSync(path));
  const t = await readParquet(path);
  const columns = t.schema.fields.map((f) => Array.from(t.getChild(f.name)!, (v) => (v instanceof Uint8Array ? Array.from(v) : v)));
  const kv = await duckRows(`SELECT decode(key), decode(value) FROM parquet_kv_metadata(${lit(path)})`);
  // sorted: parquet-wasm's footer order is its hash map's (ours is the caller's, checked below)
  const footer = kv.filter(([k]) => k !== 'ARROW:schema').map(([k, v]) => [k, v]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1));
  const embedded = kv.find(([k]) => k === 'ARROW:schema')?.[1] as string | undefined;
  const arrowSchema = embedded === undefined ? null : arrow.tableFromIPC(Buffer.from(embedded, 'base64')).schema;
  return {
    parquetWasm: { fields: fieldsOf(t.schema), metadata: sorted(t.schema.metadata), columns, rows: t.numRows },
    direct: await readFlatParquet(bytes),
    dataTable: await readDataTable(path),
    duckdb: {
      describe: await duckRows(`DESCRIBE SELECT * FROM read_parquet(${lit(path)})`),
      count: (await duckRows(`SELECT count(*) FROM read_parquet(${lit(path)})`))[0]![0],
      footer,
      arrowSchema: arrowSchema === null ? null : { fields: fieldsOf(arrowSchema), metadata: sorted(arrowSchema.metadata) },
    },
  };
}

/** Both files read the same everywhere; ours has a checksum on every page; returns ours' readings. */
async function expectSameFiles(ours: string, theirs: string) {
  const a = await readings(ours), b = await readings(theirs);
  expect(a.parquetWasm).toEqual(b.parquetWasm);
  expect(a.direct).toEqual(b.direct);
  expect(a.dataTable).toEqual(b.dataTable);
  expect(a.duckdb).toEqual(b.duckdb);
  // the same rows as DuckDB sees them, both ways (EXCEPT ALL keeps duplicates)
  for (const [x, y] of [[ours, theirs], [theirs, ours]] as const) {
    expect(await duckRows(`SELECT * FROM read_parquet(${lit(x)}) EXCEPT ALL SELECT * FROM read_parquet(${lit(y)})`)).toEqual([]);
  }
  const mine = verifyPageChecksums(new Uint8Array(readFileSync(ours)));
  expect(mine.checked).toBe(mine.pages);
  expect(verifyPageChecksums(new Uint8Array(readFileSync(theirs))).checked).toBe(0);
  return { readings: a, pages: mine.pages };
}

/** Arrow data built directly (not through phantom's null conventions): a NaN that is a value, nulls by bitmap. */
function data<T extends arrow.DataType>(type: T, values: ArrayBufferView, valid: boolean[]): arrow.Data<T> {
  const bits = new Uint8Array((valid.length + 7) >> 3);
  valid.forEach((v, i) => { if (v) bits[i >> 3]! |= 1 << (i & 7); });
  const nullCount = valid.filter((v) => !v).length;
  return arrow.makeData({ type, length: valid.length, data: values, nullCount, ...(nullCount > 0 ? { nullBitmap: bits } : {}) } as never) as arrow.Data<T>;
}

/** A batch of every type the writer handles; `k` varies the values and the dictionary. */
function everyType(k: number): arrow.RecordBatch {
  const n = 7;
  const valid = Array.from({ length: n }, (_, i) => (i + k) % 3 !== 0);
  const dict = k % 2 === 0 ? ['unused', 'ä-β', 'x', 'y'] : ['y', 'x', 'z'];
  return recordBatch([
    { name: 'id', data: utf8Data(Array.from({ length: n }, (_, i) => `row-${k}-${i}`)), nullable: false },
    { name: 'text', data: utf8Data(Array.from({ length: n }, (_, i) => (i === 2 ? null : i === 3 ? '' : i === 4 ? `long ${'é'.repeat(40 + k)}` : `t,"${i % 3}"`))), nullable: true },
    { name: 'cat', data: dictionaryData(Int32Array.from({ length: n }, (_, i) => (i === 5 ? -1 : 1 + (i % 2))), dict, 0), nullable: true },
    { name: 'n32', data: data(new arrow.Int32(), Int32Array.of(-(2 ** 31), 2 ** 31 - 1, 0, 7, -7, k, 2 ** 31 - 2), valid), nullable: true },
    { name: 'count', data: int32Data(Int32Array.from({ length: n }, (_, i) => i * k), -99), nullable: false },
    { name: 'n64', data: data(new arrow.Int64(), BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, -5n, 0n, BigInt(k), 1n), valid), nullable: true },
    { name: 'x', data: data(new arrow.Float64(), Float64Array.of(NaN, -0, 0, 1.5, -Infinity, 1e300, k), valid), nullable: true },
    { name: 'score', data: float64Data(Float64Array.of(0.25, NaN, 1, k, 3, NaN, -2)), nullable: true },
    { name: 'flag', data: boolData(Int8Array.of(1, 0, -1, 1, 1, 0, -1)), nullable: true },
    // timestamps: in the price logs below (the direct reader takes none, so a file with one is read by parquet-wasm)
  ], new Map([['phantom.schema_version', '1'], ['in.schema', 'kept']]));
}

describe('flat tables: phantom\'s encoder = arrow-rs as readers see it, with page checksums', () => {
  it.each(COMPRESSIONS)('every handled type, nulls, NaN as a value, sliced batches merged and split into row groups (%s)', async (compression) => {
    const batches = () => [everyType(0), everyType(1).slice(2, 6), everyType(2), everyType(3)];
    const opts: ParquetWriteOptions = {
      compression, rowGroupSize: 8, plainColumns: ['text'],
      metadata: { 'phantom.kind': 'test', 'phantom.schema_version': '1' },
      finalMetadata: () => ({ 'phantom.rows': '25', 'phantom.kind': 'test-final' }),
    };
    let sha: string | null = null;
    const [ours, theirs] = await bothWriters(`types-${compression}`, async (p) => {
      const r = await writeParquet(p, batches(), opts);
      expect(r.rows).toBe(25);
      if (p.endsWith('.phantom.parquet')) sha = r.sha256;
    });
    expect(sha).toBe(createHash('sha256').update(readFileSync(ours)).digest('hex'));
    const { readings: r, pages } = await expectSameFiles(ours, theirs);
    expect(pages).toBeGreaterThanOrEqual(4 * 9); // 4 row groups (8 + 8 + 8 + 1 rows) × 9 columns, + dictionaries
    expect(r.parquetWasm.fields).toEqual([
      ['id', 'Utf8', false], ['text', 'Utf8', true], ['cat', 'Dictionary<Int32, Utf8>', true], ['n32', 'Int32', true], ['count', 'Int32', false],
      ['n64', 'Int64', true], ['x', 'Float64', true], ['score', 'Float64', true], ['flag', 'Bool', true],
    ]);
    expect(r.parquetWasm.metadata).toEqual({ 'in.schema': 'kept', 'phantom.kind': 'test-final', 'phantom.rows': '25', 'phantom.schema_version': '1' });
    // footer order: the caller's keys, ARROW:schema, then the final ones (a key given again keeps its place)
    expect((await duckRows(`SELECT decode(key) FROM parquet_kv_metadata(${lit(ours)})`)).flat()).toEqual(['phantom.kind', 'phantom.schema_version', 'ARROW:schema', 'phantom.rows']);
    expect(r.duckdb.footer).toEqual([['phantom.kind', 'test-final'], ['phantom.rows', '25'], ['phantom.schema_version', '1']]);
    expect(r.parquetWasm.columns[6]!.slice(0, 3)).toEqual([null, -0, 0]);
    expect(Number.isNaN(r.parquetWasm.columns[6]![11])).toBe(true); // the third batch's first row: NaN as a value
    if (compression !== 'snappy') expect(r.direct).not.toBeNull(); // the direct reader takes no snappy
  });

  it('a string column past the dictionary limit (1 Mi characters of distinct strings) is PLAIN, from two batches', async () => {
    const part = (k: number) => recordBatch([
      { name: 'uid', data: utf8Data(Array.from({ length: 20_000 }, (_, i) => (i % 97 === 0 ? null : `${k}-${i}-${'ü'.repeat(i % 5)}-${'x'.repeat(20 + (i % 40))}`))), nullable: true },
      { name: 'few', data: utf8Data(Array.from({ length: 20_000 }, (_, i) => `v${i % 3}`)), nullable: false },
    ]);
    const [ours, theirs] = await bothWriters('limit', (p) => writeParquet(p, [part(0), part(1)], { compression: 'zstd' }));
    const { readings: r } = await expectSameFiles(ours, theirs);
    expect(r.parquetWasm.rows).toBe(40_000);
    expect(r.direct).not.toBeNull();
    // uid: no dictionary page (PLAIN); few: a dictionary
    const chunks = await duckRows(`SELECT path_in_schema, dictionary_page_offset IS NULL FROM parquet_metadata(${lit(ours)}) ORDER BY column_id`);
    expect(chunks).toEqual([['uid', true], ['few', false]]);
  });

  it('an empty table: the schema, no rows', async () => {
    const [ours, theirs] = await bothWriters('empty', (p) => writeParquet(p, [everyType(0).slice(0, 0)], { metadata: { 'phantom.kind': 'empty' } }));
    const { readings: r } = await expectSameFiles(ours, theirs);
    expect(r.parquetWasm.rows).toBe(0);
    expect(r.parquetWasm.fields.length).toBe(9);
  });

  it('the callers: sessions.parquet, predict\'s and separability\'s scores, clusters, price logs', async () => {
    const { table } = await featuresFromFiles([join(ROOT, 'fixtures/events.parquet')], { ...DEFAULT_FEATURE_OPTIONS, labels: { experiments: null, label: null } });
    const sessions = await bothWriters('sessions', (p) => writeSessions(p, table, { format: 'parquet', metadata: { 'phantom.timeout_sec': '900' } }));
    const s = await expectSameFiles(...sessions);
    expect(s.readings.direct).not.toBeNull();
    expect(s.readings.parquetWasm.rows).toBe(300);
    expect(s.readings.parquetWasm.fields.filter(([, t]) => t === 'Dictionary<Int32, Utf8>').length).toBeGreaterThan(0);
    expect(s.readings.parquetWasm.fields.slice(0, 4)).toEqual([['sessionId', 'Utf8', false], ['experimentId', 'Utf8', true], ['is_agent', 'Bool', true], ['purchased', 'Bool', true]]);

    const data = await readDataTable(sessions[0]);
    const probability = Float64Array.from({ length: data.nRows }, (_, i) => (i * 0.37) % 1);
    const ids = data.columns.filter((c) => c.name === 'sessionId' || c.name === 'experimentId');
    await expectSameFiles(...await bothWriters('scores', (p) => writeScoresFile(p, { ids, probability, threshold: 0.5, metadata: { 'phantom.model': 'm.json' } })));

    const [human, agent] = [await loadProfile('human'), await loadProfile('agent')];
    const { chunks } = generateDataset({ sessions: 120, agentShare: 0.3, seed: 3, startMs: 0, spanDays: 7, products: null, sessionsPerExperiment: 1, profiles: { human, agent }, labels: true, chunkSessions: 120 });
    const events = [...chunks()][0]!;
    await expectSameFiles(...await bothWriters('gaps', (p) => writeScores(p, separability(events, events.isAgent, {}))));
    const clusters = clusterSessions(events, null, { ks: [2], rng: createRng(42) });
    await expectSameFiles(...await bothWriters('clusters', (p) => writeClusters(p, clusters)));

    const prices = [new PriceBuilder(), new PriceBuilder()];
    for (let i = 0; i < 30; i++) {
      const row = { productId: `p${i % 4}`, price: 9.99 + i, sessionId: `s${i % 5}`, experimentId: i % 3 === 0 ? null : 'exp', storeMode: i % 2 ? 'cheap' : null, ts: 1.7e12 + i * 1000 };
      prices[i % 2]!.append(row, { value: '', provenance: { topic: i % 7 ? 'prices' : null, partition: i % 7 ? i % 2 : null, offset: i % 7 ? i : null, timestamp: i % 4 ? 1.7e12 + i : null } });
    }
    const priceFiles = await bothWriters('prices', (p) => writePriceLogs(p, prices, { compression: 'gzip', rowGroupSize: 10, metadata: { 'phantom.export': 'x' } }));
    const pr = await expectSameFiles(...priceFiles);
    expect(pr.readings.parquetWasm.metadata['phantom.rows']).toBe('30');
    expect(pr.readings.parquetWasm.fields.map(([, t]) => t)).toContain('Timestamp<MILLISECOND, UTC>');
  }, 30_000);

  it('a failed write leaves the good file in place and no temporary file', async () => {
    const sub = mkdtempSync(join(dir, 'fail-'));
    const path = join(sub, 'out.parquet');
    writeFileSync(path, 'good');
    async function* failing() {
      yield everyType(0);
      throw new Error('source went away');
    }
    await expect(writeParquet(path, failing())).rejects.toThrow('source went away');
    // a null in a non-nullable column
    const bad = recordBatch([{ name: 'id', data: utf8Data(['a', null]), nullable: false }]);
    await expect(writeParquet(path, [bad])).rejects.toThrow(/column id is required but has null/);
    // a batch whose schema differs from the first
    await expect(writeParquet(path, [everyType(0), recordBatch([{ name: 'id', data: utf8Data(['a']), nullable: false }])])).rejects.toThrow(/schema differs/);
    expect(readFileSync(path, 'utf8')).toBe('good');
    expect(readdirSync(sub)).toEqual(['out.parquet']);
    expect(existsSync(path)).toBe(true);
  });
});
