// Kafka source in batch mode, against a real Kafka-protocol broker (librdkafka's mock cluster).
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type KafkaBatch, type KafkaSourceOptions, openKafkaSource } from '../../src/sources/kafka.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { kcatAvailable, makeEvents, produceWithKafkajs, produceWithKcat, type SentEvent } from '../support/kafka-produce.js';

const BASE = Date.parse('2024-05-01T00:00:00Z');

/** Read a source to its end; returns the batches. */
async function readAll(opts: KafkaSourceOptions): Promise<KafkaBatch[]> {
  const source = await openKafkaSource(opts);
  const out: KafkaBatch[] = [];
  try {
    for await (const b of source.batches()) out.push(b);
  } finally {
    await source.close();
  }
  return out;
}

/** Check provenance invariants and return the delivered values. */
function checkBatches(batches: KafkaBatch[], topic: string): string[] {
  const lastOffset = new Map<number, number>();
  const values: string[] = [];
  for (const b of batches) {
    expect(b.topic).toBe(topic);
    for (const r of b.records) {
      expect(r.provenance.topic).toBe(topic);
      expect(r.provenance.partition).toBe(b.partition);
      const prev = lastOffset.get(b.partition) ?? -1;
      expect(r.provenance.offset!).toBeGreaterThan(prev); // per-partition order
      lastOffset.set(b.partition, r.provenance.offset!);
      expect(b.nextOffset).toBeGreaterThan(r.provenance.offset!);
      const v = JSON.parse(r.value as string) as { sessionId: string; ts: number };
      expect(r.key).toBe(v.sessionId);
      values.push(r.value as string);
    }
  }
  return values;
}

describeKafka('kafka source: batch mode', () => {
  let kafka: KafkaMock;
  beforeAll(async () => {
    kafka = await startKafkaMock();
  });
  afterAll(() => kafka?.stop());

  it('reads every produced message exactly once, with provenance, in partition order', async () => {
    const topic = await kafka.createTopic('ui', 3);
    const sent = makeEvents(1200, 37, BASE);
    await produceWithKafkajs(kafka.brokers, topic, sent);
    const batches = await readAll({ brokers: [kafka.brokers], topics: [topic] });
    const values = checkBatches(batches, topic);
    expect(values.length).toBe(sent.length);
    expect(new Set(values).size).toBe(sent.length);
    expect([...values].sort()).toEqual(sent.map((e) => e.value).sort());
    // record timestamps survive; sessions stay in one partition (keyed)
    const bySession = new Map<string, Set<number>>();
    const sentTs = new Map(sent.map((e) => [e.value, e.ts]));
    const partitions = new Set<number>();
    for (const b of batches) {
      for (const r of b.records) {
        expect(r.provenance.timestamp).toBe(sentTs.get(r.value as string));
        const set = bySession.get(r.key!) ?? new Set<number>();
        set.add(b.partition);
        bySession.set(r.key!, set);
        partitions.add(b.partition);
      }
    }
    expect(partitions.size).toBe(3);
    for (const parts of bySession.values()) expect(parts.size).toBe(1);
    // offsets in each partition are 0..n-1 without gaps
    const counts = new Map<number, number>();
    for (const b of batches) for (const _ of b.records) counts.set(b.partition, (counts.get(b.partition) ?? 0) + 1);
    for (const b of batches) expect(b.records.every((r) => r.provenance.offset! < counts.get(b.partition)!)).toBe(true);
  });

  it('stops at the high-water marks seen at start and ends on an empty topic', async () => {
    const topic = await kafka.createTopic('empty', 3);
    expect(await readAll({ brokers: [kafka.brokers], topics: [topic] })).toEqual([]);
  });

  it('honours --max-messages', async () => {
    const topic = await kafka.createTopic('max', 3);
    await produceWithKafkajs(kafka.brokers, topic, makeEvents(300, 10, BASE));
    const batches = await readAll({ brokers: [kafka.brokers], topics: [topic], maxMessages: 50 });
    expect(checkBatches(batches, topic).length).toBe(50);
  });

  it('reads messages produced by an independent client (kcat)', async (ctx) => {
    if (!kcatAvailable()) {
      if (process.env.CI === 'true') throw new Error('kcat is not installed (apt-get install kcat)');
      ctx.skip();
    }
    const topic = await kafka.createTopic('kcat', 3);
    const sent: SentEvent[] = makeEvents(400, 23, BASE, 'kcat');
    const before = Date.now();
    produceWithKcat(kafka.brokers, topic, sent);
    const batches = await readAll({ brokers: [kafka.brokers], topics: [topic] });
    const values = checkBatches(batches, topic);
    expect([...values].sort()).toEqual(sent.map((e) => e.value).sort());
    for (const b of batches) for (const r of b.records) expect(r.provenance.timestamp!).toBeGreaterThanOrEqual(before - 1000);
  });

  it('reads several topics at once (events + price logs), each record tagged with its topic', async () => {
    const events = await kafka.createTopic('ui-multi', 3);
    const prices = await kafka.createTopic('prices-multi', 3);
    const sentEvents = makeEvents(90, 9, BASE, 'ev');
    const sentPrices = makeEvents(60, 6, BASE, 'px');
    await produceWithKafkajs(kafka.brokers, events, sentEvents);
    await produceWithKafkajs(kafka.brokers, prices, sentPrices);
    const batches = await readAll({ brokers: [kafka.brokers], topics: [events, prices] });
    const byTopic = new Map<string, string[]>();
    for (const b of batches) {
      for (const r of b.records) {
        expect(r.provenance.topic).toBe(b.topic);
        byTopic.set(b.topic, [...(byTopic.get(b.topic) ?? []), r.value as string]);
      }
    }
    expect(byTopic.get(events)!.sort()).toEqual(sentEvents.map((e) => e.value).sort());
    expect(byTopic.get(prices)!.sort()).toEqual(sentPrices.map((e) => e.value).sort());
  });

  it('follow mode without a group starts at the log end and reads new records until stop()', async () => {
    const topic = await kafka.createTopic('follow', 3);
    await produceWithKafkajs(kafka.brokers, topic, makeEvents(50, 5, BASE, 'old'));
    const source = await openKafkaSource({ brokers: [kafka.brokers], topics: [topic], follow: true });
    const fresh = makeEvents(40, 8, BASE + 100_000, 'new');
    const got: string[] = [];
    try {
      await vi.waitFor(() => expect(source.assignment().length).toBe(3), { timeout: 30_000, interval: 100 });
      const reading = (async () => {
        for await (const b of source.batches()) {
          for (const r of b.records) got.push(r.value as string);
          if (got.length >= fresh.length) source.stop();
        }
      })();
      await produceWithKafkajs(kafka.brokers, topic, fresh);
      await reading; // ends only through stop()
      expect(await source.commit([{ topic, partition: 0, offset: 1 }])).toBe(0); // no group: nothing to commit
    } finally {
      await source.close();
    }
    expect(got.sort()).toEqual(fresh.map((e) => e.value).sort());
  });
});
