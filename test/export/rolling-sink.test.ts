// Directory output: part files per (table, folder), offset ranges in footers, lanes given up on a
// rebalance, crash recovery reading back which offsets past the committed ones are already written, and
// the staging area that makes a roll's publication and its offset commit one event.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalise, type EventRow } from '../../src/events/normalise.js';
import { readParquet } from '../../src/io/parquet.js';
import { ExportedOffsets } from '../../src/export/exported-offsets.js';
import { runId } from '../../src/export/layout.js';
import { RollingSink } from '../../src/export/rolling-sink.js';
import type { RollResult } from '../../src/export/sink.js';
import { hostTag, rollId, Staging } from '../../src/export/staging.js';
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

/** A rolling sink whose rolls are published as soon as they are staged (no group to commit to). */
function sink(dir: string, partitionBy: SinkOptions['partitionBy'] = 'none'): RollingSink & { roll(): Promise<RollResult> } {
  const opts: SinkOptions = { out: dir, partitionBy, compression: 'zstd', rowGroupSize: 1000, flushRecords: 100, flushIntervalMs: null };
  const staging = new Staging(dir);
  const s = new RollingSink(dir, 'run1', opts, join(dir, 'dead-letters'), () => 0, staging, null);
  const stage = s.roll.bind(s);
  s.roll = async (lanes) => {
    const r = await stage(lanes);
    if (r.staged !== undefined) {
      expect(await staging.publish(r.staged.id)).toEqual(r.files);
      s.published(r.deadLines);
    }
    return r;
  };
  return s;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
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
    expect(r.deadLetterFile).toBe(join(dir, 'dead-letters', `${rollId('run1', 1)}.jsonl`)); // the roll's own dead-letter file
    expect(readFileSync(r.deadLetterFile!, 'utf8')).toBe('{"reason":"invalid_json"}\n');
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

  it('stages a roll out of sight: nothing under a final name until it is published', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-roll-'));
    const staging = new Staging(dir);
    const opts: SinkOptions = { out: dir, partitionBy: 'none', compression: 'zstd', rowGroupSize: 1000, flushRecords: 100, flushIntervalMs: null };
    const s = new RollingSink(dir, 'run1', opts, join(dir, 'dead-letters'), () => 0, staging, 'g');
    for (let o = 0; o < 4; o++) s.event(tpKey('t', 0), row(0, o, BASE));
    s.deadLetter(tpKey('t', 0), '{"reason":"x"}\n');
    const r = await s.roll([{ topic: 't', partition: 0 }]);
    expect(r.staged?.id).toBe(rollId('run1', 1));
    expect(r.staged?.laneRows.get(tpKey('t', 0))).toBe(4);
    expect(await readRows(dir)).toEqual([]); // readers skip the hidden staging folder
    expect(existsSync(join(dir, 'dead-letters'))).toBe(false);
    expect(readdirSync(staging.root)).toEqual([r.staged!.id]);
    expect(await staging.publish(r.staged!.id)).toEqual(r.files);
    expect((await readRows(dir)).length).toBe(4);
    expect(readFileSync(join(dir, 'dead-letters', `${r.staged!.id}.jsonl`), 'utf8')).toBe('{"reason":"x"}\n');
    expect(readdirSync(staging.root)).toEqual([]);
    // a second publish (another process that saw the same commit) and a late discard find nothing
    expect(await staging.publish(r.staged!.id)).toBeNull();
    expect(await staging.discard(r.staged!.id)).toBe(false);
    expect((await readRows(dir)).length).toBe(4);
  });

  it('a discarded roll leaves nothing behind, and cannot be published afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-roll-'));
    const staging = new Staging(dir);
    const s = sink(dir);
    const stage = RollingSink.prototype.roll.bind(s);
    s.event(tpKey('t', 0), row(0, 0, BASE));
    const r = await stage([{ topic: 't', partition: 0 }]);
    expect(await staging.discard(r.staged!.id)).toBe(true);
    expect(await staging.publish(r.staged!.id)).toBeNull();
    expect(await readRows(dir)).toEqual([]);
    expect(readdirSync(staging.root)).toEqual([]);
  });

  it('sweeps rolls of dead processes: publishes those the group committed, discards the others, leaves live ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-roll-'));
    const staging = new Staging(dir);
    const dead = deadPid();
    const run = `20250101T000000Z-${hostTag()}-${dead}`;
    const opts: SinkOptions = { out: dir, partitionBy: 'none', compression: 'zstd', rowGroupSize: 1000, flushRecords: 100, flushIntervalMs: null };
    const crashed = new RollingSink(dir, run, opts, join(dir, 'dead-letters'), () => 0, staging, 'g');
    for (let o = 0; o < 3; o++) crashed.event(tpKey('t', 0), row(0, o, BASE));
    const committed = await crashed.roll([{ topic: 't', partition: 0 }]);
    for (let o = 0; o < 2; o++) crashed.event(tpKey('t', 1), row(1, o, BASE));
    const uncommitted = await crashed.roll([{ topic: 't', partition: 1 }]);
    // the manifests say who wrote them: rewrite the pid as the dead process's (this process staged them)
    for (const id of [committed.staged!.id, uncommitted.staged!.id]) {
      const path = join(staging.root, id, 'manifest.json');
      writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), pid: dead }));
    }
    // a live process's roll (this one) and a half-written roll of a dead one (no manifest)
    const live = new RollingSink(dir, `20250101T000000Z-${hostTag()}-${process.pid}`, opts, join(dir, 'dead-letters'), () => 0, staging, 'g');
    live.event(tpKey('t', 2), row(2, 0, BASE));
    const liveRoll = await live.roll([{ topic: 't', partition: 2 }]);
    mkdirSync(join(staging.root, rollId(run, 9)));
    // a publisher that died while removing a published roll's folder (manifest already gone)
    mkdirSync(join(staging.root, `${rollId(run, 8)}.publish-${hostTag()}-${dead}`));
    const swept = await staging.sweep(async (m) => m.id === committed.staged!.id);
    expect(swept.published).toEqual([committed.staged!.id]);
    expect(swept.files).toEqual(committed.files);
    expect(swept.discarded.sort()).toEqual([uncommitted.staged!.id, rollId(run, 9)].sort());
    expect((await readRows(dir)).map((r) => r.srcOffset)).toEqual([0, 1, 2]);
    expect(readdirSync(staging.root)).toEqual([liveRoll.staged!.id]);
    // recovery by the next owner of a partition: the committed metadata names the roll
    expect(await staging.recoverNamed(['not-a-roll', liveRoll.staged!.id])).toEqual({ rolls: 1, files: liveRoll.files });
    expect((await readRows(dir)).length).toBe(4);
  });

  it('names runs by UTC start, host and pid', () => {
    expect(runId(Date.parse('2025-03-04T05:06:07.890Z'), 'worker-7.local', 42)).toBe('20250304T050607Z-worker7local-42');
  });
});
