/**
 * The export's view of each source (`ExportSource`): Kafka with commits, assignments and committed
 * offsets; Postgres, PostgREST and files as plain batch streams (nothing to commit, nothing to resume).
 */
import kafkajs from 'kafkajs';
import { UsageError } from '../errors.js';
import { kafkaConfig } from '../sources/kafka-client.js';
import { tpKey } from '../sources/kafka-offsets.js';
import { type KafkaSourceOptions, openKafkaSource } from '../sources/kafka.js';
import type { CommittedOffset, ExportSource, StreamKind } from './types.js';

// the batch-stream source has its own module (no kafkajs); re-exported here for existing callers
export { streamSource } from './stream-source.js';

/**
 * Kafka: `topics` are the events topic and, optionally, the price topic (its batches become price rows).
 * @example const src = await kafkaExportSource({ brokers: ['localhost:9092'], topics: ['user-interactions'], group: 'g' });
 */
export async function kafkaExportSource(opts: KafkaSourceOptions & { priceTopic?: string }): Promise<ExportSource> {
  await probeBrokers(opts);
  const source = await openKafkaSource(opts);
  let admin: kafkajs.Admin | null = null;
  return {
    name: 'kafka',
    resumable: opts.group !== undefined,
    async *batches() {
      for await (const b of source.batches()) {
        const stream: StreamKind = b.topic === opts.priceTopic ? 'prices' : 'events';
        yield { stream, records: b.records, kafka: { topic: b.topic, partition: b.partition, nextOffset: b.nextOffset, highWatermark: b.highWatermark } };
      }
    },
    commit: (offsets, metadata) => source.commit(offsets, metadata),
    assignment: () => source.assignment(),
    rewind: (offsets) => source.rewind(offsets),
    more: (onWaiting) => source.more(onWaiting),
    async committed() {
      const out = new Map<string, CommittedOffset>();
      if (opts.group === undefined) return out;
      if (admin === null) {
        admin = new kafkajs.Kafka(kafkaConfig(opts)).admin();
        await admin.connect();
      }
      for (const t of await admin.fetchOffsets({ groupId: opts.group, topics: opts.topics })) {
        for (const p of t.partitions) if (Number(p.offset) >= 0) out.set(tpKey(t.topic, p.partition), { offset: Number(p.offset), metadata: p.metadata ?? null });
      }
      return out;
    },
    stop: () => source.stop(),
    async close() {
      await source.close();
      if (admin !== null) await admin.disconnect().catch(() => undefined);
    },
  };
}

/**
 * Connect once and disconnect, so a refused connection (unreachable brokers, SASL/SSL mismatch) is a
 * UsageError and leaves no socket behind: kafkajs keeps the socket of a failed `admin.connect()` open
 * unless disconnected, which would keep the process from exiting (openKafkaSource does not disconnect).
 */
async function probeBrokers(conn: KafkaSourceOptions): Promise<void> {
  const admin = new kafkajs.Kafka(kafkaConfig(conn)).admin();
  try {
    await admin.connect();
  } catch (e) {
    throw new UsageError(`--brokers ${conn.brokers.join(',')}: cannot connect (${(e as Error).message})`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
