// The memory-saving path of `phantom features` (docs/perf/features-mem.md): a job's own events are put in
// session order in place and dropped column by column, and an all-null src_offset is not materialised.
// Both must give exactly the table of the copying path.
import { describe, expect, it } from 'vitest';
import { indexSessions } from '../../src/events/session-index.js';
import { computeSessionFeatures, DEFAULT_FEATURE_OPTIONS, type FeatureEvents, type FeatureSetName, type SessionTable } from '../../src/features/index.js';
import { loadEventsParquet } from '../../src/features/load-parquet.js';

const FIXTURE = 'fixtures/events.parquet';

/** The rows in reverse order (the fixture's sessions are contiguous and in time order; reversed, every row moves). */
function reversed(ev: FeatureEvents): FeatureEvents {
  const rev = <T extends Float64Array | Int32Array | Int8Array>(v: T): T => v.slice().reverse() as T;
  const dict = (c: FeatureEvents['sessionId']) => ({ codes: rev(c.codes), dict: c.dict });
  return {
    ...ev, sessionId: dict(ev.sessionId), experimentId: dict(ev.experimentId), eventName: dict(ev.eventName), page: dict(ev.page), productId: dict(ev.productId),
    userAgent: dict(ev.userAgent), ts: rev(ev.ts), price: rev(ev.price), dwellMs: rev(ev.dwellMs), srcOffset: rev(ev.srcOffset), isAgent: rev(ev.isAgent),
    priceBaseFirst: ev.priceBaseFirst === null ? null : rev(ev.priceBaseFirst), site: ev.site == null ? ev.site : dict(ev.site),
  };
}

function expectSameTable(a: SessionTable, b: SessionTable): void {
  expect(b.sessionIds).toEqual(a.sessionIds);
  expect(b.experimentIds).toEqual(a.experimentIds);
  expect(Array.from(b.isAgent)).toEqual(Array.from(a.isAgent));
  expect(Array.from(b.purchased)).toEqual(Array.from(a.purchased));
  expect(Object.keys(b.columns)).toEqual(Object.keys(a.columns));
  for (const [name, v] of Object.entries(a.columns)) {
    const w = b.columns[name]!;
    const differ = Array.from(v).findIndex((x, s) => !Object.is(x, w[s]));
    expect(differ, name).toBe(-1);
  }
  expect(Array.from(b.categories['browser_family']!.codes)).toEqual(Array.from(a.categories['browser_family']!.codes));
  expect(b.site).toEqual(a.site);
  expect(b.sessionDate).toEqual(a.sessionDate);
}

describe('features: consumed events', () => {
  for (const featureSet of ['default', 'original'] as FeatureSetName[]) {
    it(`${featureSet} set: reordering in place and an all-zero src_offset give the copying path's table`, async () => {
      const baseFirst = featureSet === 'original';
      const copied = reversed(await loadEventsParquet(FIXTURE, { baseFirst }));
      const consumed = reversed(await loadEventsParquet(FIXTURE, { baseFirst, offsetsForOrder: true }));
      // the fixture's offsets are all null: the order-only load never fills them
      expect(copied.srcOffset.every((x) => Number.isNaN(x))).toBe(true);
      expect(consumed.srcOffset.every((x) => x === 0)).toBe(true);
      // reversed, the rows are out of session order: the in-place reordering has work to do
      const { order } = indexSessions(copied);
      expect(order.some((r, k) => r !== k)).toBe(true);
      const opts = { ...DEFAULT_FEATURE_OPTIONS, featureSet };
      const a = computeSessionFeatures(copied, opts);
      const b = computeSessionFeatures(consumed, opts, true);
      expectSameTable(a.table, b.table);
      expect(b.stats).toEqual(a.stats);
      // the consumed events are given up: their per-event columns are gone
      expect(consumed.ts.length).toBe(0);
      expect(consumed.eventName.codes.length).toBe(0);
      expect(copied.ts.length).toBe(copied.length);
    });
  }
});
