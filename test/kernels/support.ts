// Build events tables from plain session lists for kernel tests.
import { EventsBuilder, type EventsTable } from '../../src/events/table.js';

export interface PlainSession {
  id: string;
  label: 'human' | 'agent' | null;
  events: string[];
  pages?: (string | null)[];
  products?: (string | null)[];
}

/** One row per event, timestamps 1 s apart; rows are appended in reverse order so ordering is exercised. */
export function tableFromSessions(sessions: PlainSession[], opts: { shuffle?: boolean } = {}): EventsTable {
  const rows = sessions.flatMap((s) => s.events.map((e, k) => ({
    sessionId: s.id, experimentId: null, ts: 1_700_000_000_000 + k * 1000, eventName: e,
    page: s.pages?.[k] ?? null, productId: s.products?.[k] ?? null, storeMode: 'hotel', price: null, dwellMs: null,
    userAgent: null, metadata: null, isAgent: s.label === null ? null : s.label === 'agent',
    srcTopic: null, srcPartition: null, srcOffset: null, srcTs: null,
  })));
  if (opts.shuffle !== false) rows.reverse();
  const b = new EventsBuilder(16);
  for (const r of rows) b.append(r);
  return b.flush();
}

/** Decode the oracle's JSON encoding of non-finite numbers. */
export function num(x: number | string): number {
  return x === 'NaN' ? NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : (x as number);
}

/** |a − b| ≤ abs + rel·|b| (equal infinities and NaNs pass). */
export function close(a: number, b: number, rel = 1e-12, abs = 1e-14): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= abs + rel * Math.abs(b);
}

import { createRng } from '../../src/stats/rng.js';

const EVENTS = ['page_view', 'view_item_page', 'learn_more_about_item', 'add_item_to_cart', 'checkout_start', 'hover_over_title', 'search'];
const PAGES = ['/hotel/products', '/hotel/cart', null];
const PRODUCTS = ['p1', 'p2', 'p3', null];

/** Random labelled sessions (lengths 1..maxLen), agents biased towards item views, for property tests. */
export function randomSessions(seed: number, n: number, maxLen = 14): PlainSession[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const agent = rng.next() < 0.4;
    const len = 1 + rng.int(maxLen);
    const events: string[] = [], pages: (string | null)[] = [], products: (string | null)[] = [];
    for (let k = 0; k < len; k++) {
      events.push(agent && rng.next() < 0.4 ? 'view_item_page' : EVENTS[rng.int(EVENTS.length)]!);
      pages.push(PAGES[rng.int(PAGES.length)]!);
      products.push(PRODUCTS[rng.int(PRODUCTS.length)]!);
    }
    return { id: `s${String(i).padStart(4, '0')}`, label: rng.next() < 0.05 ? null : agent ? 'agent' : 'human', events, pages, products };
  });
}
