// The edge cases of issue 4, on small hand-built event tables with values worked out by hand.
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/normalise.js';
import { EventsBuilder } from '../../src/events/table.js';
import { computeSessionFeatures, DEFAULT_FEATURE_OPTIONS, featureSpecs, fromEventsTable, type FeatureOptions, type SessionTable } from '../../src/features/index.js';

const T0 = Date.UTC(2025, 0, 6, 10, 0, 0);

function row(sessionId: string, ts: number, eventName: string, extra: Partial<EventRow> = {}): EventRow {
  return {
    sessionId, experimentId: 'xp', ts, eventName, page: '/hotel/products', productId: null, storeMode: 'hotel', price: null, dwellMs: null,
    userAgent: 'Mozilla/5.0 Chrome/124.0 Safari/537.36', metadata: null, isAgent: null, srcTopic: null, srcPartition: null, srcOffset: null, srcTs: null, ...extra,
  };
}

function features(rows: EventRow[], opts: Partial<FeatureOptions> = {}): SessionTable {
  const b = new EventsBuilder(8);
  for (const r of rows) b.append(r);
  return computeSessionFeatures(fromEventsTable(b.flush(), opts.featureSet === 'original'), { ...DEFAULT_FEATURE_OPTIONS, ...opts }).table;
}

/** One session's value of a numeric feature (NaN → null). */
function value(t: SessionTable, sessionId: string, name: string): number | null {
  const v = t.columns[name]![t.sessionIds.indexOf(sessionId)]!;
  return Number.isNaN(v) ? null : v;
}

describe('session features: edge cases', () => {
  it('one-event sessions: zero duration, null gap statistics, zero std and transition entropy', () => {
    const t = features([row('a', T0, 'page_view')]);
    expect(value(t, 'a', 'total_interactions')).toBe(1);
    expect(value(t, 'a', 'session_duration_sec')).toBe(0);
    for (const f of ['avg_time_between_events', 'min_time_between_events', 'gap_median_sec', 'gap_cv']) expect(value(t, 'a', f), f).toBeNull();
    expect(value(t, 'a', 'std_time_between_events')).toBe(0);
    expect(value(t, 'a', 'interaction_velocity')).toBe(0);
    expect(value(t, 'a', 'transition_entropy')).toBe(0);
    expect(value(t, 'a', 'event_type_entropy')).toBe(0);
    expect(value(t, 'a', 'max_velocity_5min')).toBe(1);
  });

  it('equal timestamps keep input order (transitions follow it) and give zero gaps', () => {
    const t = features([row('a', T0, 'page_view'), row('a', T0, 'view_item_page'), row('a', T0, 'page_view')]);
    expect(value(t, 'a', 'session_duration_sec')).toBe(0);
    expect(value(t, 'a', 'gap_cv')).toBeNull(); // mean gap 0
    // pairs page_view→view_item_page, view_item_page→page_view: two distinct, ln 2
    expect(value(t, 'a', 'transition_entropy')).toBeCloseTo(Math.LN2, 15);
    // ties among equal ts: provenance offset first (nulls last), then input position
    const byOffset = features([
      row('b', T0, 'search', { srcOffset: 7 }),
      row('b', T0, 'page_view', { srcOffset: 3 }),
      row('b', T0, 'page_view', { srcOffset: 5 }),
    ]);
    // order page_view, page_view, search: pairs (pv→pv), (pv→search)
    expect(value(byOffset, 'b', 'transition_entropy')).toBeCloseTo(Math.LN2, 15);
    expect(value(byOffset, 'b', 'filter_events')).toBe(1);
  });

  it('unsorted input gives the same features as sorted input', () => {
    const sorted = [row('a', T0, 'page_view'), row('a', T0 + 4000, 'view_item_page', { productId: 'p', price: 10 }), row('a', T0 + 5000, 'add_item_to_cart', { productId: 'p', price: 12 }), row('b', T0 + 1, 'search'), row('b', T0 + 60_000, 'page_view')];
    const shuffled = [sorted[4]!, sorted[2]!, sorted[0]!, sorted[3]!, sorted[1]!];
    const a = features(sorted), b = features(shuffled);
    for (const f of a.features) {
      if (f.dtype === 'category') continue;
      for (const id of ['a', 'b']) expect(value(b, id, f.name), `${id} ${f.name}`).toEqual(value(a, id, f.name));
    }
    expect(value(a, 'a', 'transition_entropy')).toBeCloseTo(Math.LN2, 15);
    expect(value(a, 'a', 'gap_median_sec')).toBe(2.5);
  });

  it('gaps longer than the inactivity timeout count 0 toward the duration (<= T counts)', () => {
    const gaps = [10, 1000, 900, 901];
    let ts = T0;
    const rows = [row('a', ts, 'page_view')];
    for (const g of gaps) rows.push(row('a', (ts += g * 1000), 'page_view'));
    const t = features(rows);
    expect(value(t, 'a', 'session_duration_sec')).toBe(910);
    expect(value(t, 'a', 'avg_time_between_events')).toBe((10 + 1000 + 900 + 901) / 4);
    expect(value(t, 'a', 'interaction_velocity')).toBeCloseTo((5 / 910) * 60, 12);
    expect(value(features(rows, { timeoutSec: 5 }), 'a', 'session_duration_sec')).toBe(0);
  });

  it('nulls in every optional column: null features where undefined, never NaN in counts', () => {
    const nulls = { experimentId: null, page: null, productId: null, storeMode: null, price: null, dwellMs: null, userAgent: null, metadata: null };
    const t = features([row('a', T0, 'page_view', nulls), row('a', T0 + 1000, 'view_item_page', nulls)]);
    expect(t.experimentIds[0]).toBeNull();
    expect(t.isAgent[0]).toBe(-1);
    expect(value(t, 'a', 'unique_pages')).toBe(0);
    expect(value(t, 'a', 'unique_products_viewed')).toBe(0);
    expect(value(t, 'a', 'repeat_product_ratio')).toBeNull();
    expect(value(t, 'a', 'avg_price_seen')).toBeNull();
    expect(value(t, 'a', 'price_range')).toBe(0);
    expect(value(t, 'a', 'dwell_mean_ms')).toBeNull();
    expect(value(t, 'a', 'is_headless')).toBe(0);
    expect(t.categories['browser_family']!.dict[t.categories['browser_family']!.codes[0]!]).toBe('Unknown');
    const filled = features([row('a', T0, 'page_view', nulls)], { fillMissing: 0 });
    for (const f of featureSpecs('default')) if (f.dtype !== 'category') expect(Number.isNaN(filled.columns[f.name]![0]!), f.name).toBe(false);
  });

  it('unknown event names are kept and counted; other hover_over_* names are dwell', () => {
    const t = features([row('a', T0, 'mystery'), row('a', T0 + 1, 'hover_over_image', { dwellMs: 1250 }), row('a', T0 + 2, 'mystery')]);
    expect(value(t, 'a', 'unknown_events')).toBe(2);
    expect(value(t, 'a', 'hover_events')).toBe(1);
    expect(value(t, 'a', 'total_events')).toBe(3);
    expect(value(t, 'a', 'hover_intensity')).toBeCloseTo(1 / 3, 15);
    expect(value(t, 'a', 'dwell_mean_ms')).toBe(1250);
    expect(value(t, 'a', 'event_type_entropy')).toBeCloseTo(-(2 / 3) * Math.log(2 / 3) - (1 / 3) * Math.log(1 / 3), 14);
  });

  it('sessions without products: zeros in the default set, nulls in the original set', () => {
    const rows = [row('a', T0, 'page_view'), row('a', T0 + 1000, 'search')];
    const d = features(rows), o = features(rows, { featureSet: 'original' });
    expect([value(d, 'a', 'unique_products_viewed'), value(d, 'a', 'product_view_depth'), value(d, 'a', 'price_range')]).toEqual([0, 0, 0]);
    for (const f of ['unique_products_viewed', 'product_view_depth', 'avg_price_seen', 'min_price_seen', 'max_price_seen', 'price_range']) expect(value(o, 'a', f), f).toBeNull();
    expect(value(d, 'a', 'cart_to_view_ratio')).toBe(0);
  });

  it('empty input: no sessions, every column present', () => {
    const t = features([]);
    expect(t.nSessions).toBe(0);
    expect(t.features.map((f) => f.name)).toEqual(featureSpecs('default').map((f) => f.name));
    for (const f of t.features) if (f.dtype !== 'category') expect(t.columns[f.name]!.length).toBe(0);
  });

  it('products, prices and the sliding vs clock-aligned 5-minute window', () => {
    const bin = Math.ceil(T0 / 300_000) * 300_000 + 300_000;
    const rows = [-100_000, -50_000, -1, 0, 100_000].map((d, k) => row('a', bin + d, 'view_item_page', { productId: k < 3 ? 'p1' : 'p2', price: k < 3 ? 100 : 130 }));
    const d = features(rows), o = features(rows, { featureSet: 'original' });
    expect(value(d, 'a', 'max_velocity_5min')).toBe(5);
    expect(value(o, 'a', 'max_velocity_5min')).toBe(3);
    expect(value(d, 'a', 'product_view_depth')).toBe(3);
    expect(value(d, 'a', 'repeat_product_ratio')).toBeCloseTo(1 - 2 / 5, 15);
    expect(value(d, 'a', 'price_range')).toBe(30);
    expect(value(d, 'a', 'std_price_seen')).toBeCloseTo(Math.sqrt(((3 * 12 * 12) + 2 * 18 * 18) / 4), 12);
  });

  it('experimentId: first non-null in time order; both labels → unlabelled (docs/contract.md §3.1); purchased = purchases > 0', () => {
    const t = features([row('a', T0 + 2, 'purchase_complete', { isAgent: false, experimentId: 'x2' }), row('a', T0 + 1, 'page_view', { isAgent: true, experimentId: null }), row('a', T0, 'page_view', { experimentId: null })]);
    expect(t.isAgent[0]).toBe(-1);
    expect(features([row('b', T0 + 1, 'page_view', { isAgent: true }), row('b', T0, 'page_view', {})]).isAgent[0]).toBe(1);
    expect(t.experimentIds[0]).toBe('x2');
    expect(t.purchased[0]).toBe(1);
  });
});
