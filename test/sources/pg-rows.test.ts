/**
 * The Postgres source's fast path (src/sources/pg-rows.ts) against normalise(), its oracle: for every kind
 * of array-mode row the source's SELECT can produce (values as pg's parsers deliver them: text, float8 or
 * text times, jsonb/json parsed, text metadata, booleans, int8 ids), a row the fast path accepts must be
 * exactly the row normalise() gives, and a row it does not take must be left to normalise() whole.
 */
import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/events/normalise.js';
import { acceptedRow, flatEvent, pgRowsToRecords, type PgRow } from '../../src/sources/pg-rows.js';

const T = 1735689600000; // 2025-01-01T00:00:00Z
const nest = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};
const row = (over: Partial<Record<number, unknown>>): PgRow => {
  const r: PgRow = ['s1', null, 'page_view', T, null, null, null, null, null, null];
  for (const [k, v] of Object.entries(over)) r[Number(k)] = v;
  return r;
};

// [what, row, does the fast path take it?]
const CASES: [string, PgRow, boolean][] = [
  ['plain row, all nulls', row({}), true],
  ['every text column', row({ 1: '2b3c3a27-170f-45b1-8365-36f5b72ba285', 4: '/hotel', 5: 'p-1', 6: 'hotel', 7: 'Mozilla/5.0' }), true],
  ['blank user agent becomes null', row({ 7: '   ' }), true],
  ['user agent with spaces kept as is', row({ 7: ' ua ' }), true],
  ['is_agent true / false', row({ 9: true }), true],
  ['is_agent false', row({ 9: false }), true],
  ['fractional epoch ms truncated', row({ 3: 1735689600000.9 }), true],
  ['negative fractional ms', row({ 3: -0.5 }), true],
  ['ts as ISO text', row({ 3: '2025-01-01 10:00:00+02' }), true],
  ['ts as digits text', row({ 3: '1735689600000.7' }), true],
  ['jsonb price and dwell', row({ 8: { price: 1.5, dwellTime: 3 } }), true],
  ['jsonb fallbacks base_price / duration_ms', row({ 8: { price: null, base_price: 7, duration_ms: 12.25, dwellTime: '9' } }), true],
  ['jsonb integer-like keys (reordered by V8) and nesting', row({ 8: JSON.parse('{"a":{"b":[1,{"c":null}]},"10":1,"2":2}') }), true],
  ['jsonb infinite price is null', row({ 8: { price: Infinity, dwellTime: -0 } }), true],
  ['empty jsonb object', row({ 8: {} }), true],
  ['metadata 32 levels deep', row({ 8: nest(32) }), true],
  ['metadata of multi-byte text under 64 KiB', row({ 8: { big: 'é'.repeat(30_000) } }), true],
  ['blank text metadata', row({ 8: '  ' }), true],
  ['empty text metadata', row({ 8: '' }), true],
  ['int8 id as offset', [...row({}), 42], true],
  ['metadata 33 levels deep', row({ 8: nest(33) }), false],
  ['metadata over 64 KiB', row({ 8: { big: 'x'.repeat(70_000) } }), false],
  ['metadata array', row({ 8: [1, 2] }), false],
  ['metadata scalar', row({ 8: 5 }), false],
  ['metadata string scalar from jsonb', row({ 8: 'str' }), false],
  ['text metadata (JSON)', row({ 8: '{"price": 3}' }), false],
  ['text metadata (not JSON)', row({ 8: 'not json' }), false],
  ['missing session', row({ 0: null }), false],
  ['empty session', row({ 0: '' }), false],
  ['missing event name', row({ 2: null }), false],
  ['empty event name', row({ 2: '' }), false],
  ['null ts', row({ 3: null }), false],
  ['NaN ts', row({ 3: NaN }), false],
  ['infinite ts', row({ 3: Infinity }), false],
  ['ts beyond 10,000 years', row({ 3: 1e20 }), false],
  ['unparseable ts text', row({ 3: 'garbage' }), false],
  ['non-boolean is_agent', row({ 9: 2 }), false],
  ['numeric text column', row({ 4: 5 }), false],
];

describe('pgRowsToRecords (Postgres fast path)', () => {
  for (const [what, r, taken] of CASES) {
    it(`${what}: ${taken ? 'same row as normalise()' : 'left to normalise()'}`, () => {
      const hasId = r.length > 10;
      const [rec] = pgRowsToRecords([r], 'events', hasId, 7);
      expect(rec!.value).toEqual(flatEvent(r));
      expect(rec!.provenance).toEqual({ topic: 'events', partition: null, offset: hasId ? r[10] : 7, timestamp: null });
      for (const label of [null, true, false]) {
        const oracle = normalise({ value: flatEvent(r), provenance: rec!.provenance }, { label });
        if (!taken) {
          expect(rec!.parsed).toBeUndefined();
          expect(acceptedRow(r, 'events', 7)).toBeNull();
          continue;
        }
        expect(oracle.ok).toBe(true);
        // the record stage gives a row without its own label the --label one, as normalise() does
        const fast = { ...(rec!.parsed as { row: object }).row } as { isAgent: boolean | null };
        if (fast.isAgent === null) fast.isAgent = label;
        expect(fast).toStrictEqual((oracle as { row: object }).row);
        expect(rec!.parsed).toMatchObject({ ok: true, tsFromBroker: false });
        expect(Object.is((rec!.parsed as { row: { ts: number } }).row.ts, (oracle as { row: { ts: number } }).row.ts)).toBe(true);
      }
    });
  }

  it('rows without an id are numbered from the batch start', () => {
    const recs = pgRowsToRecords([row({}), row({ 0: null }), row({})], 't', false, 100);
    expect(recs.map((r) => r.provenance.offset)).toEqual([100, 101, 102]);
    expect(recs.map((r) => r.parsed?.ok ?? 'normalise')).toEqual([true, 'normalise', true]);
    expect((recs[2]!.parsed as { row: { srcOffset: number } }).row.srcOffset).toBe(102);
  });
});
