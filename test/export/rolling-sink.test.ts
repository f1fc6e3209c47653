// Directory output: part files per (table, folder), offset ranges in footers, lanes given up on a
// rebalance, and crash recovery reading back which offsets past the committed ones are already written.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalise, type EventRow } from '../../src/events/normalise.js';
import { readParquet } from '../../src/io/parquet.js';
import { ExportedOffsets } from '../../src/export/exported-offsets.js';
import { runId } from '../../src/export/layout.js';
import { RollingSink } from '../../src/export/rolling-sink.js';
import { SRC_RANGES_KEY } from '../../src/export/src-ranges.js';
import type { SinkOptions } from '../../src/export/types.js';
import { tpKey } from '../../src/sources/kafka-offsets.js';
import { readRows } from './helpers.js';

const DAY = 86_400_000;
const BASE = Date.parse('2025-01-06T00:00:00Z');

function row(partition: number, offset: number, ts: number): EventRow {
  const r = normalise({ value: JSON.stringify({ sessionId: `s${partition}`, eventName: 'page_view', ts }), provenance: { topic: 't', partition, offset, timestamp: ts } });
  if (!r.ok) throw new Error(r.reason);
  return r.row;
}

function sink(dir: string, partitionBy: SinkOptions['partitionBy'] = 'none'): RollingSink {
  const opts: SinkOptions = { out: dir, partitionBy, compression: 'zstd', rowGroupSize: 1000, flushRecords: 100, flushIntervalMs: null };
  return new RollingSink(dir, 'run1', opts, join(dir, 'dead-letter.jsonl'), () => 0);
}

describe('rolling sink', () => {
  it('writes one file per folder with offset ranges in the footer; dead letters first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-roll-'));
    const s = sink(dir, 'date');
    for (let o = 0; o < 6; o++) s.event(tpKey('t', 0), row(0, o, BASE + (o % 2) * DAY));
    for (let o = 40; o < 43; o++) s.event(tpKey('t', 1), row(1, o, BASE));
    s.deadLetter(tpKey('t', 1), '{"reason":"invalid_json"}\n');
    expect(s.pending).toBe(10);
    const r = await s.roll();
    expect(r.files.map((f) => relative(dir, f))).toEqual(['events/date=2025-01-06/part-run1-00001.parquet', 'events/date=2025-01-07/part-run1-00002.parquet']);
    expect(r.eventRows).toBe(9);
    expect(s.pending).toBe(0);
    const meta = Object.fromEntries((await readParquet(r.files[0]!)).schema.metadata);
    expect(JSON.parse(meta[SRC_RANGES_KEY]!)).toEqual([['t', 0, 0, 4], ['t', 1, 40, 42]]);
    expect(readFileSync(join(dir, 'dead-letter.jsonl'), 'utf8')).toBe('{"reason":"invalid_json"}\n');
    expect((await readRows(dir)).length).toBe(9);
    expect((await s.roll()).files).toEqual([]); // nothing held: nothing written
  });

  it('gives up exactly the rows and dead letters of dropped lanes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-roll-'));
    const s = sink(dir, 'src_partition');
    for (let o = 0; o < 5; o++) s.event(tpKey('t', 0), row(0, o, BASE));
    for (let o = 0; o < 3; o++) s.event(tpKey('t', 2), row(2, o, BASE));
    s.deadLetter(tpKey('t', 2), '{"reason":"x"}\n');
    expect(s.dropLanes([tpKey('t', 2)])).toBe(3);
    expect(s.pending).toBe(5);
    const r = await s.roll();
    expect(r.files.map((f) => relative(dir, f))).toEqual(['events/src_partition=0/part-run1-00001.parquet']);
    expect(s.deadLetterFile()).toBeNull();
  });

  it('finds offsets already written past the committed offsets, for the partitions asked about', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-roll-'));
    const s = sink(dir);
    for (let o = 0; o < 10; o++) s.event(tpKey('t', 0), row(0, o, BASE));
    await s.roll();
    for (let o = 10; o < 15; o++) s.event(tpKey('t', 0), row(0, o, BASE));
    for (let o = 0; o < 4; o++) s.event(tpKey('t', 1), row(1, o, BASE));
    await s.roll();
    const found = await new ExportedOffsets(dir).beyond(new Set([tpKey('t', 0), tpKey('t', 1)]), new Map([[tpKey('t', 0), 12]]));
    expect([...found.get(tpKey('t', 0))!].sort((a, b) => a - b)).toEqual([12, 13, 14]);
    expect([...found.get(tpKey('t', 1))!].sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
    const onlyOne = await new ExportedOffsets(dir).beyond(new Set([tpKey('t', 1)]), new Map([[tpKey('t', 1), 4]]));
    expect(onlyOne.size).toBe(0);
  });

  it('names runs by UTC start, host and pid', () => {
    expect(runId(Date.parse('2025-03-04T05:06:07.890Z'), 'worker-7.local', 42)).toBe('20250304T050607Z-worker7local-42');
  });
});
