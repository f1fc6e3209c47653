// events.parquet with the request columns (docs/access-logs.md): written from the typed arrays, read back
// by phantom and by an independent reader (hyparquet); rows before the first request are null.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import { readEventsParquet, writeEventsParquet } from '../../src/events/events-parquet.js';
import type { EventRow } from '../../src/events/normalise.js';
import { requestAt, type RequestFields } from '../../src/events/request-columns.js';
import { REQUEST_COLUMNS } from '../../src/events/schema.js';
import { EventsBuilder } from '../../src/events/table.js';

const base = (i: number): EventRow => ({
  sessionId: `s${i % 2}`, experimentId: null, ts: 1700000000000 + i * 1000, eventName: i === 0 ? 'page_view' : 'request', page: null, productId: null, storeMode: null,
  price: null, dwellMs: null, userAgent: 'UA', metadata: null, isAgent: null, srcTopic: 'a.log', srcPartition: null, srcOffset: i + 1, srcTs: null,
});
const reqs: RequestFields[] = [
  { method: 'GET', path: '/', query: null, protocol: 'HTTP/1.1', status: 200, bytes: 5120, durationMs: 12.5, referrer: null, resourceKind: 'page', site: 'shop.example', clientAddress: null },
  { method: null, path: null, query: null, protocol: null, status: 408, bytes: 0, durationMs: null, referrer: null, resourceKind: 'other', site: null, clientAddress: '2001:db8::1' },
  { method: 'POST', path: '/cart/add', query: 'product=p1', protocol: 'HTTP/2.0', status: 303, bytes: 9007199254740991, durationMs: 0, referrer: 'https://shop.example/', resourceKind: 'page', site: 'shop.example', clientAddress: '10.0.0.1' },
];

describe('request columns in events.parquet', () => {
  it('round-trip through phantom and hyparquet, in REQUEST_COLUMNS order after the contract columns (docs/contract.md §3)', async () => {
    const b = new EventsBuilder(2); // grows while appending
    reqs.forEach((r, i) => b.append({ ...base(i), request: r }));
    const path = join(await mkdtemp(join(tmpdir(), 'phantom-req-')), 'events.parquet');
    await writeEventsParquet(path, [b.flush()], { compression: 'zstd' });
    const t = await readEventsParquet(path);
    expect(reqs.map((_, i) => requestAt(t.requests!, i))).toEqual(reqs);
    const buf = await readFile(path);
    const objs = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), utf8: true, compressors });
    expect(Object.keys(objs[0]!).slice(-REQUEST_COLUMNS.length)).toEqual(REQUEST_COLUMNS.map((c) => c.name));
    expect(objs.map((o) => o['status'])).toEqual([200, 408, 303]);
    expect(objs.map((o) => o['bytes'])).toEqual([5120n, 0n, 9007199254740991n]);
    expect(objs.map((o) => o['resource_kind'])).toEqual(['page', 'other', 'page']);
    expect(objs.map((o) => o['method'])).toEqual(['GET', null, 'POST']);
    expect(objs.map((o) => o['duration_ms'])).toEqual([12.5, null, 0]);
  });

  it('a chunk whose first rows have no request gets nulls there; files of other sources keep the contract columns only', async () => {
    const b = new EventsBuilder(4);
    b.append(base(0));
    b.append({ ...base(1), request: reqs[0]! });
    const t = b.flush();
    expect(requestAt(t.requests!, 0)).toMatchObject({ method: null, status: null, bytes: null, resourceKind: null });
    expect(requestAt(t.requests!, 1)).toEqual(reqs[0]);
    const plain = new EventsBuilder(4);
    plain.append(base(0));
    const path = join(await mkdtemp(join(tmpdir(), 'phantom-req-')), 'plain.parquet');
    await writeEventsParquet(path, [plain.flush()]);
    expect((await readEventsParquet(path)).requests).toBeUndefined();
  });
});
