// Crash safety of `phantom export --group` on a real Kafka-protocol broker: SIGKILL mid-run and restart,
// a crash between a file's rename and its offset commit, and transient broker faults. The union of all
// part files must hold every record exactly once — read back as they are, without any dedupe.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import type { ExportSummary } from '../../src/export/types.js';
import { phantom } from '../support/cli.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { makeEvents, produceWithKafkajs } from '../support/kafka-produce.js';
import { duplicatesOf, offsetKeys, parquetFiles, readRows, startPhantom } from './helpers.js';

const BASE = Date.parse('2024-05-01T00:00:00Z');
const FETCH = 1, OFFSET_COMMIT = 8; // Kafka ApiKeys
const SESSION = ['--session-timeout', '6s'];
const tmp = (): string => mkdtempSync(join(tmpdir(), 'phantom-kcrash-'));

function exportOnce(kafka: KafkaMock, topic: string, group: string, dir: string, extra: string[] = []): { code: number; summary: ExportSummary; stderr: string } {
  const r = phantom(['export', '--from', 'kafka', '--brokers', kafka.brokers, '--topic', topic, '--group', group, ...SESSION, '-o', dir, '--json', ...extra]);
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

  it('a crash between a rename and its commit: the restart skips what the file already holds', async () => {
    const N = 3000;
    const topic = await produce(kafka, 'nocommit', N);
    const dir = tmp();
    await kafka.inject(`err ${OFFSET_COMMIT} 1 30`); // GROUP_AUTHORIZATION_FAILED: not retriable
    const failed = exportOnce(kafka, topic, 'g-nocommit', dir, ['--flush-records', '500']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/committing Kafka offsets failed .*the files written are kept/);
    expect(failed.stderr).not.toMatch(/internal error|\n\s+at /);
    const kept = await readRows(dir);
    expect(kept.length).toBe(500);
    const restart = exportOnce(kafka, topic, 'g-nocommit', dir, ['--flush-records', '500']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.summary.duplicates).toMatchObject({ already_exported: 500, redelivered: 0 });
    expect(restart.summary.records_written).toBe(N - 500);
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
});
