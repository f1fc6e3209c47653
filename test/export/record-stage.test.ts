// The per-record stage: every record lands in exactly one tally, with the exact reason or duplicate kind.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/normalise.js';
import { ExportCounts } from '../../src/export/counts.js';
import { IdenticalEvents, OffsetFilter } from '../../src/export/dedupe.js';
import type { PriceRow } from '../../src/export/price-logs.js';
import { RecordStage, type RecordSink, type StageOptions } from '../../src/export/record-stage.js';
import type { SourceBatch } from '../../src/export/types.js';
import type { RawRecord } from '../../src/sources/types.js';
import { ROOT } from '../support/cli.js';

class MemorySink implements RecordSink {
  events: [string, EventRow][] = [];
  prices: PriceRow[] = [];
  dead: { lane: string; line: Record<string, unknown> }[] = [];
  event(lane: string, row: EventRow): void {
    this.events.push([lane, row]);
  }
  price(_lane: string, row: PriceRow): void {
    this.prices.push(row);
  }
  deadLetter(lane: string, line: string): void {
    this.dead.push({ lane, line: JSON.parse(line) as Record<string, unknown> });
  }
}

function setup(opts: Partial<StageOptions> = {}) {
  const counts = new ExportCounts();
  const sink = new MemorySink();
  const stage = new RecordStage({ label: null, experiments: null, identical: null, offsets: new OffsetFilter(), sinceMs: -Infinity, untilMs: Infinity, ...opts }, counts, sink);
  return { counts, sink, stage };
}

const ev = (sessionId: string, ts: number, extra: Record<string, unknown> = {}): string => JSON.stringify({ sessionId, eventName: 'page_view', ts, ...extra });
const kafkaBatch = (partition: number, values: string[], first: number, stream: 'events' | 'prices' = 'events'): SourceBatch => ({
  stream,
  records: values.map((value, i) => ({ value, key: null, provenance: { topic: 't', partition, offset: first + i, timestamp: 1000 + i } })),
  kafka: { topic: 't', partition, nextOffset: first + values.length, highWatermark: first + values.length },
});
/** Events only: every record read is accepted, dead-lettered, a duplicate or outside the window. */
const accounted = (c: ExportCounts): number => c.accepted + c.deadLettered + c.duplicateTotal + c.outsideWindow;

describe('record stage', () => {
  it('dead-letters each bad fixture record with its exact reason and provenance', () => {
    const lines = readFileSync(`${ROOT}/fixtures/bad-records.jsonl`, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const expected = JSON.parse(readFileSync(`${ROOT}/fixtures/bad-records.reasons.json`, 'utf8')) as string[];
    const { counts, sink, stage } = setup();
    const records: RawRecord[] = lines.map((value, i) => ({ value, provenance: { topic: 'bad.jsonl', partition: null, offset: i, timestamp: null } }));
    stage.process({ stream: 'events', records }, '');
    expect(sink.dead.map((d) => d.line['reason'])).toEqual(expected);
    expect(sink.dead.map((d) => (d.line['provenance'] as { offset: number }).offset)).toEqual(lines.map((_, i) => i));
    expect(sink.dead.every((d) => typeof d.line['detail'] === 'string' && d.line['value'] !== undefined)).toBe(true);
    expect(counts.deadLettered).toBe(expected.length);
    expect(counts.read).toBe(lines.length);
    expect(sink.events.length).toBe(0);
  });

  it('drops re-delivered and already-exported offsets per partition, and counts them apart', () => {
    const filter = new OffsetFilter();
    filter.setExported('lane-1', new Set([12]));
    const { counts, sink, stage } = setup({ offsets: filter });
    stage.process(kafkaBatch(0, [ev('a', 1), ev('a', 2), ev('a', 3)], 0), 'lane-0');
    stage.process(kafkaBatch(0, [ev('a', 2), ev('a', 3), ev('a', 4)], 1), 'lane-0'); // re-delivery from offset 1
    stage.process(kafkaBatch(1, [ev('b', 1), ev('b', 2), ev('b', 3)], 10), 'lane-1');
    expect(counts.duplicates).toEqual({ redelivered: 2, already_exported: 1, identical: 0 });
    expect(sink.events.map(([, r]) => `${r.srcPartition}:${r.srcOffset}`)).toEqual(['0:0', '0:1', '0:2', '0:3', '1:10', '1:11']);
    expect(counts.read).toBe(9);
    expect(accounted(counts)).toBe(counts.read);
  });

  it('does not treat repeated file offsets (record index per file) as re-deliveries', () => {
    const { counts, stage } = setup();
    const file = (name: string): SourceBatch => ({ stream: 'events', records: [0, 1].map((i) => ({ value: ev(name, i), provenance: { topic: name, partition: null, offset: i, timestamp: null } })) });
    stage.process(file('a.jsonl'), '');
    stage.process(file('b.jsonl'), '');
    expect(counts.accepted).toBe(4);
    expect(counts.duplicateTotal).toBe(0);
  });

  it('--dedupe drops identical events whatever their provenance', () => {
    const { counts, stage } = setup({ identical: new IdenticalEvents() });
    stage.process(kafkaBatch(0, [ev('a', 1), ev('a', 1), ev('a', 1, { page: '/x' }), ev('b', 1)], 0), 'lane-0');
    stage.process(kafkaBatch(1, [ev('a', 1)], 0), 'lane-1');
    expect(counts.duplicates.identical).toBe(2);
    expect(counts.accepted).toBe(3);
  });

  it('joins experiment labels, counts unknown experiments, falls back to --label', () => {
    const experiments = new Map([['x-agent', true], ['x-human', false]]);
    const { counts, sink, stage } = setup({ experiments, label: false });
    const values = [ev('s1', 1, { experimentId: 'x-agent' }), ev('s2', 1, { experimentId: 'x-human' }), ev('s3', 1, { experimentId: 'x-missing' }), ev('s3', 2, { experimentId: 'x-missing' }), ev('s4', 1)];
    stage.process({ stream: 'events', records: values.map((value, i) => ({ value, provenance: { topic: 'f', partition: null, offset: i, timestamp: null } })) }, '');
    expect(sink.events.map(([, r]) => r.isAgent)).toEqual([true, false, false, false, false]);
    expect(counts.unknownExperimentEvents).toBe(3);
    expect(counts.unknownExperimentSessions.size).toBe(2);
    const noLabel = setup({ experiments });
    noLabel.stage.process({ stream: 'events', records: [{ value: ev('s3', 1, { experimentId: 'x-missing' }), provenance: { topic: 'f', partition: null, offset: 0, timestamp: null } }] }, '');
    expect(noLabel.sink.events[0]![1].isAgent).toBeNull();
  });

  it('applies the half-open time window, keeps and counts unknown event names, counts broker timestamps', () => {
    const { counts, sink, stage } = setup({ sinceMs: 10, untilMs: 20 });
    const values = [ev('a', 9), ev('a', 10), ev('a', 19), ev('a', 20), JSON.stringify({ sessionId: 'a', eventName: 'teleport', ts: 15 }), JSON.stringify({ sessionId: 'a', eventName: 'page_view' })];
    stage.process({ stream: 'events', records: values.map((value, i) => ({ value, provenance: { topic: 'f', partition: null, offset: i, timestamp: i === 5 ? 12 : null } })) }, '');
    expect(counts.outsideWindow).toBe(2);
    expect(sink.events.map(([, r]) => r.ts)).toEqual([10, 19, 15, 12]);
    expect(counts.unknownEvents).toBe(1);
    expect(Object.fromEntries(counts.unknownByName)).toEqual({ teleport: 1 });
    expect(counts.tsFromBroker).toBe(1);
  });

  it('validates price logs with precise reasons', () => {
    const { counts, sink, stage } = setup();
    const values = [
      JSON.stringify({ productId: 'p1', price: 99.5, sessionId: 's', experimentId: null, storeMode: 'hotel', ts: '2025-01-06T10:00:00Z' }),
      JSON.stringify({ price: 1, sessionId: 's', ts: 1 }),
      JSON.stringify({ productId: 'p', price: '12', sessionId: 's', ts: 1 }),
      JSON.stringify({ productId: 'p', sessionId: 's', ts: 1 }),
      JSON.stringify({ productId: 'p', price: 1, ts: 1 }),
      JSON.stringify({ productId: 'p', price: 1, sessionId: 's', ts: 'soon' }),
      JSON.stringify({ productId: 'p', price: 1, sessionId: 's', storeMode: 3, ts: 1 }),
      '{oops',
      JSON.stringify({ productId: 'p', price: 2, sessionId: 's' }),
    ];
    stage.process(kafkaBatch(0, values, 0, 'prices'), 'lane-0');
    expect(sink.dead.map((d) => d.line['reason'])).toEqual(['missing_product_id', 'wrong_type:price', 'missing_price', 'missing_session_id', 'bad_timestamp', 'wrong_type:storeMode', 'invalid_json']);
    expect(sink.prices).toEqual([
      { productId: 'p1', price: 99.5, sessionId: 's', experimentId: null, storeMode: 'hotel', ts: Date.parse('2025-01-06T10:00:00Z') },
      { productId: 'p', price: 2, sessionId: 's', experimentId: null, storeMode: null, ts: 1008 },
    ]);
    expect(counts.priceRead).toBe(values.length);
    expect(counts.tsFromBroker).toBe(1);
  });

  it('takes back what a lane consumed since the last roll', () => {
    const { counts, stage } = setup();
    stage.process(kafkaBatch(0, [ev('a', 1), '{bad', ev('a', 2)], 0), 'lane-0');
    stage.process(kafkaBatch(1, [ev('b', 1)], 0), 'lane-1');
    counts.withdraw(stage.takeTally('lane-0'), 2);
    expect(counts.read).toBe(1);
    expect(counts.deadLettered).toBe(0);
    expect(counts.byReason.size).toBe(0);
    expect(counts.withdrawn).toBe(3);
    expect(counts.accepted).toBe(1);
  });
});
