import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/events/normalise.js';
import { SessionBuffer, toStoredRow, type StoredRow } from '../../src/serve/session-buffer.js';

function row(k: number, page: string): StoredRow {
  const r = normalise({ value: { sessionId: 's', eventName: k % 2 ? 'page_view' : 'hover_over_title', ts: 1_700_000_000_000 + k, page, productId: k % 3 ? `p${k}` : null, userAgent: 'UA', metadata: { base_price: 50 + k, price: k % 4 ? 40 + k : null, dwellTime: k } }, provenance: { topic: null, partition: null, offset: k, timestamp: null } });
  if (!r.ok) throw new Error(r.detail);
  return toStoredRow(r.row);
}

describe('SessionBuffer', () => {
  it('keeps every row through growth and many distinct values, and gives them back as stored', () => {
    const b = new SessionBuffer('s');
    const rows = Array.from({ length: 100 }, (_, k) => row(k, `/page/${k % 40}`));
    for (const r of rows) b.append(r);
    expect(b.length).toBe(100);
    for (let k = 0; k < rows.length; k++) expect(b.storedRow(k)).toEqual(rows[k]);
    const ev = b.featureEvents();
    expect(ev.page.dict).toHaveLength(40);
    expect(ev.page.dict[ev.page.codes[77]!]).toBe('/page/37');
    expect(ev.productId.codes[3]).toBe(-1);
    expect(ev.price[3]).toBeCloseTo(43, 12); // metadata.price first
    expect(ev.priceBaseFirst![3]).toBeCloseTo(53, 12); // metadata.base_price first
    expect(Number.isNaN(ev.price[4]!)).toBe(false);
    expect(ev.price[0]).toBe(50); // price null → base_price
    expect(ev.srcOffset[9]).toBe(9);
    expect(Array.from(ev.isAgent.subarray(0, 3))).toEqual([-1, -1, -1]);
  });
});
