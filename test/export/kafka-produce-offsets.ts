/**
 * Producing test records one by one with kafkajs, keeping the (partition, offset) the broker assigned
 * each, so a test can check the provenance an export reports against the broker's own answer.
 */
import kafkajs from 'kafkajs';

export interface Produced {
  key: string | null;
  value: string | null;
  partition: number;
  offset: number;
}

/** Send each message on its own and return where the broker put it. */
export async function produceTracked(brokers: string, topic: string, messages: { key: string | null; value: string | null; timestamp?: number }[]): Promise<Produced[]> {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const kafka = new kafkajs.Kafka({ brokers: brokers.split(','), clientId: 'phantom-test-tracked', logLevel: kafkajs.logLevel.ERROR });
  const producer = kafka.producer();
  await producer.connect();
  const out: Produced[] = [];
  try {
    for (const m of messages) {
      const [meta] = await producer.send({ topic, acks: -1, messages: [{ key: m.key, value: m.value, ...(m.timestamp !== undefined ? { timestamp: String(m.timestamp) } : {}) }] });
      out.push({ key: m.key, value: m.value, partition: meta!.partition, offset: Number(meta!.baseOffset) });
    }
  } finally {
    await producer.disconnect();
  }
  return out;
}
