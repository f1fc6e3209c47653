// The fast fetch decoder against kafkajs's own on the same response bytes: every version v4–v11,
// headers (repeated, null and prototype-named keys), control batches, aborted transactions, gzip, log-append
// time, offsets beyond 2^53, batches cut by the fetch size, and random corruption (same result or same error).
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FETCH_VERSIONS, fastFetchDecoders, installFetchDecoder, kafkajsFetchDecoders } from '../../src/sources/kafka-fetch-decoder.js';
import { canon, controlBatch, encodeBatch, fetchResponse, outcome, type TestBatch, type TestPartition, type TestRecord } from '../support/kafka-fetch-bytes.js';

const fast = fastFetchDecoders()!;
const own = kafkajsFetchDecoders()!;

async function expectSame(version: number, raw: Buffer): Promise<unknown> {
  const a = await outcome(fast.get(version)!, raw);
  const b = await outcome(own.get(version)!, raw);
  if (a.ok && b.ok) {
    expect(JSON.stringify(canon(a.value))).toBe(JSON.stringify(canon(b.value)));
    expect(isDeepStrictEqual(a.value, b.value)).toBe(true);
    return a.value;
  }
  expect(a).toEqual(b);
  return undefined;
}

const rec = (i: number, extra: Partial<TestRecord> = {}): TestRecord => ({
  offsetDelta: i,
  timestampDelta: i * 7 - 3,
  key: Buffer.from(`session-${i % 3}`),
  value: Buffer.from(JSON.stringify({ sessionId: `session-${i % 3}`, eventName: 'page_view', seq: i })),
  ...extra,
});

const plain = (firstOffset: bigint, n: number, extra: Partial<TestBatch> = {}): TestBatch => ({
  firstOffset,
  firstTimestamp: 1_700_000_000_000n,
  records: Array.from({ length: n }, (_, i) => rec(i)),
  ...extra,
});

describe('fast fetch decoder = kafkajs decoder', () => {
  it('loads against the installed kafkajs', () => {
    expect(fast).not.toBeNull();
    expect(own).not.toBeNull();
  });

  for (const v of FETCH_VERSIONS) {
    it(`v${v}: plain, keyed and keyless records, two partitions, two batches each`, async () => {
      const raw = fetchResponse(v, 'events', [
        { partition: 0, highWatermark: 20n, batches: [plain(0n, 5), plain(5n, 3)] },
        { partition: 3, highWatermark: 9n, batches: [plain(4n, 2, { records: [rec(0, { key: null }), rec(1, { value: null })] })] },
      ]);
      const r = (await expectSame(v, raw)) as { responses: { partitions: { messages: unknown[] }[] }[] };
      expect(r.responses[0]!.partitions[0]!.messages).toHaveLength(8);
    });
  }

  it('headers: repeated keys, null keys and values, prototype names, UTF-8', async () => {
    const headers: [string | null, Buffer | null][] = [
      ['trace', Buffer.from('a')], ['trace', Buffer.from('b')], ['trace', null], [null, Buffer.from('n')],
      ['__proto__', Buffer.from('p')], ['toString', Buffer.from('t')], ['constructor', null], ['ключ', Buffer.from('é')], ['0', Buffer.from('z')],
    ];
    const raw = fetchResponse(11, 't', [{ partition: 0, highWatermark: 3n, batches: [plain(0n, 1, { records: [rec(0, { headers }), rec(1, { headers: [] })] })] }]);
    const r = (await expectSame(11, raw)) as { responses: { partitions: { messages: { headers: Record<string, unknown> }[] }[] }[] };
    const h = r.responses[0]!.partitions[0]!.messages[0]!.headers;
    expect(Object.keys(h)).toEqual(['0', 'trace', 'null', '__proto__', 'toString', 'constructor', 'ключ']);
  });

  it('transactions: aborted ranges, control batches, transactional batches', async () => {
    const pid = 4242n;
    const raw = fetchResponse(11, 't', [
      {
        partition: 1,
        highWatermark: 12n,
        aborted: [{ producerId: pid, firstOffset: 3n }],
        batches: [
          plain(0n, 2, { attributes: 0x10, producerId: pid, producerEpoch: 0 }),
          controlBatch(2n, pid, true),
          plain(3n, 3, { attributes: 0x10, producerId: pid, producerEpoch: 0 }),
          controlBatch(6n, pid, false),
          plain(7n, 2),
        ],
      },
    ]);
    await expectSame(11, raw);
  });

  it('gzip batches, log-append time, empty and -1 record counts', async () => {
    const raw = fetchResponse(11, 't', [
      { partition: 0, highWatermark: 30n, batches: [plain(0n, 4, { attributes: 1 }), plain(4n, 3, { attributes: 1 | 0x8, maxTimestamp: 1_800_000_000_000n }), plain(7n, 0), plain(7n, 0, { countField: -1 }), plain(7n, 2, { attributes: 1, countField: 0 })] },
    ]);
    await expectSame(11, raw);
  });

  it('offsets and timestamps beyond 2^53, negative timestamps and deltas (kafkajs decodes those batches)', async () => {
    const raw = fetchResponse(11, 't', [
      { partition: 0, highWatermark: 1n, batches: [plain(2n ** 53n - 2n, 4), plain(2n ** 62n, 2), plain(10n, 2, { firstTimestamp: -1n }), plain(12n, 2, { firstTimestamp: 2n ** 60n }), plain(14n, 1, { records: [rec(0, { timestampDelta: -(2 ** 40) })] }), plain(15n, 1, { records: [rec(0, { timestampDelta: 2 ** 52 })] })] },
    ]);
    await expectSame(11, raw);
  });

  it('a last batch cut short by the fetch size is dropped, as kafkajs does', async () => {
    for (const cut of [1, 10, 40, 60, 200]) {
      const raw = fetchResponse(11, 't', [{ partition: 0, highWatermark: 9n, batches: [plain(0n, 4), plain(4n, 5)], truncate: cut }]);
      await expectSame(11, raw);
    }
  });

  it('random corruption: the same messages or the same error', async () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const parts: TestPartition[] = [{ partition: 0, highWatermark: 40n, batches: [plain(0n, 6, { records: Array.from({ length: 6 }, (_, i) => rec(i, { headers: [['h', Buffer.from([i])]] })) }), plain(6n, 4, { attributes: 1 }), controlBatch(10n, 9n, false), plain(11n, 5)] }];
    const clean = fetchResponse(11, 't', parts);
    const start = 4 + 2 + 4 + 4 + 2 + 1 + 4; // past the response and topic headers
    let differentOutcomes = 0;
    for (let round = 0; round < 400; round++) {
      const raw = Buffer.from(clean);
      for (let k = 1 + rand(3); k > 0; k--) raw[start + rand(raw.length - start)] = rand(256);
      const a = await outcome(fast.get(11)!, raw);
      const b = await outcome(own.get(11)!, raw);
      if (a.ok !== b.ok) differentOutcomes++;
      else if (a.ok && b.ok) expect(JSON.stringify(canon(a.value))).toBe(JSON.stringify(canon(b.value)));
      else expect(a).toEqual(b);
    }
    expect(differentOutcomes).toBe(0);
  });

  it('installs only after its canned check passes, and refuses with PHANTOM_KAFKAJS_DECODER=1', async () => {
    const canned = new Map([[11, fetchResponse(11, 't', [{ partition: 0, highWatermark: 3n, batches: [encodeBatch(plain(0n, 3))] }])]]);
    expect(await installFetchDecoder(canned, { PHANTOM_KAFKAJS_DECODER: '1' })).toBe(false);
  });
});
