// Broker faults injected into librdkafka's mock cluster while the Kafka source reads: transient errors
// are retried and the read completes with every record exactly once; fatal ones end it with an error.
import { afterEach, describe, expect, it } from 'vitest';
import { type KafkaSourceOptions, openKafkaSource } from '../../src/sources/kafka.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { makeEvents, produceWithKafkajs } from '../support/kafka-produce.js';

const BASE = Date.parse('2024-05-01T00:00:00Z');
const FETCH = 1; // Kafka ApiKey of Fetch
const N = 600;

let kafka: KafkaMock | undefined;
afterEach(async () => {
  await kafka?.stop();
  kafka = undefined;
});

/** A topic of N events written in 6 produce calls, so reading it takes several fetches. */
async function setup(brokers = 1): Promise<{ kafka: KafkaMock; topic: string; values: string[] }> {
  kafka = await startKafkaMock({ brokers });
  const topic = await kafka.createTopic('faults', 3);
  const events = makeEvents(N, 29, BASE);
  for (let i = 0; i < N; i += 100) await produceWithKafkajs(kafka.brokers, topic, events.slice(i, i + 100));
  return { kafka, topic, values: events.map((e) => e.value).sort() };
}

/** Read everything, running `fault` once after the first batch; returns the delivered values. */
async function readWithFault(opts: KafkaSourceOptions, fault: () => Promise<void>): Promise<{ values: string[]; batches: number }> {
  const source = await openKafkaSource({ maxBytesPerPartition: 512, retry: { initialRetryTime: 100 }, ...opts });
  const values: string[] = [];
  let batches = 0;
  try {
    for await (const b of source.batches()) {
      if (batches++ === 0) await fault();
      for (const r of b.records) values.push(r.value as string);
    }
  } finally {
    await source.close();
  }
  return { values: values.sort(), batches };
}

// Fault injection talks to the mock's stdin: an external cluster (KAFKA_BROKERS) cannot run these.
const describeFaults = process.env.KAFKA_BROKERS ? describe.skip : describeKafka;
if (process.env.KAFKA_BROKERS) process.stderr.write('[kafka] skipping broker-fault tests: they need the mock broker (unset KAFKA_BROKERS)\n');

describeFaults('kafka source: broker faults', () => {
  it('retries Fetch requests that time out (REQUEST_TIMED_OUT x4)', async () => {
    const { kafka, topic, values } = await setup();
    const got = await readWithFault({ brokers: [kafka.brokers], topics: [topic] }, () => kafka.inject(`err ${FETCH} 4 7`));
    expect(got.batches).toBeGreaterThan(3); // the fault really hit a read in progress
    expect(got.values).toEqual(values);
  });

  it('recovers from NOT_LEADER_OR_FOLLOWER (metadata refresh + group rejoin) without re-delivering', async () => {
    const { kafka, topic, values } = await setup();
    // the mock completes kafkajs' rejoin only after the session timeout: keep it short
    const got = await readWithFault({ brokers: [kafka.brokers], topics: [topic], sessionTimeoutMs: 6000 }, () =>
      kafka.inject(`err ${FETCH} 2 6`),
    );
    expect(got.values).toEqual(values);
  });

  it('survives its broker going down and coming back', async () => {
    const { kafka, topic, values } = await setup();
    const got = await readWithFault({ brokers: [kafka.brokers], topics: [topic], sessionTimeoutMs: 6000 }, async () => {
      await kafka.inject('down 1');
      await new Promise((r) => setTimeout(r, 1500));
      await kafka.inject('up 1');
    });
    expect(got.values).toEqual(values);
  });

  it('follows a partition leader moving to another broker of a 3-broker cluster', async () => {
    const { kafka, topic, values } = await setup(3);
    const got = await readWithFault({ brokers: [kafka.brokers], topics: [topic], sessionTimeoutMs: 6000 }, async () => {
      for (let p = 0; p < 3; p++) await kafka.inject(`leader ${topic} ${p} ${((p + 1) % 3) + 1}`);
    });
    expect(got.values).toEqual(values);
  });

  it('ends with an error, not a hang, on a non-retriable broker error', async () => {
    const { kafka, topic } = await setup();
    await expect(
      readWithFault({ brokers: [kafka.brokers], topics: [topic] }, () => kafka.inject(`err ${FETCH} 50 -1`)),
    ).rejects.toThrow(/Kafka consumer stopped: The server experienced an unexpected error/);
  });

  it('rejects an unknown topic and an unreachable broker with usage errors', async () => {
    const { kafka } = await setup();
    await expect(openKafkaSource({ brokers: [kafka.brokers], topics: ['no-such-topic'] })).rejects.toThrow(/no such topic/);
    await expect(openKafkaSource({ brokers: ['127.0.0.1:1'], topics: ['x'], retry: { retries: 1, initialRetryTime: 50 } })).rejects.toThrow(
      /--brokers 127\.0\.0\.1:1: cannot connect/,
    );
  });
});
