/**
 * Test data for Kafka: keyed interaction events with chosen record timestamps, produced with kafkajs or,
 * as an independent client, with kcat.
 */
import { spawnSync } from 'node:child_process';
import kafkajs from 'kafkajs';

export interface SentEvent {
  key: string;
  value: string;
  /** Record timestamp (CreateTime), epoch ms. */
  ts: number;
}

/** `n` events over `sessions` session keys, one second apart from `baseTs`. */
export function makeEvents(n: number, sessions: number, baseTs: number, tag = 'e'): SentEvent[] {
  const out: SentEvent[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${tag}-session-${i % sessions}`;
    const ts = baseTs + i * 1000;
    out.push({ key, ts, value: JSON.stringify({ sessionId: key, eventName: 'page_view', ts, seq: i, tag }) });
  }
  return out;
}

/** Produce with kafkajs (acks from all replicas), in chunks. */
export async function produceWithKafkajs(brokers: string, topic: string, events: SentEvent[]): Promise<void> {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const kafka = new kafkajs.Kafka({ brokers: brokers.split(','), clientId: 'phantom-test-producer', logLevel: kafkajs.logLevel.ERROR });
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += 500) {
      const messages = events.slice(i, i + 500).map((e) => ({ key: e.key, value: e.value, timestamp: String(e.ts) }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

export const kcatAvailable = (): boolean => !spawnSync('kcat', ['-V']).error;

/**
 * Produce with kcat (librdkafka's CLI): `key<TAB>value` lines, record timestamps set by kcat's clock.
 * Keys are hashed by librdkafka's partitioner, not kafkajs'.
 */
export function produceWithKcat(brokers: string, topic: string, events: SentEvent[]): void {
  const input = events.map((e) => `${e.key}\t${e.value}\n`).join('');
  const r = spawnSync('kcat', ['-P', '-b', brokers, '-t', topic, '-K', '\t', '-z', 'none'], { input, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`kcat -P failed (${r.status}): ${r.stderr}`);
}
