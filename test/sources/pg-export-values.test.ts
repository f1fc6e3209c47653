/**
 * What the export asks of the Postgres source (docs/perf/pg1m.md): `pgRowsToRecords(…, false)` leaves an
 * accepted record's value null and changes nothing else — the same parsed rows and provenance as the
 * default, and a rejected row keeps its flat event (the dead letter's value) — and pg-module.ts loads pg
 * without leaving a `navigator` behind.
 */
import { describe, expect, it } from 'vitest';
import pg from '../../src/sources/pg-module.js';
import { flatEvent, pgRowsToRecords, type PgRow } from '../../src/sources/pg-rows.js';

const T = 1735689600000;
const rows: PgRow[] = [
  ['s1', null, 'page_view', T, '/p', 'p-1', 'hotel', 'Mozilla/5.0', { price: 3, elementText: 'x' }, null, 7],
  ['', null, 'page_view', T, null, null, null, null, null, null, 8], // empty session id: rejected
  ['s2', 'e', 'search', '2025-01-01 10:00:00+02', null, null, null, null, null, true, 9],
];

describe('pgRowsToRecords without accepted values', () => {
  it('gives the default records except for the accepted rows’ value', () => {
    const kept = pgRowsToRecords(rows, 'events', true, 0);
    const lean = pgRowsToRecords(rows, 'events', true, 0, false);
    expect(lean.map((r) => r.value)).toEqual([null, flatEvent(rows[1]!), null]);
    expect(lean.map((r) => [r.parsed, r.provenance])).toEqual(kept.map((r) => [r.parsed, r.provenance]));
    expect(kept.map((r) => r.value)).toEqual(rows.map(flatEvent));
    expect(lean.map((r) => r.parsed?.ok)).toEqual([true, undefined, true]);
  });
});

describe('pg-module', () => {
  it('is pg, and leaves no navigator of its own behind', () => {
    expect(typeof pg.Client).toBe('function');
    expect(Number(process.versions.node.split('.')[0]) >= 21 || typeof (globalThis as { navigator?: unknown }).navigator === 'undefined').toBe(true);
  });
});
