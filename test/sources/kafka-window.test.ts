// --since / --until on a real Kafka-protocol broker. librdkafka's mock answers every timestamp lookup
// with the log end (a limitation of the mock, not of Kafka), so these tests exercise the verified-lookup fallback: one warning, then
// a scan that skips older records. The trusted path is covered in kafka-since.test.ts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type KafkaSourceOptions, openKafkaSource } from '../../src/sources/kafka.js';
import type { RawRecord } from '../../src/sources/types.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { makeEvents, produceWithKafkajs } from '../support/kafka-produce.js';

const BASE = Date.parse('2024-05-01T00:00:00Z');

async function readRecords(opts: KafkaSourceOptions): Promise<{ records: RawRecord[]; warnings: string[] }> {
  const warnings: string[] = [];
  const source = await openKafkaSource({ ...opts, onWarning: (m) => warnings.push(m) });
  const records: RawRecord[] = [];
  try {
    for await (const b of source.batches()) records.push(...b.records);
  } finally {
    await source.close();
  }
  return { records, warnings };
}

describeKafka('kafka source: time window', () => {
  let kafka: KafkaMock;
  let topic: string;
  const sent = makeEvents(900, 41, BASE); // one event per second over 15 minutes

  beforeAll(async () => {
    kafka = await startKafkaMock();
    topic = await kafka.createTopic('window', 3);
    await produceWithKafkajs(kafka.brokers, topic, sent);
  });
  afterAll(() => kafka?.stop());

  it('delivers exactly the records with since <= timestamp < until, warning once about the time index', async () => {
    const sinceMs = BASE + 200_000;
    const untilMs = BASE + 650_000;
    const { records, warnings } = await readRecords({ brokers: [kafka.brokers], topics: [topic], sinceMs, untilMs });
    const expected = sent.filter((e) => e.ts >= sinceMs && e.ts < untilMs).map((e) => e.value).sort();
    expect(expected.length).toBe(450);
    expect(records.map((r) => r.value as string).sort()).toEqual(expected);
    for (const r of records) {
      expect(r.provenance.timestamp!).toBeGreaterThanOrEqual(sinceMs);
      expect(r.provenance.timestamp!).toBeLessThan(untilMs);
    }
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/time index is unusable/);
  });

  it('--since alone reads to the high-water marks', async () => {
    const sinceMs = BASE + 899_000; // only the last event
    const { records, warnings } = await readRecords({ brokers: [kafka.brokers], topics: [topic], sinceMs });
    expect(records.map((r) => r.value)).toEqual([sent[899]!.value]);
    expect(warnings.length).toBe(1);
  });

  it('--since after every record reads nothing, and the lookup verifies (no warning)', async () => {
    const { records, warnings } = await readRecords({ brokers: [kafka.brokers], topics: [topic], sinceMs: BASE + 10_000_000 });
    expect(records).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('--until alone stops each partition at its first record at or after until', async () => {
    const untilMs = BASE + 100_500;
    const { records, warnings } = await readRecords({ brokers: [kafka.brokers], topics: [topic], untilMs });
    expect(records.map((r) => r.value as string).sort()).toEqual(sent.slice(0, 101).map((e) => e.value).sort());
    expect(warnings).toEqual([]);
  });
});
