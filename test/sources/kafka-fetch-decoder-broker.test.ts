// The fast fetch decoder against kafkajs's own on Fetch responses of a real broker (librdkafka's mock):
// records produced by kcat (gzip, headers) and by kafkajs (gzip, repeated headers, a committed and an
// aborted transaction), captured as kafkajs receives them and decoded by both.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FETCH_VERSIONS, fastFetchDecoders, kafkajsFetchDecoders } from '../../src/sources/kafka-fetch-decoder.js';
import { canon, outcome } from '../support/kafka-fetch-bytes.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { kcatAvailable } from '../support/kafka-produce.js';

const require = createRequire(import.meta.url);
type ResponseModule = { decode: (raw: Buffer) => Promise<unknown> };

describeKafka('fast fetch decoder on a real broker', () => {
  let kafka: KafkaMock;
  beforeAll(async () => {
    kafka = await startKafkaMock();
  }, 60_000);
  afterAll(() => kafka.stop());

  it('decodes captured Fetch responses exactly as kafkajs does', async () => {
    const topic = await kafka.createTopic('fastdec', 2);
    const client = new kafkajs.Kafka({ brokers: kafka.brokers.split(','), clientId: 'phantom-test-fastdec', logLevel: kafkajs.logLevel.NOTHING });
    process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
    const producer = client.producer();
    await producer.connect();
    const msg = (i: number, tag: string) => ({
      key: i % 3 === 0 ? null : `s-${i % 5}`,
      value: i % 7 === 0 ? null : JSON.stringify({ sessionId: `s-${i % 5}`, eventName: 'page_view', seq: i, tag }),
      headers: i % 2 === 0 ? { trace: [`t${i}`, `u${i}`], single: 'x' } : undefined,
      timestamp: String(1_700_000_000_000 + i * 997),
    });
    await producer.send({ topic, compression: kafkajs.CompressionTypes.None, messages: Array.from({ length: 40 }, (_, i) => msg(i, 'plain')) });
    await producer.send({ topic, compression: kafkajs.CompressionTypes.GZIP, messages: Array.from({ length: 40 }, (_, i) => msg(i, 'gzip')) });
    await producer.disconnect();
    let transactions = false;
    try {
      const tx = client.producer({ transactionalId: `phantom-test-tx-${process.pid}`, idempotent: true, maxInFlightRequests: 1 });
      await tx.connect();
      const aborted = await tx.transaction();
      await aborted.send({ topic, messages: Array.from({ length: 10 }, (_, i) => msg(i, 'aborted')) });
      await aborted.abort();
      const committed = await tx.transaction();
      await committed.send({ topic, messages: Array.from({ length: 10 }, (_, i) => msg(i, 'committed')) });
      await committed.commit();
      await tx.disconnect();
      transactions = true;
    } catch (e) {
      // the mock may refuse transactions; the other batches are still compared
      console.log(`[fastdec] transactions: ${(e as Error).message}`);
    }
    if (kcatAvailable()) {
      const input = Array.from({ length: 30 }, (_, i) => `k${i % 4}\t{"sessionId":"k${i % 4}","n":${i}}\n`).join('');
      const r = spawnSync('kcat', ['-P', '-b', kafka.brokers, '-t', topic, '-K', '\t', '-z', 'gzip', '-H', 'h1=a', '-H', 'h1=b', '-H', 'h2='], { input, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(0);
    }

    // capture every Fetch response kafkajs's consumer receives (its own decoder in place)
    const captured: [number, Buffer][] = [];
    const modules = FETCH_VERSIONS.map((v) => [v, require(`kafkajs/src/protocol/requests/fetch/v${v}/response.js`) as ResponseModule] as const);
    const saved = modules.map(([, m]) => m.decode);
    for (const [v, m] of modules) {
      const decode = m.decode;
      m.decode = (raw: Buffer) => {
        captured.push([v, Buffer.from(raw)]);
        return decode(raw);
      };
    }
    let seen = 0;
    const consumer = client.consumer({ groupId: `fastdec-${process.pid}`, maxWaitTimeInMs: 200 });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const want = 80 + (transactions ? 10 : 0) + (kcatAvailable() ? 30 : 0);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`consumed ${seen} of ${want}`)), 60_000);
        consumer
          .run({
            eachBatch: async ({ batch }) => {
              seen += batch.messages.length;
              if (seen >= want) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      modules.forEach(([, m], i) => (m.decode = saved[i]!));
    }

    const fast = fastFetchDecoders()!;
    const own = kafkajsFetchDecoders()!;
    let messages = 0;
    let control = 0;
    let compressedOrTx = 0;
    for (const [v, raw] of captured) {
      const a = await outcome(fast.get(v)!, raw);
      const b = await outcome(own.get(v)!, raw);
      expect(a.ok).toBe(true);
      if (!a.ok || !b.ok) continue;
      expect(JSON.stringify(canon(a.value))).toBe(JSON.stringify(canon(b.value)));
      for (const t of (a.value as { responses: { partitions: { messages: { isControlRecord: boolean; batchContext: { inTransaction: boolean } }[] }[] }[] }).responses) {
        for (const p of t.partitions) {
          messages += p.messages.length;
          control += p.messages.filter((m) => m.isControlRecord).length;
          compressedOrTx += p.messages.filter((m) => m.batchContext.inTransaction).length;
        }
      }
    }
    expect(messages).toBeGreaterThanOrEqual(seen);
    if (transactions) {
      expect(control).toBeGreaterThanOrEqual(2);
      expect(compressedOrTx).toBeGreaterThanOrEqual(20);
    }
    console.log(`[fastdec] ${captured.length} responses, ${messages} records (${control} control, ${compressedOrTx} transactional); transactions ${transactions ? 'produced' : 'refused by the broker'}`);
  }, 120_000);
});
