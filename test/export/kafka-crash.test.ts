// Crash safety of `phantom export --group` on a real Kafka-protocol broker: SIGKILL mid-run and restart,
// a failed offset commit, a crash between a commit and the publication of its roll, and transient broker
// faults. The union of all part files must hold every record exactly once — read back as they are,
// without any dedupe.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import type { ExportSummary } from '../../src/export/types.js';
import { phantom, ROOT } from '../support/cli.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { makeEvents, produceWithKafkajs } from '../support/kafka-produce.js';
import { duplicatesOf, offsetKeys, parquetFiles, readRows, startPhantom } from './helpers.js';

const BASE = Date.parse('2024-05-01T00:00:00Z');
const FETCH = 1, OFFSET_COMMIT = 8; // Kafka ApiKeys
const SESSION = ['--session-timeout', '6s'];
const FAULT_HOOKS = join(ROOT, 'test/support/export-fault-hooks.mjs');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'phantom-kcrash-'));

function exportOnce(kafka: KafkaMock, topic: string, group: string, dir: string, extra: string[] = [], env: Record<string, string> = {}): { code: number; summary: ExportSummary; stderr: string } {
  const r = phantom(['export', '--from', 'kafka', '--brokers', kafka.brokers, '--topic', topic, '--group', group, ...SESSION, '-o', dir, '--json', ...extra], { env });
  let summary = {} as ExportSummary;
  try {
    summary = JSON.parse(r.stdout) as ExportSummary;
  } catch {
    // failed run
  }
  return { code: r.code, summary, stderr: r.stderr };
}

async function expectExactlyOnce(dir: string, n: number): Promise<void> {
  const rows = await readRows(dir);
  expect(duplicatesOf(offsetKeys(rows))).toEqual([]);
  expect(rows.length).toBe(n);
}

async function produce(kafka: KafkaMock, prefix: string, n: number): Promise<string> {
  const topic = await kafka.createTopic(prefix, 3);
  const events = makeEvents(n, 211, BASE, prefix);
  for (let i = 0; i < n; i += 10_000) await produceWithKafkajs(kafka.brokers, topic, events.slice(i, i + 10_000));
  return topic;
}

const describeFaults = process.env.KAFKA_BROKERS ? describe.skip : describeKafka;

describeKafka('phantom export --group: crash safety', () => {
  let kafka: KafkaMock;
  beforeAll(async () => {
    kafka = await startKafkaMock();
  });
  afterAll(() => kafka?.stop());

  it('SIGKILL mid-run, then a restart: every record exactly once, no partial file under a final name', async () => {
    const N = 60_000;
    const topic = await produce(kafka, 'kill', N);
    const dir = tmp();
    const run = startPhantom(['export', '--from', 'kafka', '--brokers', kafka.brokers, '--topic', topic, '--group', 'g-kill', ...SESSION, '--flush-records', '2000', '-o', dir]);
    // kill once a few files have rolled, while the run is still writing
    for (let i = 0; i < 3000 && parquetFiles(join(dir, 'events')).length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    run.child.kill('SIGKILL');
    const killed = await run.exited;
    expect(killed.signal).toBe('SIGKILL');
    const before = parquetFiles(join(dir, 'events'));
    expect(before.length).toBeGreaterThanOrEqual(3);
    let rowsBefore = 0;
    for (const f of before) rowsBefore += (await readEventsParquet(f)).length; // every final name is a complete file
    expect(rowsBefore).toBeLessThan(N); // it really died mid-run
    const restart = exportOnce(kafka, topic, 'g-kill', dir, ['--flush-records', '2000']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.summary.records_written).toBe(N - rowsBefore);
    await expectExactlyOnce(dir, N);
  });

  it('a failed commit: the roll is discarded, nothing of it is published, and the restart exports everything once', async () => {
    const N = 3000;
    const topic = await produce(kafka, 'nocommit', N);
    const dir = tmp();
    await kafka.inject(`err ${OFFSET_COMMIT} 1 30`); // GROUP_AUTHORIZATION_FAILED: not retriable
    const failed = exportOnce(kafka, topic, 'g-nocommit', dir, ['--flush-records', '500']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/committing Kafka offsets failed .*the roll was discarded, so nothing of it is in the output/);
    expect(failed.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(await readRows(dir)).toEqual([]);
    expect(readdirSync(join(dir, '.staging'))).toEqual([]);
    const restart = exportOnce(kafka, topic, 'g-nocommit', dir, ['--flush-records', '500']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.summary.duplicates.total).toBe(0);
    expect(restart.summary.records_written).toBe(N);
    await expectExactlyOnce(dir, N);
  });

  it('killed after a commit but before its roll is published: the restart publishes that roll, then goes on', async () => {
    const N = 3000;
    const topic = await produce(kafka, 'unpublished', N);
    const dir = tmp();
    const killed = exportOnce(kafka, topic, 'g-unpublished', dir, ['--flush-records', '500'], { NODE_OPTIONS: `--import ${FAULT_HOOKS}`, PHANTOM_TEST_KILL_AFTER_COMMITS: '2' });
    expect(killed.code).toBe(-1); // killed by SIGKILL, right after the group took the second roll's offsets
    expect((await readRows(dir)).length).toBe(500); // the first roll; the second is committed but still staged
    expect(readdirSync(join(dir, '.staging')).length).toBe(1);
    const restart = exportOnce(kafka, topic, 'g-unpublished', dir, ['--flush-records', '500']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stderr).toMatch(/published 1 committed roll\(s\) and discarded 0/);
    expect(restart.summary.rolls).toMatchObject({ published_for_others: 1, discarded: 0 });
    expect(restart.summary.records_written).toBe(N - 1000); // it starts after the committed offsets
    expect(restart.summary.files_written.filter((f) => existsSync(f)).length).toBe(restart.summary.files_written.length);
    await expectExactlyOnce(dir, N);
  });
});

describeFaults('phantom export --group: broker faults', () => {
  let kafka: KafkaMock;
  beforeAll(async () => {
    kafka = await startKafkaMock();
  });
  afterAll(() => kafka?.stop());

  it('retries Fetch and OffsetCommit errors and completes, every record exactly once', async () => {
    const N = 8000;
    const topic = await produce(kafka, 'faults', N);
    const dir = tmp();
    await kafka.inject(`err ${FETCH} 3 7`); // REQUEST_TIMED_OUT
    await kafka.inject(`err ${OFFSET_COMMIT} 2 15`); // COORDINATOR_NOT_AVAILABLE
    const r = exportOnce(kafka, topic, 'g-faults', dir, ['--flush-records', '1000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.records_written).toBe(N);
    await expectExactlyOnce(dir, N);
    // and everything was committed: a second run finds nothing new
    const again = exportOnce(kafka, topic, 'g-faults', dir);
    expect(again.summary.records_read).toBe(0);
  });

  it.each([
    ['a mid-run roll', ['--flush-records', '500']],
    ['the final roll of a batch run', ['--flush-records', '5000']],
  ])('a commit the group refuses (REBALANCE_IN_PROGRESS) on %s: the roll is discarded and read again, every record once', async (_what, flags) => {
    const N = 3000;
    const topic = await produce(kafka, 'refused', N);
    const dir = tmp();
    await kafka.inject(`err ${OFFSET_COMMIT} 1 27`); // REBALANCE_IN_PROGRESS
    const r = exportOnce(kafka, topic, `g-refused-${flags[1]}`, dir, flags);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/the group refused the commit of a roll, so it was discarded .*3 partition\(s\) kept here are read again/);
    expect(r.summary.rolls).toMatchObject({ published_for_others: 0, discarded: 1 });
    expect(r.summary.records_written).toBe(N);
    expect(r.summary.records_read).toBe(N); // what the discarded roll had read is taken back
    await expectExactlyOnce(dir, N);
    expect(readdirSync(join(dir, '.staging'))).toEqual([]);
  });
});
