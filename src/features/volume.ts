
import { categoryOf, ITEM_VIEW_EVENTS } from '../events/vocabulary.js';
import { sortPrefix } from './sort-prefix.js';

const KIND = { other: 0, pageView: 1, itemView: 2, cartAdd: 3, cartRemove: 4, checkout: 5, purchase: 6 } as const;
const NAMED_KIND: Record<string, number> = { page_view: KIND.pageView, add_item_to_cart: KIND.cartAdd, remove_item: KIND.cartRemove, checkout_start: KIND.checkout, purchase_complete: KIND.purchase };
for (const name of ITEM_VIEW_EVENTS) NAMED_KIND[name] = KIND.itemView;

export const VOLUME_COLUMNS = [
  'total_events', 'unique_pages', 'page_views', 'item_views', 'cart_adds', 'cart_removes', 'checkout_starts', 'purchases', 'hover_events',
  'filter_events', 'unknown_events', 'cart_to_view_ratio', 'conversion_rate', 'hover_intensity', 'event_type_entropy', 'transition_entropy',
] as const;
export type VolumeColumns = Record<(typeof VOLUME_COLUMNS)[number], Float64Array>;

/**
 * −Σ p ln p over the counts c[0, k) with total n (scipy.stats.entropy's form). The counts are summed in
 * ascending order, so the result does not depend on dictionary codes (which differ between inputs).
 */
function entropyOfCounts(c: Float64Array, k: number, n: number): number {
  sortPrefix(c, k);
  let h = 0;
  for (let j = 0; j < k; j++) {
    const p = c[j]! / n;
    h -= p * Math.log(p);
  }
  return h === 0 ? 0 : h;
}

/** Counts of equal values in a sorted run a[0, m) written to `counts`; returns the number of runs. */
function runLengths(a: Float64Array, m: number, counts: Float64Array): number {
  let k = 0;
  for (let i = 0; i < m; ) {
    let j = i + 1;
    while (j < m && a[j] === a[i]) j++;
    counts[k++] = j - i;
    i = j;
  }
  return k;
}

/**
 * Output columns and per-call tables kept between calls (serve computes one session per request into the
 * same arrays). The tables are sized by the dictionaries and grow when a call needs more.
 */
export interface VolumeWorkspace {
  /** columns of at least nSessions entries */
  out: VolumeColumns;
  kind: Uint8Array;
  hover: Uint8Array;
  filter: Uint8Array;
  unknown: Uint8Array;
  pageSeen: Int32Array;
  /** all zero between sessions */
  nameCount: Float64Array;
  keys: Float64Array;
  runs: Float64Array;
  kinds: Float64Array;
}

/** A workspace for `nSessions` sessions. @example computeVolume(names, dict, pages, nPages, starts, 1, volumeWorkspace(1)) */
export function volumeWorkspace(nSessions: number, dictSize = 0, pageDictSize = 0): VolumeWorkspace {
  return {
    out: Object.fromEntries(VOLUME_COLUMNS.map((c) => [c, new Float64Array(nSessions)])) as VolumeColumns,
    kind: new Uint8Array(dictSize), hover: new Uint8Array(dictSize), filter: new Uint8Array(dictSize), unknown: new Uint8Array(dictSize),
    pageSeen: new Int32Array(pageDictSize), nameCount: new Float64Array(dictSize), keys: new Float64Array(64), runs: new Float64Array(64), kinds: new Float64Array(7),
  };
}

/** Grow the dictionary-sized tables of a workspace to hold D names and P pages. */
function fitWorkspace(ws: VolumeWorkspace, D: number, P: number): void {
  if (ws.kind.length < D) {
    const size = Math.max(D, 2 * ws.kind.length);
    ws.kind = new Uint8Array(size);
    ws.hover = new Uint8Array(size);
    ws.filter = new Uint8Array(size);
    ws.unknown = new Uint8Array(size);
    ws.nameCount = new Float64Array(size);
  }
  if (ws.pageSeen.length < P) ws.pageSeen = new Int32Array(Math.max(P, 2 * ws.pageSeen.length));
}

/**
 * Volume and sequence columns from event names and pages already in session order (written into `ws.out`
 * when a workspace is given).
 * @example computeVolume(gatherCodes(events.eventName.codes, order), events.eventName.dict, pages, starts, nSessions)
 */
export function computeVolume(
  names: Int32Array, nameDict: readonly string[], pages: Int32Array, pageDictSize: number, starts: Int32Array, nSessions: number,
  ws = volumeWorkspace(nSessions, nameDict.length, pageDictSize),
): VolumeColumns {
  const out = ws.out;
  const D = nameDict.length;
  fitWorkspace(ws, D, pageDictSize);
  const { kind, hover, filter, unknown, pageSeen, nameCount, kinds } = ws;
  for (const [c, name] of nameDict.entries()) {
    const cat = categoryOf(name);
    kind[c] = NAMED_KIND[name] ?? KIND.other;
    hover[c] = cat === 'dwell' ? 1 : 0;
    filter[c] = cat === 'filter' ? 1 : 0;
    unknown[c] = cat === 'unknown' ? 1 : 0;
  }
  pageSeen.fill(-1, 0, pageDictSize);
  let keys = ws.keys, runs = ws.runs;
  for (let s = 0; s < nSessions; s++) {
    const lo = starts[s]!, hi = starts[s + 1]!;
    kinds.fill(0);
    let total = 0, pagesDistinct = 0, hovers = 0, filters = 0, unknowns = 0;
    if (hi - lo > keys.length) {
      keys = ws.keys = new Float64Array((hi - lo) * 2);
      runs = ws.runs = new Float64Array((hi - lo) * 2);
    }
    let distinctNames = 0, pairs = 0;
    for (let k = lo; k < hi; k++) {
      const p = pages[k]!;
      if (p >= 0 && pageSeen[p] !== s) {
        pageSeen[p] = s;
        pagesDistinct++;
      }
      const c = names[k]!;
      if (c < 0) continue;
      total++;
      kinds[kind[c]!]!++;
      hovers += hover[c]!;
      filters += filter[c]!;
      unknowns += unknown[c]!;
      if (nameCount[c] === 0) keys[distinctNames++] = c;
      nameCount[c]!++;
      const next = k + 1 < hi ? names[k + 1]! : -1;
      if (next >= 0) runs[pairs++] = c * D + next;
    }
    // name entropy from the per-name counts (then reset them); pair entropy from the sorted pair keys
    for (let j = 0; j < distinctNames; j++) {
      const c = keys[j]!;
      keys[j] = nameCount[c]!;
      nameCount[c] = 0;
    }
    const eventEntropy = total > 0 ? entropyOfCounts(keys, distinctNames, total) : NaN;
    sortPrefix(runs, pairs);
    const distinctPairs = runLengths(runs, pairs, keys);
    const transitionEntropy = pairs > 0 ? entropyOfCounts(keys, distinctPairs, pairs) : 0;

    const itemViews = kinds[KIND.itemView]!;
    out.total_events[s] = total;
    out.unique_pages[s] = pagesDistinct;
    out.page_views[s] = kinds[KIND.pageView]!;
    out.item_views[s] = itemViews;
    out.cart_adds[s] = kinds[KIND.cartAdd]!;
    out.cart_removes[s] = kinds[KIND.cartRemove]!;
    out.checkout_starts[s] = kinds[KIND.checkout]!;
    out.purchases[s] = kinds[KIND.purchase]!;
    out.hover_events[s] = hovers;
    out.filter_events[s] = filters;
    out.unknown_events[s] = unknowns;
    out.cart_to_view_ratio[s] = itemViews > 0 ? kinds[KIND.cartAdd]! / itemViews : 0;
    out.conversion_rate[s] = itemViews > 0 ? kinds[KIND.purchase]! / itemViews : 0;
    out.hover_intensity[s] = total > 0 ? hovers / total : NaN;
    out.event_type_entropy[s] = eventEntropy;
    out.transition_entropy[s] = transitionEntropy;
  }
  return out;
}
