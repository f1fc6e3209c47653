import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import { readEventsParquet, writeEventsParquet } from '../../src/events/events-parquet.js';
import { EventsBuilder, rowAt } from '../../src/events/table.js';
import type { EventRow } from '../../src/events/normalise.js';
import { readParquetMetadata } from '../../src/io/parquet.js';

const rows: EventRow[] = [
  { sessionId: 's1', experimentId: 'x1', ts: 1700000000123, eventName: 'page_view', page: '/hotel', productId: null, storeMode: 'hotel', price: null, dwellMs: null, userAgent: 'Mozilla/5.0 Chrome/120', metadata: '{"a":1}', isAgent: false, srcTopic: 'user-interactions', srcPartition: 2, srcOffset: 9007199254740000, srcTs: 1700000000999 },
  { sessionId: 's2', experimentId: null, ts: -5000, eventName: 'hover_over_title', page: null, productId: 'p-ü', storeMode: null, price: 450.25, dwellMs: 1234, userAgent: null, metadata: null, isAgent: null, srcTopic: null, srcPartition: null, srcOffset: null, srcTs: null },
  { sessionId: 's1', experimentId: 'x1', ts: 1700000000124, eventName: 'weird_event', page: '/x', productId: 'p1', storeMode: 'airline', price: 0, dwellMs: null, userAgent: 'HeadlessChrome', metadata: '{}', isAgent: true, srcTopic: 'user-interactions', srcPartition: 0, srcOffset: 0, srcTs: 0 },
];

async function writeChunks(path: string, compression: 'zstd' | 'snappy' | 'gzip' | 'none') {
  const b = new EventsBuilder(1);
  b.append(rows[0]!);
  b.append(rows[1]!);
  const first = b.flush();
  b.append(rows[2]!);
  return writeEventsParquet(path, [first, b.flush()], { compression });
}

describe('events.parquet round trip', () => {
  it.each(['zstd', 'snappy', 'gzip', 'none'] as const)('reads back every column exactly (%s)', async (compression) => {
    const dir = await mkdtemp(join(tmpdir(), 'phantom-pq-'));
    const path = join(dir, 'events.parquet');
    const res = await writeChunks(path, compression);
    expect(res).toEqual({ rows: 3, sessions: 2 });
    const t = await readEventsParquet(path);
    expect(t.length).toBe(3);
    expect([0, 1, 2].map((i) => rowAt(t, i))).toEqual(rows);
  });

  it('carries schema version, command and counts in the footer metadata', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phantom-pq-'));
    const path = join(dir, 'events.parquet');
    await writeChunks(path, 'zstd');
    const meta = await readParquetMetadata(path);
    expect(meta['phantom.schema_version']).toBe('2'); // 2: origin_partition, origin_offset
    expect(meta['phantom.rows']).toBe('3');
    expect(meta['phantom.sessions']).toBe('2');
    expect(meta['phantom.command']).toMatch(/^phantom/);
  });

  it('is read correctly by an independent reader (hyparquet)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phantom-pq-'));
    const path = join(dir, 'events.parquet');
    await writeChunks(path, 'zstd');
    const buf = await readFile(path);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const meta = parquetMetadata(file);
    expect(Number(meta.num_rows)).toBe(3);
    expect(meta.key_value_metadata?.find((k) => k.key === 'phantom.rows')?.value).toBe('3');
    const objs = await parquetReadObjects({ file, utf8: true, compressors });
    expect(objs.map((o) => o['sessionId'])).toEqual(['s1', 's2', 's1']);
    expect(objs.map((o) => o['eventName'])).toEqual(['page_view', 'hover_over_title', 'weird_event']);
    expect(objs.map((o) => o['price'])).toEqual([null, 450.25, 0]);
    expect(objs.map((o) => o['is_agent'])).toEqual([false, null, true]);
    expect(objs.map((o) => o['src_offset'])).toEqual([9007199254740000n, null, 0n]);
    expect((objs[0]!['ts'] as Date).getTime()).toBe(1700000000123);
    expect((objs[1]!['ts'] as Date).getTime()).toBe(-5000);
    expect(objs[1]!['productId']).toBe('p-ü');
  });

  it('writes a valid empty file with the schema when there are no rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phantom-pq-'));
    const path = join(dir, 'empty.parquet');
    const b = new EventsBuilder();
    await writeEventsParquet(path, [b.flush()]);
    const t = await readEventsParquet(path);
    expect(t.length).toBe(0);
    const meta = await readParquetMetadata(path);
    expect(meta['phantom.rows']).toBe('0');
  });
});
