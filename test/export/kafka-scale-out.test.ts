// Scale-out through Kafka itself (docs/export.md): `phantom export --group G` processes on one topic split its
// partitions through the consumer-group protocol. The contract across rebalances: the union of the
// workers' part files holds every record exactly once, read back as it is (no dedupe). A roll is
// published only after the group took its offsets; the group refuses a commit mid-rebalance, and then
// the roll is discarded and its records read again by whoever owns the partition next.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExportSummary } from '../../src/export/types.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { makeEvents, produceWithKafkajs } from '../support/kafka-produce.js';
import { duplicatesOf, type FileRow, offsetKeys, readRows, type RunningPhantom, startPhantom } from './helpers.js';

const BASE = Date.parse('2024-05-01T00:00:00Z');
const FAULT_HOOKS = fileURLToPath(new URL('../support/export-fault-hooks.mjs', import.meta.url));
const tmp = (): string => mkdtempSync(join(tmpdir(), 'phantom-kscale-'));

/**
 * A worker under a supervisor, as Kubernetes or systemd would run it: restarted (same arguments, same
 * output directory) when it exits because its Kafka consumer crashed. librdkafka 2.0.2's mock now and
 * then answers a JoinGroup during a rebalance with INVALID_REQUEST, which kafkajs treats as fatal.
 */
class Supervised {
  run: RunningPhantom;
  restarts = 0;
  private readonly done: Promise<{ code: number | null }>;
  constructor(
    private readonly args: string[],
    private readonly env: Record<string, string> = {},
  ) {
    this.run = startPhantom(args, env);
    this.done = this.watch();
  }
  private async watch(): Promise<{ code: number | null }> {
    for (;;) {
      const exit = await this.run.exited;
      if (exit.code !== 1 || !/Kafka consumer stopped/.test(this.run.stderr()) || this.restarts >= 3) return exit;
      this.restarts++;
      this.run = startPhantom(this.args, this.env);
    }
  }
  stderr(): string {
    return this.run.stderr();
  }
  stdout(): string {
    return this.run.stdout();
  }
  exited(): Promise<{ code: number | null }> {
    return this.done;
  }
  kill(signal: NodeJS.Signals): void {
    if (this.run.child.exitCode === null) this.run.child.kill(signal);
  }
}

/** The partitions a worker last reported owning ("partitions: t[0] t[2]"). */
function owned(w: Supervised): number[] | null {
  const lines = w.stderr().split('\n').filter((l) => l.startsWith('partitions: '));
  const last = lines.at(-1);
  return last === undefined ? null : [...last.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])).sort();
}

/** Check the union of the workers' files against what was sent: every record exactly once. */
function checkUnion(union: FileRow[], sent: { ts: number }[]): void {
  expect(duplicatesOf(offsetKeys(union))).toEqual([]);
  expect(union.map((r) => r.ts).sort((a, b) => a - b)).toEqual(sent.map((e) => e.ts)); // nothing lost, nothing foreign
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The process id in a part file's name (part-<UTC>-<host>-<pid>-<seq>.parquet). */
const pidOf = (file: string): number => Number(/-(\d+)-\d{5}\.parquet$/.exec(file)![1]);

describeKafka('phantom export: two workers of one group', () => {
  let kafka: KafkaMock;
  beforeAll(async () => {
    kafka = await startKafkaMock();
  });
  afterAll(() => kafka?.stop());

  // the mock broker's INVALID_REQUEST answers to a group join stop a worker now and then: Supervised restarts it
  let attempt = 0;
  it('a second --follow worker takes over part of the partitions; every record exactly once', { timeout: 300_000 }, async () => {
    const topic = await kafka.createTopic('scale', 3);
    const group = `g-scale-${++attempt}`;
    const dir = tmp(); // one output directory shared by the workers, as on a shared volume
    const args = ['export', '--from', 'kafka', '--brokers', kafka.brokers, '--topic', topic, '--group', group, '--session-timeout', '6s', '--follow', '--flush-interval', '1s', '-o', dir, '--json'];
    // worker 1 holds its commits until worker 2 has its share, so the rebalance completes while worker 1
    // holds a staged roll of a partition it lost: it must not commit that partition in its new generation
    const release = join(tmp(), 'release-commits');
    const held = { NODE_OPTIONS: `--import ${FAULT_HOOKS}`, PHANTOM_TEST_HOLD_COMMITS_UNTIL: release };
    const workers: Supervised[] = [new Supervised(args, held)];
    try {
      await until(() => owned(workers[0]!)?.length === 3, 90_000, () => `worker 1 to own the topic:\n${workers[0]!.stderr()}`);
      const before = makeEvents(3000, 173, BASE, 'before');
      await produceWithKafkajs(kafka.brokers, topic, before);
      // worker 2 joins while worker 1 may still hold rows of partitions it is about to give up
      workers.push(new Supervised(args));
      await until(() => (owned(workers[1]!)?.length ?? 0) > 0, 120_000, () => `worker 2 to get partitions:\n${workers.map((w) => w.stderr()).join('\n---\n')}`);
      writeFileSync(release, '');
      await until(() => {
        const [a = null, b = null] = workers.map(owned);
        return a !== null && b !== null && a.length > 0 && b.length > 0 && new Set([...a, ...b]).size === 3 && a.length + b.length === 3;
      }, 120_000, () => `a split assignment (restarts ${workers.map((w) => w.restarts)}):\n${workers.map((w) => w.stderr()).join('\n---\n')}`);
      const split = workers.map(owned) as number[][];
      const pids = workers.map((w) => w.run.child.pid!);
      const after = makeEvents(6000, 173, BASE + 100_000_000, 'after');
      await produceWithKafkajs(kafka.brokers, topic, after);
      const all = [...before, ...after];
      await until(async () => (await readRows(dir)).length >= all.length, 60_000, () => 'the workers to write everything');
      for (const w of workers) w.kill('SIGTERM');
      const exits = await Promise.all(workers.map((w) => w.exited()));
      expect(exits.map((e) => e.code)).toEqual([0, 0]); // graceful stop: finish the file, commit, summary
      const summaries = workers.map((w) => JSON.parse(w.stdout()) as ExportSummary);
      expect(summaries.map((x) => x.stopped_by)).toEqual(['signal', 'signal']);
      const rows = await readRows(dir);
      checkUnion(rows, all);
      expect(summaries.every((x) => x.duplicates.already_exported === 0)).toBe(true);
      // after the split each worker wrote only its own partitions, and both wrote
      pids.forEach((pid, i) => {
        const late = rows.filter((r) => r.sessionId.startsWith('after-') && pidOf(r.file) === pid);
        expect(late.length).toBeGreaterThan(0);
        expect([...new Set(late.map((r) => r.srcPartition))].sort()).toEqual(split[i]);
      });
    } finally {
      for (const w of workers) w.kill('SIGKILL');
    }
  });

  it('started together in batch mode on a full topic: every record exactly once', async () => {
    const topic = await kafka.createTopic('scale-batch', 3);
    const sent = makeEvents(30_000, 389, BASE, 'sb');
    for (let i = 0; i < sent.length; i += 10_000) await produceWithKafkajs(kafka.brokers, topic, sent.slice(i, i + 10_000));
    const dir = tmp();
    const workers = [0, 1].map(() => new Supervised(['export', '--from', 'kafka', '--brokers', kafka.brokers, '--topic', topic, '--group', 'g-scale-batch', '--session-timeout', '6s', '--flush-records', '1000', '-o', dir, '--json']));
    const exits = await Promise.all(workers.map((w) => w.exited()));
    expect(exits.map((e) => e.code), workers.map((w) => w.stderr()).join('\n---\n')).toEqual([0, 0]);
    const summaries = workers.map((w) => JSON.parse(w.stdout()) as ExportSummary);
    checkUnion(await readRows(dir), sent);
    expect(summaries.every((x) => x.duplicates.already_exported === 0)).toBe(true);
  }, 200_000);

  // A batch-mode member is done when the group's job is, not when its own share is. Here another member
  // of the group (a kafkajs consumer: another tool, or a stalled worker) holds partitions without reading
  // them: phantom reads its share, commits, and waits ("waiting for …"); when that member leaves, its
  // partitions come to phantom, which reads them and exits 0. Before, phantom exited 0 after its share,
  // with the other partitions unread (a crashed member that nobody restarts left the same hole).
  it('batch mode: waits for partitions another member holds, and reads them when it leaves', async () => {
    const topic = await kafka.createTopic('scale-hold', 3);
    const sent = makeEvents(30_000, 389, BASE, 'sh');
    for (let i = 0; i < sent.length; i += 10_000) await produceWithKafkajs(kafka.brokers, topic, sent.slice(i, i + 10_000));
    const group = 'g-scale-hold';
    const holder = new IdleMember(kafka.brokers, group, topic);
    const dir = tmp();
    let worker: Supervised | null = null;
    try {
      await until(() => holder.owned.length === 3, 60_000, () => 'the holding member to own the topic');
      worker = new Supervised(['export', '--from', 'kafka', '--brokers', kafka.brokers, '--topic', topic, '--group', group, '--session-timeout', '6s', '--flush-records', '1000', '-o', dir, '--json']);
      const w = worker;
      // phantom's share is read and committed; it now waits for the holder's partitions instead of exiting
      const waiting = (): boolean => /^waiting for \S+\[\d\]/m.test(w.stderr());
      await until(() => waiting() || w.run.child.exitCode !== null, 120_000, () => `phantom to wait for the holder's partitions (holder owns ${holder.owned}):\n${w.stderr()}`);
      expect(w.run.child.exitCode, `phantom exited instead of waiting:\n${w.stderr()}`).toBeNull();
      await holder.leave();
      const exit = await w.exited();
      expect(exit.code, w.stderr()).toBe(0);
      checkUnion(await readRows(dir), sent);
    } finally {
      worker?.kill('SIGKILL');
      await holder.leave();
    }
  }, 240_000);
});

/**
 * A group member that takes its partitions and never reads them: each batch pauses its partition
 * unprocessed. Rejoined if the mock broker's INVALID_REQUEST stops it (see Supervised).
 */
class IdleMember {
  owned: number[] = [];
  private consumer: kafkajs.Consumer | null = null;
  private left = false;
  constructor(private readonly brokers: string, private readonly group: string, private readonly topic: string) {
    void this.start();
  }
  private async start(): Promise<void> {
    const c = new kafkajs.Kafka({ brokers: this.brokers.split(','), clientId: 'phantom-test-holder', logLevel: kafkajs.logLevel.NOTHING })
      .consumer({ groupId: this.group, sessionTimeout: 6000, retry: { retries: 3 } });
    this.consumer = c;
    c.on(c.events.GROUP_JOIN, ({ payload }) => {
      this.owned = [...(payload.memberAssignment[this.topic] ?? [])].sort();
    });
    c.on(c.events.CRASH, ({ payload }) => {
      if (!payload.restart && !this.left) setTimeout(() => void this.start(), 200);
    });
    await c.connect();
    await c.subscribe({ topic: this.topic, fromBeginning: true });
    await c.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async ({ batch }) => c.pause([{ topic: batch.topic, partitions: [batch.partition] }]) });
  }
  async leave(): Promise<void> {
    this.left = true;
    await this.consumer?.disconnect().catch(() => undefined);
  }
}
