// `phantom export --from kafka` through the real binary against a real Kafka-protocol broker
// (librdkafka's mock cluster): exactly-once output, order and provenance, time windows, incremental
// group exports, bad records with exact counts, and secrets that never reach any output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExportSummary } from '../../src/export/types.js';
import { readParquet } from '../../src/io/parquet.js';
import { phantom, ROOT } from '../support/cli.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { kcatAvailable, makeEvents, produceWithKafkajs, produceWithKcat } from '../support/kafka-produce.js';
import { duplicatesOf, offsetKeys, parquetFiles, readJsonLines, readRows } from './helpers.js';
import { produceTracked } from './kafka-produce-offsets.js';

const BASE = Date.parse('2024-05-01T00:00:00Z');
// librdkafka 2.0.2's mock holds a departed member until its session times out, so each later run of the
// same group waits that long to join: keep it at the broker minimum in tests.
const SESSION = ['--session-timeout', '6s'];
const tmp = (): string => mkdtempSync(join(tmpdir(), 'phantom-kexport-'));

function exportKafka(kafka: KafkaMock, topic: string, args: string[], env: Record<string, string> = {}): { code: number; summary: ExportSummary; stderr: string; stdout: string } {
  const r = phantom(['export', '--from', 'kafka', '--brokers', kafka.brokers, '--topic', topic, ...args, '--json'], { env });
  let summary = {} as ExportSummary;
  try {
    summary = JSON.parse(r.stdout) as ExportSummary;
  } catch {
    // a failed run prints no JSON
  }
  return { ...r, summary };
}

describeKafka('phantom export --from kafka', () => {
  let kafka: KafkaMock;
  beforeAll(async () => {
    kafka = await startKafkaMock();
  });
  afterAll(() => kafka?.stop());

  it('exports every message of a 3-partition topic exactly once, in per-session order, with provenance', async () => {
    const topic = await kafka.createTopic('ui', 3);
    const sent = makeEvents(3000, 97, BASE, 'x');
    const viaKcat = kcatAvailable() && !kafka.external;
    if (viaKcat) produceWithKcat(kafka.brokers, topic, sent); // an independent client (librdkafka)
    else await produceWithKafkajs(kafka.brokers, topic, sent);
    const dir = tmp();
    const r = exportKafka(kafka, topic, ['--group', 'g-once', ...SESSION, '-o', dir, '--flush-records', '700']);
    expect(r.code, r.stderr).toBe(0);
    const rows = await readRows(dir);
    expect(rows.length).toBe(3000);
    expect(duplicatesOf(offsetKeys(rows))).toEqual([]);
    expect(rows.map((x) => x.ts).sort((a, b) => a - b)).toEqual(sent.map((e) => e.ts)); // ts identifies the event
    expect(r.summary).toMatchObject({ records_read: 3000, records_written: 3000, sessions: 97, stopped_by: 'end' });
    expect(r.summary.duplicates.total + r.summary.dead_lettered.total).toBe(0);
    // rolled every 700 records, cutting fetched batches where needed
    const sizes = await Promise.all(parquetFiles(join(dir, 'events')).map(async (f) => (await readRows(f)).length));
    expect(sizes.sort((a, b) => b - a)).toEqual([700, 700, 700, 700, 200]);
    // provenance: topic, one partition per session (keyed), offsets 0..n-1 per partition
    const partitionOf = new Map<string, number>();
    const perPartition = new Map<number, number[]>();
    for (const x of rows) {
      expect(x.srcTopic).toBe(topic);
      expect(partitionOf.get(x.sessionId) ?? x.srcPartition).toBe(x.srcPartition);
      partitionOf.set(x.sessionId, x.srcPartition!);
      (perPartition.get(x.srcPartition!) ?? perPartition.set(x.srcPartition!, []).get(x.srcPartition!)!).push(x.srcOffset!);
      expect(x.srcTs).not.toBeNull();
    }
    for (const offs of perPartition.values()) expect(offs.sort((a, b) => a - b)).toEqual(offs.map((_, i) => i));
    expect(r.summary.offsets_committed.sort((a, b) => a.partition - b.partition)).toEqual([...perPartition].sort((a, b) => a[0] - b[0]).map(([p, o]) => ({ topic, partition: p, offset: o.length })));
    // per-session order: by offset the events come in the order they were produced, also inside each file
    const bySession = new Map<string, { file: string; offset: number; ts: number }[]>();
    for (const x of rows) (bySession.get(x.sessionId) ?? bySession.set(x.sessionId, []).get(x.sessionId)!).push({ file: x.file, offset: x.srcOffset!, ts: x.ts });
    for (const evs of bySession.values()) {
      const byOffset = [...evs].sort((a, b) => a.offset - b.offset);
      expect(byOffset.map((e) => e.ts)).toEqual([...evs].map((e) => e.ts).sort((a, b) => a - b));
      for (let i = 1; i < evs.length; i++) if (evs[i]!.file === evs[i - 1]!.file) expect(evs[i]!.offset).toBeGreaterThan(evs[i - 1]!.offset);
    }
    if (viaKcat) {
      // the broker's own view (kcat as consumer): partition, offset and key of every record
      const c = spawnSync('kcat', ['-C', '-b', kafka.brokers, '-t', topic, '-e', '-q', '-f', '%p %o %k\\n'], { encoding: 'utf8', timeout: 60_000 });
      const broker = c.stdout.trim().split('\n').sort();
      expect(broker.length).toBe(3000);
      expect(rows.map((x) => `${x.srcPartition} ${x.srcOffset} ${x.sessionId}`).sort()).toEqual(broker);
    } else {
      for (const x of rows) expect(x.srcTs).toBe(x.ts); // kafkajs sent each record with its event time
    }
  });

  it('--since/--until export only the window, judged on record timestamps', async () => {
    const topic = await kafka.createTopic('win', 3);
    const sent = makeEvents(600, 20, BASE, 'w');
    await produceWithKafkajs(kafka.brokers, topic, sent);
    const since = BASE + 150_000, until = BASE + 420_000;
    const out = join(tmp(), 'events.parquet');
    const r = exportKafka(kafka, topic, ['--since', new Date(since).toISOString(), '--until', new Date(until).toISOString(), '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = await readRows(out);
    expect(rows.map((x) => x.srcTs).sort((a, b) => a! - b!)).toEqual(sent.filter((e) => e.ts >= since && e.ts < until).map((e) => e.ts));
    expect(r.summary.records_read).toBe(270);
    expect(r.summary.time_range).toEqual({ from: new Date(since).toISOString(), to: new Date(until - 1000).toISOString() });
  });

  it('a consumer-group export run twice exports only the new messages the second time', async () => {
    const topic = await kafka.createTopic('inc', 3);
    const first = makeEvents(500, 31, BASE, 'a');
    const second = makeEvents(300, 31, BASE + 10_000_000, 'b');
    await produceWithKafkajs(kafka.brokers, topic, first);
    const dir = tmp();
    const r1 = exportKafka(kafka, topic, ['--group', 'g-inc', ...SESSION, '-o', dir]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.summary.records_written).toBe(500);
    await produceWithKafkajs(kafka.brokers, topic, second);
    const r2 = exportKafka(kafka, topic, ['--group', 'g-inc', ...SESSION, '-o', dir]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.summary.records_read).toBe(300);
    expect(r2.summary.duplicates.total).toBe(0);
    const secondRows = await Promise.all(r2.summary.files_written.map((f) => readRows(f)));
    expect(secondRows.flat().map((x) => x.ts).sort((a, b) => a - b)).toEqual(second.map((e) => e.ts));
    const all = await readRows(dir);
    expect(all.length).toBe(800);
    expect(duplicatesOf(offsetKeys(all))).toEqual([]);
    const r3 = exportKafka(kafka, topic, ['--group', 'g-inc', ...SESSION, '-o', dir]);
    expect(r3.summary.records_read).toBe(0);
    expect(r3.summary.files_written).toEqual([]);
  });

  it('dead-letters each kind of bad record with its reason and offset; exact counts; --strict exits 3', async () => {
    const topic = await kafka.createTopic('bad', 3);
    const good = makeEvents(200, 10, BASE, 'g').map((e) => ({ key: e.key, value: e.value }));
    const badLines = readFileSync(join(ROOT, 'fixtures/bad-records.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const badReasons = JSON.parse(readFileSync(join(ROOT, 'fixtures/bad-records.reasons.json'), 'utf8')) as string[];
    const bad = badLines.map((value, i) => ({ key: `bad-${i}`, value }));
    const tombstone = { key: 'bad-null', value: null };
    const unknown = [0, 1, 2].map((i) => ({ key: 'g-session-1', value: JSON.stringify({ sessionId: 'g-session-1', eventName: 'teleport', ts: BASE + i }) }));
    const noTs = { key: 'g-session-2', value: JSON.stringify({ sessionId: 'g-session-2', eventName: 'page_view' }) };
    const dups = good.slice(0, 5); // produced again: identical content at new offsets
    const messages = [...good.slice(0, 100), ...bad, tombstone, ...unknown, noTs, ...good.slice(100), ...dups];
    const produced = await produceTracked(kafka.brokers, topic, messages);
    const dir = tmp();
    const r = exportKafka(kafka, topic, ['--dedupe', '-o', join(dir, 'events.parquet')]);
    expect(r.code, r.stderr).toBe(0);
    const s = r.summary;
    expect(s.records_read).toBe(messages.length);
    expect(s.records_written).toBe(200 + 3 + 1);
    expect(s.duplicates).toMatchObject({ total: 5, redelivered: 0, already_exported: 0, identical: 5 });
    expect(s.unknown_events).toEqual({ total: 3, by_name: { teleport: 3 } });
    expect(s.ts_from_broker).toBe(1);
    const expectedReasons: Record<string, number> = { not_an_object: 1 };
    for (const x of badReasons) expectedReasons[x] = (expectedReasons[x] ?? 0) + 1;
    expect(s.dead_lettered).toEqual({ total: badLines.length + 1, by_reason: Object.fromEntries(Object.entries(expectedReasons).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) });
    expect(s.records_read).toBe(s.records_written + s.dead_lettered.total + s.duplicates.total);
    // every bad record is in the dead-letter file with its reason and the broker's partition/offset
    const dead = readJsonLines<{ reason: string; key: string; value: unknown; provenance: { topic: string; partition: number; offset: number } }>(join(dir, 'events.dead-letter.jsonl'));
    const where = new Map(produced.map((p) => [`${p.partition}:${p.offset}`, p]));
    const wanted = new Map([...bad.map((b, i) => [b.key, badReasons[i]!] as const), ['bad-null', 'not_an_object'] as const]);
    expect(dead.length).toBe(wanted.size);
    for (const d of dead) {
      expect(d.provenance.topic).toBe(topic);
      const p = where.get(`${d.provenance.partition}:${d.provenance.offset}`)!;
      expect(d.key).toBe(p.key);
      expect(d.reason).toBe(wanted.get(p.key!));
      expect(d.value).toBe(p.value);
    }
    const strict = exportKafka(kafka, topic, ['--dedupe', '--strict', '-o', join(dir, 'strict.parquet')]);
    expect(strict.code).toBe(3);
    expect(strict.summary.records_written).toBe(204);
    expect((await readRows(join(dir, 'strict.parquet'))).length).toBe(204);
  });

  it('--price-topic writes price observations to price-logs, beside the events and in a group directory', async () => {
    const topic = await kafka.createTopic('pev', 3);
    const prices = await kafka.createTopic('prices', 3);
    await produceWithKafkajs(kafka.brokers, topic, makeEvents(300, 10, BASE, 'pe'));
    const shown = Array.from({ length: 120 }, (_, i) => ({ key: `p-${i % 7}`, value: JSON.stringify({ productId: `p-${i % 7}`, price: 100 + i, sessionId: `pe-session-${i % 10}`, experimentId: null, storeMode: 'hotel', ts: BASE + i }) }));
    await produceTracked(kafka.brokers, prices, [...shown, { key: 'p-x', value: JSON.stringify({ productId: 'p-x', price: 'n/a', sessionId: 's', ts: BASE }) }]);
    const dir = tmp();
    const r = exportKafka(kafka, topic, ['--price-topic', prices, '-o', join(dir, 'events.parquet')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.records_written).toBe(300);
    expect(r.summary.price_logs).toEqual({ read: 121, written: 120 });
    expect(r.summary.dead_lettered.by_reason).toEqual({ 'wrong_type:price': 1 });
    const t = await readParquet(join(dir, 'price-logs.parquet'));
    expect(t.numRows).toBe(120);
    const got = t.toArray().map((row) => (row as { toJSON(): Record<string, unknown> }).toJSON()).map((x) => [x['productId'], x['price'], x['sessionId'], Number(x['ts']), x['src_topic']]);
    expect(got.sort((a, b) => (a[3] as number) - (b[3] as number))).toEqual(shown.map((m) => JSON.parse(m.value!) as Record<string, unknown>).map((x) => [x['productId'], x['price'], x['sessionId'], x['ts'], prices]));
    const group = exportKafka(kafka, topic, ['--price-topic', prices, '--group', 'g-prices', ...SESSION, '-o', join(dir, 'out')]);
    expect(group.code, group.stderr).toBe(0);
    expect(group.summary.files_written.filter((f) => f.includes('/price-logs/')).length).toBe(1);
    expect(group.summary.offsets_committed.filter((o) => o.topic === prices).reduce((n, o) => n + o.offset, 0)).toBe(121);
  });

  it('never prints a SASL password or a database password, whatever fails', async () => {
    const topic = await kafka.createTopic('sasl', 1);
    const secret = 'pw-Zq8!never-printed';
    const r = exportKafka(kafka, topic, ['--sasl-mechanism', 'plain', '--sasl-username', 'phantom', '--sasl-password-env', 'PHANTOM_TEST_SASL', '-o', join(tmp(), 'e.parquet')], { PHANTOM_TEST_SASL: secret });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/phantom export: /);
    expect(r.stdout + r.stderr).not.toContain(secret);
    const unset = exportKafka(kafka, topic, ['--sasl-mechanism', 'plain', '--sasl-username', 'phantom', '--sasl-password-env', 'PHANTOM_TEST_UNSET', '-o', join(tmp(), 'e.parquet')]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/environment variable PHANTOM_TEST_UNSET is not set/);
    const db = phantom(['export', '--from', 'supabase', '--database-url', `postgres://phantom:${encodeURIComponent(secret)}@127.0.0.1:9/events`, '-o', join(tmp(), 'e.parquet')]);
    expect(db.code).not.toBe(0);
    expect(db.stdout + db.stderr).not.toContain(secret);
    expect(db.stdout + db.stderr).not.toContain(encodeURIComponent(secret));
  });
});
