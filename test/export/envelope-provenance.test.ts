// Kafka-console envelopes produced as record values: the envelope's own partitionID/offset must never
// stand in for the record's real Kafka position. Before the fix, an export, an append and a rerun with
// the same group lost every appended record whose real offset an envelope offset happened to name
// (counted as duplicates.already_exported, exit 0).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExportSummary } from '../../src/export/types.js';
import { phantom } from '../support/cli.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { produceWithKafkajs, type SentEvent } from '../support/kafka-produce.js';
import { duplicatesOf, offsetKeys, readRows } from './helpers.js';

const BASE = Date.parse('2024-05-01T00:00:00Z');

/** `n` envelopes whose own coordinates say one partition, offsets from `first` (the real topic has three). */
export function envelopes(topic: string, n: number, first = 0): SentEvent[] {
  const out: SentEvent[] = [];
  for (let i = first; i < first + n; i++) {
    const key = `env-session-${i % 97}`;
    const ts = BASE + i * 1000;
    const event = { sessionId: key, eventName: 'page_view', ts, seq: i };
    out.push({ key, ts, value: JSON.stringify({ topic, partitionID: 0, offset: i, timestamp: ts, key: { payload: key, encoding: 'text' }, value: { payload: event, encoding: 'json' } }) });
  }
  return out;
}

describeKafka('phantom export: provenance of envelope records', () => {
  let kafka: KafkaMock;
  beforeAll(async () => {
    kafka = await startKafkaMock();
  });
  afterAll(() => kafka?.stop());

  it('export, append, rerun with the same group: every envelope exactly once; the envelope coordinates kept apart', async () => {
    const topic = await kafka.createTopic('envprov', 3);
    const dir = mkdtempSync(join(tmpdir(), 'phantom-envprov-'));
    const run = (): { code: number; summary: ExportSummary; stderr: string } => {
      const r = phantom(['export', '--from', 'kafka', '--brokers', kafka.brokers, '--topic', topic, '--group', 'g-env', '--session-timeout', '6s', '--flush-records', '700', '-o', dir, '--json']);
      return { code: r.code, summary: JSON.parse(r.stdout || '{}') as ExportSummary, stderr: r.stderr };
    };
    await produceWithKafkajs(kafka.brokers, topic, envelopes(topic, 1500));
    const first = run();
    expect(first.code, first.stderr).toBe(0);
    expect(first.summary.records_written).toBe(1500);
    await produceWithKafkajs(kafka.brokers, topic, envelopes(topic, 1500, 1500));
    const second = run();
    expect(second.code, second.stderr).toBe(0);
    expect(second.summary.duplicates.already_exported).toBe(0);
    expect(second.summary.records_written).toBe(1500);
    const rows = await readRows(dir);
    expect(rows.length).toBe(3000);
    expect(duplicatesOf(offsetKeys(rows))).toEqual([]);
    // src_* are the transport's (three real partitions); origin_* the envelope's own
    expect(new Set(rows.map((r) => r.srcTopic))).toEqual(new Set([topic]));
    expect(new Set(rows.map((r) => r.srcPartition))).toEqual(new Set([0, 1, 2]));
    expect(new Set(rows.map((r) => r.originPartition))).toEqual(new Set([0]));
    expect(rows.map((r) => r.originOffset).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });
});
