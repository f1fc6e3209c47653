import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/events/normalise.js';
import { rawEventSchema } from '../../src/events/schema.js';
import { CATEGORY_WEIGHTS, categoryOf, isUnknownEvent, KNOWN_EVENTS } from '../../src/events/vocabulary.js';
import { parseIsoMs, parseTimestampMs } from '../../src/io/timestamp.js';
import { readFiles } from '../../src/sources/files.js';
import type { RawRecord } from '../../src/sources/types.js';

const prov = { topic: 't', partition: 0, offset: 0, timestamp: null };

async function records(path: string): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const b of readFiles([path])) out.push(...b);
  return out;
}

describe('normalise', () => {
  it('gives the same row for the flat and the console-envelope form of every fixture record', async () => {
    const flat = await records('fixtures/events.jsonl');
    const env = await records('fixtures/events-console.json');
    expect(flat.length).toBe(3471);
    expect(env.length).toBe(flat.length);
    for (let i = 0; i < flat.length; i++) {
      const a = normalise(flat[i]!);
      const b = normalise(env[i]!);
      if (!a.ok || !b.ok) throw new Error(`record ${i} rejected`);
      const strip = (r: typeof a.row) => ({ ...r, srcTopic: null, srcPartition: null, srcOffset: null, srcTs: null, originPartition: null, originOffset: null });
      expect(strip(b.row)).toEqual(strip(a.row));
      // provenance is the transport's (here the file and record index); the envelope's own coordinates
      // are kept apart as origin_*, and its timestamp stands in for the missing broker time
      expect(b.row.srcTopic).toBe(a.row.srcTopic!.replace('events.jsonl', 'events-console.json'));
      expect(b.row.srcOffset).toBe(i);
      expect(b.row.srcPartition).toBeNull();
      expect(b.row.originPartition).toBeGreaterThanOrEqual(0);
      expect(b.row.originOffset).toBeGreaterThanOrEqual(0);
      expect(b.row.srcTs).toBe(a.row.ts);
    }
  });

  it('rejects every bad fixture record with its expected reason', async () => {
    const bad = await records('fixtures/bad-records.jsonl');
    const expected = JSON.parse(readFileSync('fixtures/bad-records.reasons.json', 'utf8')) as string[];
    expect(bad.length).toBe(expected.length);
    const got = bad.map((r) => {
      const res = normalise(r);
      return res.ok ? 'accepted' : res.reason;
    });
    expect(got).toEqual(expected);
  });

  it('agrees with the zod schema on what is a valid flat event', () => {
    const cases: unknown[] = [
      { sessionId: 's', eventName: 'page_view', ts: 1 },
      { sessionId: 's', eventName: 'page_view', ts: '2025-01-01T00:00:00Z', metadata: { price: 3 } },
      { sessionId: '', eventName: 'page_view', ts: 1 },
      { sessionId: 's', eventName: 'page_view', ts: 1, page: 3 },
      { sessionId: 's', eventName: 'page_view', ts: 1, metadata: [1] },
      { sessionId: 's', eventName: 'x', ts: 1, userAgent: null, productId: null },
    ];
    for (const c of cases) {
      expect(normalise({ value: c, provenance: prov }).ok).toBe(rawEventSchema.safeParse(c).success);
    }
  });

  it('keeps unknown event names, takes price and dwell from metadata, blanks user agents', () => {
    const r = normalise({ value: { sessionId: 's', eventName: 'teleport', ts: 5.9, userAgent: '  ', metadata: { price: 'n/a', base_price: 120, duration_ms: 1250 } }, provenance: prov });
    expect(r.ok && r.row).toMatchObject({ eventName: 'teleport', ts: 5, price: 120, dwellMs: 1250, userAgent: null });
    expect(isUnknownEvent('teleport')).toBe(true);
  });

  it('falls back to the broker timestamp when ts is absent and says so', () => {
    const r = normalise({ value: '{"sessionId":"s","eventName":"page_view"}', provenance: { ...prov, timestamp: 1736157600000 } });
    expect(r.ok && r.tsFromBroker).toBe(true);
    expect(r.ok && r.row.ts).toBe(1736157600000);
  });

  it('takes src_* from the transport only; an envelope claiming other coordinates keeps them as origin_*', () => {
    const value = JSON.stringify({ topic: 'elsewhere', partitionID: 7, offset: 123456, timestamp: 1736157600000, value: { payload: { sessionId: 's', eventName: 'page_view', ts: 1 } } });
    const r = normalise({ value, provenance: { topic: 'real', partition: 2, offset: 41, timestamp: 1736157609999 } });
    expect(r.ok && r.row).toMatchObject({ srcTopic: 'real', srcPartition: 2, srcOffset: 41, srcTs: 1736157609999, originPartition: 7, originOffset: 123456 });
  });

  it('dead-letters poison records with a reason instead of throwing', () => {
    const deep = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const ev = (extra: string): string => `{"sessionId":"s","eventName":"page_view","ts":1${extra}}`;
    const reason = (value: unknown): string => {
      const r = normalise({ value, provenance: prov });
      return r.ok ? 'accepted' : r.reason;
    };
    expect(reason(ev(`,"metadata":${deep(5000)}`))).toBe('too_deep');
    expect(reason(ev(`,"metadata":${JSON.stringify(deep(5000))}`))).toBe('too_deep'); // metadata as JSON text
    expect(reason({ sessionId: 's', eventName: 'page_view', ts: 1, metadata: JSON.parse(deep(5000)) })).toBe('too_deep'); // parsed (Postgres jsonb)
    expect(reason(ev(`,"metadata":${deep(30)}`))).toBe('accepted');
    expect(reason(ev(`,"metadata":{"pad":"${'x'.repeat(70_000)}"}`))).toBe('too_large');
    expect(reason(`{"pad":"${'x'.repeat(1_100_000)}"}`)).toBe('too_large');
    expect(reason(ev(',"metadata":"not json at all"'))).toBe('wrong_type:metadata'); // rejected, never dropped
    expect(reason(ev(',"metadata":42'))).toBe('wrong_type:metadata');
    expect(reason(ev(',"metadata":"[1,2]"'))).toBe('wrong_type:metadata');
    expect(reason(ev(',"metadata":"{\\"k\\":1}"'))).toBe('accepted');
    expect(reason('{"sessionId":"s","eventName":"page_view","ts":-1e20}')).toBe('bad_timestamp');
    expect(reason('{"sessionId":"s","eventName":"page_view","ts":"99999999999999999"}')).toBe('bad_timestamp');
    expect(reason('{"sessionId":"s","eventName":"page_view","ts":315569520000000}')).toBe('accepted'); // +10,000 years exactly
    expect(reason('{"sessionId":"s","eventName":"page_view","ts":315569520000001}')).toBe('bad_timestamp');
    expect(reason(`\uFEFF${ev('')}`)).toBe('invalid_json');
    expect(normalise({ value: `\uFEFF${ev('')}`, provenance: prov })).toMatchObject({ detail: expect.stringMatching(/byte-order mark/) });
    expect(reason(Buffer.from([0xff, 0xfe, 0x00, 0x7b]))).toBe('invalid_utf8');
  });

  it('applies --label unless the record carries is_agent', () => {
    const a = normalise({ value: { sessionId: 's', eventName: 'page_view', ts: 1 }, provenance: prov }, { label: true });
    const b = normalise({ value: { sessionId: 's', eventName: 'page_view', ts: 1, is_agent: false }, provenance: prov }, { label: true });
    expect(a.ok && a.row.isAgent).toBe(true);
    expect(b.ok && b.row.isAgent).toBe(false);
  });
});

describe('timestamps', () => {
  it('parses ISO-8601 with zones and floors sub-millisecond digits', () => {
    expect(parseIsoMs('2025-01-06T10:00:00Z')).toBe(Date.UTC(2025, 0, 6, 10));
    expect(parseIsoMs('2025-01-06T12:00:00+02:00')).toBe(Date.UTC(2025, 0, 6, 10));
    expect(parseIsoMs('2025-01-06T05:30:00-0430')).toBe(Date.UTC(2025, 0, 6, 10));
    expect(parseIsoMs('2025-01-06T10:00:00.123987Z')).toBe(Date.UTC(2025, 0, 6, 10, 0, 0, 123));
    expect(parseIsoMs('2025-01-06 10:00:00')).toBe(Date.UTC(2025, 0, 6, 10));
    expect(parseIsoMs('2025-02-30T00:00:00Z')).toBeNaN();
    expect(parseTimestampMs(1736157600000.9)).toBe(1736157600000);
    expect(parseTimestampMs('1736157600000')).toBe(1736157600000);
    expect(parseTimestampMs('soon')).toBeNaN();
  });
});

describe('vocabulary', () => {
  it('maps every named event to its category and any hover_over_* to dwell', () => {
    expect(KNOWN_EVENTS).toHaveLength(18); // 17 of docs/contract.md §2 + `request` (access logs, weight 0)
    expect(categoryOf('checkout_start')).toBe('cart');
    expect(categoryOf('sort_change')).toBe('filter');
    expect(categoryOf('hover_over_image')).toBe('dwell');
    expect(categoryOf('session_start')).toBe('session');
    expect(categoryOf('nope')).toBe('unknown');
    expect(categoryOf('request')).toBe('request');
    expect(CATEGORY_WEIGHTS.request).toBe(0);
  });
});
