// The --since probe logic without a broker: the trusted path (a real broker's time index) that the mock
// cannot exercise, the fallback, and the pure helpers around it.
import { describe, expect, it } from 'vitest';
import { OffsetLedger, sinceProbeVerdict, tpKey } from '../../src/sources/kafka-offsets.js';
import { takeRecords } from '../../src/sources/kafka-records.js';
import { SinceProbes } from '../../src/sources/kafka-since.js';

const msgs = (from: number, tsOf: (o: number) => number, n = 5) =>
  Array.from({ length: n }, (_, i) => ({
    offset: String(from + i),
    timestamp: String(tsOf(from + i)),
    key: Buffer.from(`k${from + i}`),
    value: Buffer.from(`{"o":${from + i}}`),
  }));

function probes(lookups: Record<string, number>, since = 1000) {
  const seeks: string[] = [];
  const warnings: string[] = [];
  const map = new Map(Object.entries(lookups).map(([k, v]) => [tpKey('t', Number(k)), v]));
  const p = new SinceProbes(since, map, (tp, o) => seeks.push(`${tp.partition}@${o}`), (m) => warnings.push(m));
  return { p, seeks, warnings };
}

describe('SinceProbes', () => {
  it('trusts a lookup whose preceding record is older than since', () => {
    const { p, seeks, warnings } = probes({ 0: 50 });
    expect(p.admit('t', 0, msgs(0, () => 10))).toBe(false); // natural start 0: seek to the probe
    expect(seeks).toEqual(['0@49']);
    expect(p.admit('t', 0, msgs(49, (o) => (o < 50 ? 999 : 1000)))).toBe(true);
    expect(p.isReading('t', 0)).toBe(true);
    expect(warnings).toEqual([]);
    expect(p.fellBack).toBe(false);
  });

  it('falls back to the natural start, once, when the record before the answer is not older', () => {
    const { p, seeks, warnings } = probes({ 0: 50, 1: 70 });
    expect(p.admit('t', 0, msgs(3, () => 5))).toBe(false);
    expect(p.admit('t', 1, msgs(0, () => 5))).toBe(false); // partition 1 probing too
    expect(p.admit('t', 0, msgs(49, () => 1000))).toBe(false); // wrong: go back to 3
    expect(p.admit('t', 1, msgs(69, () => 2000))).toBe(false); // index already unusable: back to 0
    expect(seeks).toEqual(['0@49', '1@69', '0@3', '1@0']);
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/t\[0\] offset 50/);
    expect(p.admit('t', 0, msgs(3, () => 5))).toBe(true);
    expect(p.admit('t', 2, msgs(0, () => 5))).toBe(true); // fresh partitions no longer probe
  });

  it('needs no seek when the natural start is at or past the probe, and resets per generation', () => {
    const { p, seeks } = probes({ 0: 10 });
    expect(p.admit('t', 0, msgs(12, () => 5))).toBe(true);
    p.reset('t', 0);
    expect(p.isReading('t', 0)).toBe(false);
    expect(p.admit('t', 0, msgs(9, () => 5))).toBe(true); // starts exactly at the probe: verified in place
    expect(seeks).toEqual([]);
  });

  it('verdicts', () => {
    expect(sinceProbeVerdict([{ offset: 9, timestamp: 5 }], 10, 100)).toBe('ok');
    expect(sinceProbeVerdict([{ offset: 9, timestamp: 100 }], 10, 100)).toBe('wrong');
    expect(sinceProbeVerdict([{ offset: 10, timestamp: 100 }], 10, 100)).toBe('unverifiable');
  });
});

describe('takeRecords', () => {
  it('applies the half-open window, the end offset and the limit', () => {
    const m = msgs(0, (o) => 100 + o * 10, 10); // ts 100..190
    const all = takeRecords('t', 2, m, 0, { endOffset: null, remaining: Infinity });
    expect(all.records.length).toBe(10);
    expect(all.records[3]).toEqual({ value: '{"o":3}', key: 'k3', provenance: { topic: 't', partition: 2, offset: 3, timestamp: 130 } });
    expect(all.next).toBe(10);
    expect(all.ended).toBe(false);

    const win = takeRecords('t', 2, m, 0, { sinceMs: 120, untilMs: 160, endOffset: null, remaining: Infinity });
    expect(win.records.map((r) => r.provenance.offset)).toEqual([2, 3, 4, 5]);
    expect(win.next).toBe(6); // the record at until is not consumed: a later run reads it
    expect(win.lastConsumed).toBe('5');
    expect(win.ended).toBe(true);

    const end = takeRecords('t', 2, m, 0, { endOffset: 4, remaining: Infinity });
    expect([end.next, end.ended, end.records.length]).toEqual([4, true, 4]);

    const lim = takeRecords('t', 2, m, 0, { sinceMs: 150, endOffset: null, remaining: 2 });
    expect(lim.records.map((r) => r.provenance.offset)).toEqual([5, 6]);
    expect([lim.next, lim.limitHit]).toEqual([7, true]);

    const none = takeRecords('t', 2, m, 7, { untilMs: 50, endOffset: null, remaining: Infinity });
    expect([none.next, none.lastConsumed, none.ended]).toEqual([7, null, true]);
  });

  it('keeps null keys and tombstones as null', () => {
    const r = takeRecords('t', 0, [{ offset: '0', timestamp: '1', key: null, value: null }], 0, { endOffset: null, remaining: Infinity });
    expect(r.records[0]!.key).toBeNull();
    expect(r.records[0]!.value).toBeNull();
  });
});

describe('OffsetLedger', () => {
  it('keeps the furthest position per partition and empties on drain', () => {
    const l = new OffsetLedger();
    l.note({ topic: 'b', partition: 1, nextOffset: 5 });
    l.note({ topic: 'a', partition: 2, nextOffset: 9 });
    l.note({ topic: 'b', partition: 1, nextOffset: 3 });
    l.note({ topic: 'a', partition: 0, nextOffset: 1 });
    expect(l.drain()).toEqual([
      { topic: 'a', partition: 0, offset: 1 },
      { topic: 'a', partition: 2, offset: 9 },
      { topic: 'b', partition: 1, offset: 5 },
    ]);
    expect(l.size).toBe(0);
    expect(l.drain()).toEqual([]);
  });
});
