// bench: events.parquet encoding, old path (eventsToBatch → Arrow IPC → parquet-wasm) against the direct
// encoder (writeEventsParquet: typed arrays → Parquet pages), on the same ~1M generated events, in one run.
// Usage: npm run build && node bench/parquet-encode.mjs [sessions=86000] [compression=zstd] [--profile]
// --profile adds a per-column timing of the direct encoder (one 250k-row chunk, repeated).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsToBatch } from '../dist/events/arrow.js';
import { readEventsParquet, writeEventsParquet } from '../dist/events/events-parquet.js';
import { sliceRows } from '../dist/events/table.js';
import { useFlatWriter, writeParquet } from '../dist/io/parquet.js';
import { parquetCodec } from '../dist/io/parquet-codecs.js';
import { ColumnChunkWriter } from '../dist/io/parquet-encode.js';
import { encodeEventsRowGroup } from '../dist/events/events-row-group.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const profile = process.argv.includes('--profile');
const sessions = Number(args[0] ?? 86_000);
const compression = args[1] ?? 'zstd';
const CHUNK = 250_000; // generate's chunks: 20,000 sessions ≈ 250k events

const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-pq-'));
const input = join(dir, 'input.parquet');
execFileSync(process.execPath, ['bin/phantom.js', 'generate', '-n', String(sessions), '--seed', '1', '-o', input, '-q']);
const table = await readEventsParquet(input);
const chunks = [];
for (let a = 0; a < table.length; a += CHUNK) chunks.push(sliceRows(table, a, Math.min(a + CHUNK, table.length)));
const metadata = { 'phantom.generate.seed': '1' };

// the old path is arrow-rs's: writeParquet would otherwise write this flat schema with phantom's encoder too
useFlatWriter(false);
async function oldPath(path) {
  await writeParquet(path, chunks.map(eventsToBatch), {
    compression, rowGroupSize: CHUNK,
    metadata: { 'phantom.schema_version': '1', 'phantom.kind': 'events', 'phantom.command': 'bench', ...metadata },
    finalMetadata: () => ({ 'phantom.rows': String(table.length), 'phantom.sessions': String(sessions) }),
  });
}
const newPath = (path) => writeEventsParquet(path, chunks, { compression, rowGroupSize: CHUNK, metadata });
const codec = await parquetCodec(compression);
// the encoder alone: row groups in memory, no file, no fsync
const encodeOnly = async () => { for (const c of chunks) encodeEventsRowGroup(c, codec); };

const rows = [];
for (const [label, run] of [['old: Arrow + parquet-wasm', oldPath], ['new: direct encoder', newPath], ['new: row groups only (no file)', encodeOnly]]) {
  const path = join(dir, `${label.slice(0, 3)}.parquet`);
  await run(path); // warm-up: WASM compile, JIT
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    await run(path);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  rows.push({ path: label, events: table.length, seconds: best.toFixed(3), 'events/s': Math.round(table.length / best), 'file MB': run === encodeOnly ? '-' : (statSync(path).size / 1e6).toFixed(1) });
}
console.log(`\nevents.parquet encode (${compression}), ${table.length.toLocaleString('en-US')} events in ${chunks.length} chunks, best of 3`);
for (const r of rows) console.log(Object.entries(r).map(([k, v]) => `${k}: ${v}`).join('  '));
console.log(`speed-up new/old: ${(rows[0].seconds / rows[1].seconds).toFixed(1)}x`);

if (profile) {
  const t = chunks[0];
  const cols = [
    ['sessionId', (w) => w.dictionary(['sessionId'], t.sessionId.codes, t.sessionId.dict, true)],
    ['experimentId', (w) => w.dictionary(['experimentId'], t.experimentId.codes, t.experimentId.dict, false)],
    ['ts', (w) => w.int64s(['ts'], t.ts, true)],
    ['eventName', (w) => w.dictionary(['eventName'], t.eventName.codes, t.eventName.dict, true)],
    ['page', (w) => w.dictionary(['page'], t.page.codes, t.page.dict, false)],
    ['productId', (w) => w.dictionary(['productId'], t.productId.codes, t.productId.dict, false)],
    ['storeMode', (w) => w.dictionary(['storeMode'], t.storeMode.codes, t.storeMode.dict, false)],
    ['price', (w) => w.doubles(['price'], t.price)],
    ['dwellMs', (w) => w.doubles(['dwellMs'], t.dwellMs)],
    ['userAgent', (w) => w.dictionary(['userAgent'], t.userAgent.codes, t.userAgent.dict, false)],
    ['metadata', (w) => w.strings(['metadata'], t.metadata)],
    ['is_agent', (w) => w.booleans(['is_agent'], t.isAgent)],
    ['src_topic', (w) => w.dictionary(['src_topic'], t.srcTopic.codes, t.srcTopic.dict, false)],
    ['src_partition', (w) => w.int32s(['src_partition'], t.srcPartition, -1)],
    ['src_offset', (w) => w.int64s(['src_offset'], t.srcOffset)],
    ['src_ts', (w) => w.int64s(['src_ts'], t.srcTs)],
  ];
  console.log(`\nper column, ms per 1M events (${t.length} rows × 5, best), compressed bytes per event`);
  for (const [name, enc] of cols) {
    let best = Infinity, bytes = 0;
    for (let r = 0; r < 5; r++) {
      const w = new ColumnChunkWriter(codec);
      const t0 = performance.now();
      enc(w);
      best = Math.min(best, performance.now() - t0);
      bytes = w.out.pos;
    }
    console.log(`${name.padEnd(14)} ${(best * 1e6 / t.length).toFixed(1).padStart(7)} ms  ${(bytes / t.length).toFixed(2).padStart(6)} B`);
  }
}
rmSync(dir, { recursive: true, force: true });
