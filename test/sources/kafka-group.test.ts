// Consumer-group mode on a real Kafka-protocol broker: resumable exports that commit only what the
// caller says is durable, and two workers of one group splitting the partitions.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type KafkaSource, type KafkaSourceOptions, openKafkaSource } from '../../src/sources/kafka.js';
import { OffsetLedger } from '../../src/sources/kafka-offsets.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { makeEvents, produceWithKafkajs } from '../support/kafka-produce.js';

const BASE = Date.parse('2024-05-01T00:00:00Z');
// librdkafka 2.0.2's mock keeps a member that sent LeaveGroup until its session times out, so the next
// run of the same group waits that long to join (measured: session timeout − ~1 s). Keep it short here.
const SESSION = { sessionTimeoutMs: 6000 };

/** Read to the end, committing after every batch when `commit` is set; returns delivered values. */
async function readGroup(opts: KafkaSourceOptions, commit: boolean): Promise<string[]> {
  const source = await openKafkaSource(opts);
  const ledger = new OffsetLedger();
  const values: string[] = [];
  try {
    for await (const b of source.batches()) {
      for (const r of b.records) values.push(r.value as string);
      ledger.note(b);
      if (commit) await source.commit(ledger.drain());
    }
  } finally {
    await source.close();
  }
  return values;
}

describeKafka('kafka source: consumer groups', () => {
  let kafka: KafkaMock;
  beforeAll(async () => {
    kafka = await startKafkaMock();
  });
  afterAll(() => kafka?.stop());

  it('resumes from committed offsets: part, commit, restart, the rest only', async () => {
    const topic = await kafka.createTopic('resume', 3);
    const sent = makeEvents(600, 31, BASE);
    await produceWithKafkajs(kafka.brokers, topic, sent);
    const base = { brokers: [kafka.brokers], topics: [topic], group: `resume-${topic}`, ...SESSION };
    const first = await readGroup({ ...base, maxMessages: 250 }, true);
    expect(first.length).toBe(250);
    const rest = await readGroup(base, true);
    expect(rest.length).toBe(350);
    expect(new Set([...first, ...rest]).size).toBe(600);
    expect([...first, ...rest].sort()).toEqual(sent.map((e) => e.value).sort());
    // everything committed: a third run reads nothing, and new records only after them
    expect(await readGroup(base, true)).toEqual([]);
    const more = makeEvents(30, 7, BASE + 1_000_000, 'more');
    await produceWithKafkajs(kafka.brokers, topic, more);
    expect((await readGroup(base, true)).sort()).toEqual(more.map((e) => e.value).sort());
  });

  it('commits nothing unless told: an uncommitted run is read again in full', async () => {
    const topic = await kafka.createTopic('nocommit', 3);
    const sent = makeEvents(200, 13, BASE);
    await produceWithKafkajs(kafka.brokers, topic, sent);
    const base = { brokers: [kafka.brokers], topics: [topic], group: `nocommit-${topic}`, ...SESSION };
    expect((await readGroup({ ...base, maxMessages: 120 }, false)).length).toBe(120);
    expect((await readGroup(base, false)).length).toBe(200);
  });

  it('commits only the offsets it is given (a file not yet written is read again)', async () => {
    const topic = await kafka.createTopic('partial', 3);
    const sent = makeEvents(300, 11, BASE);
    for (let i = 0; i < 300; i += 100) await produceWithKafkajs(kafka.brokers, topic, sent.slice(i, i + 100));
    // small fetches: several batches per partition
    const base = { brokers: [kafka.brokers], topics: [topic], group: `partial-${topic}`, maxBytesPerPartition: 512, ...SESSION };
    // "file 1" = the first batch of each partition, committed; the rest delivered but never committed
    const source = await openKafkaSource(base);
    const ledger = new OffsetLedger();
    const committed: string[] = [];
    const seen = new Set<number>();
    try {
      for await (const b of source.batches()) {
        if (seen.has(b.partition)) continue;
        seen.add(b.partition);
        for (const r of b.records) committed.push(r.value as string);
        ledger.note(b);
      }
      expect(await source.commit(ledger.drain())).toBe(seen.size);
    } finally {
      await source.close();
    }
    const again = await readGroup(base, true);
    expect(committed.length).toBeGreaterThan(0);
    expect(again.length).toBeGreaterThan(0);
    expect(new Set(again).size).toBe(again.length);
    expect([...committed, ...again].sort()).toEqual(sent.map((e) => e.value).sort());
  });

  it('two consumers in one group split the partitions and together see every record exactly once', async () => {
    const topic = await kafka.createTopic('split', 3);
    const wave1 = makeEvents(300, 30, BASE, 'w1');
    const wave2 = makeEvents(300, 30, BASE + 1_000_000, 'w2');
    await produceWithKafkajs(kafka.brokers, topic, wave1);
    const opts = { brokers: [kafka.brokers], topics: [topic], group: `split-${topic}`, follow: true, ...SESSION };
    const total = wave1.length + wave2.length;
    const owner = new Map<string, string>(); // value → consumer that delivered it
    const partitionsOf = { A: new Set<number>(), B: new Set<number>() };
    const duplicates: string[] = [];
    const sources: KafkaSource[] = [];
    const consume = async (name: 'A' | 'B', source: KafkaSource): Promise<void> => {
      const ledger = new OffsetLedger();
      for await (const b of source.batches()) {
        for (const r of b.records) {
          const v = r.value as string;
          if (owner.has(v)) duplicates.push(v);
          owner.set(v, name);
          if (v.includes('"w2"')) partitionsOf[name].add(b.partition);
        }
        ledger.note(b);
        await source.commit(ledger.drain());
        if (owner.size >= total) for (const s of sources) s.stop();
      }
    };
    const a = await openKafkaSource(opts);
    sources.push(a);
    const runA = consume('A', a);
    await vi.waitFor(() => expect(owner.size).toBe(wave1.length), { timeout: 30_000, interval: 100 });
    const b = await openKafkaSource(opts);
    sources.push(b);
    const runB = consume('B', b);
    await vi.waitFor(
      () => {
        const [na, nb] = [a.assignment().length, b.assignment().length];
        expect(na > 0 && nb > 0 && na + nb === 3).toBe(true);
      },
      { timeout: 45_000, interval: 200 },
    );
    await produceWithKafkajs(kafka.brokers, topic, wave2);
    await Promise.all([runA, runB]);
    await Promise.all(sources.map((s) => s.close()));

    expect(duplicates).toEqual([]);
    expect(owner.size).toBe(total);
    expect(partitionsOf.A.size).toBeGreaterThan(0);
    expect(partitionsOf.B.size).toBeGreaterThan(0);
    for (const p of partitionsOf.A) expect(partitionsOf.B.has(p)).toBe(false); // a partition has one owner
  });
});
