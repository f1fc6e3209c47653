/**
 * Events → session feature table (docs/features.md): one sort into contiguous sessions, then one pass per feature
 * group over columns gathered into session order. Each gathered column is dropped once its group is done.
 */
import { gatherCodes, gatherFloat, indexSessions, sessionLabels } from '../events/session-index.js';
import { computeClient, firstCodes } from './client.js';
import type { FeatureEvents } from './feature-events.js';
import { computeProducts } from './products.js';
import { computeRequests, presentRequestColumns } from './requests.js';
import { BROWSER_FAMILIES, featureSpecs, type FeatureSetName } from './registry.js';
import type { SessionTable } from './session-table.js';
import { computeShownPrices, type PriceLogs } from './shown-prices.js';
import { computeTiming } from './timing.js';
import { computeVolume } from './volume.js';

export interface FeatureOptions {
  featureSet: FeatureSetName;
  /** inactivity timeout T in seconds (default 900) */
  timeoutSec: number;
  /** replace null numeric features with this value (`--fill-missing 0`); null keeps nulls */
  fillMissing: number | null;
  /** price logs for shown_price_mean / shown_markup_mean; null leaves those columns out */
  priceLogs: PriceLogs | null;
}

const NO_FLOATS = new Float64Array(0), NO_CODES = new Int32Array(0);

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { featureSet: 'default', timeoutSec: 900, fillMissing: null, priceLogs: null };

export interface FeatureRunStats {
  events: number;
  sessions: number;
  /** rows without a sessionId (not counted in any session) */
  rowsWithoutSession: number;
  /** events whose name is outside the vocabulary (kept and counted in unknown_events) */
  unknownEvents: number;
  /** ids of the sessions whose rows carry both is_agent values (left unlabelled, docs/contract.md §3.1) */
  conflictingLabelSessions: string[];
  /** sessions with a null is_agent (conflicting ones included) */
  unlabeledSessions: number;
}

/**
 * Compute the session feature table of a set of events. With `consume`, the caller gives the events up:
 * their time, price, dwell, event, page and product columns are put in session order (reordered in
 * place instead of copied), and every per-event column is replaced by an empty one once read, so its
 * memory goes as the session columns grow (10M events: 490 MB).
 * @example const { table } = computeSessionFeatures(fromEventsTable(events, false), { ...DEFAULT_FEATURE_OPTIONS, timeoutSec: 600 })
 */
export function computeSessionFeatures(ev: FeatureEvents, opts: FeatureOptions, consume = false): { table: SessionTable; stats: FeatureRunStats } {
  const set = opts.featureSet;
  const index = indexSessions(ev, 'first-seen');
  const { order, starts, nSessions, rowsWithoutSession } = index;
  // what is read once per session through `order`, before a consumed table's columns are reordered
  const firstAgent = firstCodes(ev.userAgent.codes, order, starts, nSessions);
  const firstExperiment = firstCodes(ev.experimentId.codes, order, starts, nSessions);
  const { labels: isAgent, conflicted } = sessionLabels(index, ev.isAgent);
  const sites = set === 'default' ? sessionSites(ev, order, starts, nSessions) : undefined;
  const dates = set === 'default' ? sessionDates(ev.ts, order, starts, nSessions) : undefined;
  const original = set === 'original' && ev.priceBaseFirst !== null;
  // a consumed table is put in session order where it lies (no gathered copies: 200 MB less at 10M events);
  // the request features read the input order, and rows without a session leave `order` no permutation
  const inPlace = consume && ev.requests == null && order.length === ev.length;
  if (inPlace) {
    permuteRows(order, ev.ts, ev.price, ev.dwellMs, original ? ev.priceBaseFirst : null, ev.eventName.codes, ev.page.codes, ev.productId.codes);
    // the columns read already go now, the others once their group is done (their memory leaves with a collection)
    for (const c of [ev.sessionId, ev.userAgent, ev.experimentId]) c.codes = NO_CODES;
    ev.isAgent = new Int8Array(0);
    ev.srcOffset = NO_FLOATS;
  }
  const floats = (v: Float64Array): Float64Array => (inPlace ? v : gatherFloat(v, order));
  const ints = (v: Int32Array): Int32Array => (inPlace ? v : gatherCodes(v, order));
  // the groups' columns, looked up by name (later groups first, as if merged in order) — no merged object per call
  const groups: object[] = [];
  groups.push(computeTiming(floats(ev.ts), starts, nSessions, opts.timeoutSec, set));
  if (inPlace) ev.ts = NO_FLOATS;
  const volume = computeVolume(ints(ev.eventName.codes), ev.eventName.dict, ints(ev.page.codes), ev.page.dict.length, starts, nSessions);
  groups.push(volume);
  if (inPlace) ev.eventName.codes = ev.page.codes = NO_CODES;
  let products: Int32Array | null = ints(ev.productId.codes);
  let prices: Float64Array | null = floats(original ? ev.priceBaseFirst! : ev.price);
  groups.push(computeProducts(products, ev.productId.dict.length, prices, floats(ev.dwellMs), starts, nSessions, set));
  if (inPlace) ev.dwellMs = NO_FLOATS;

  const sessionIds = index.ids;
  if (opts.priceLogs !== null) {
    const basePrices = set === 'original' ? floats(ev.price) : prices;
    groups.push(computeShownPrices(opts.priceLogs, sessionIds, products, ev.productId.dict, basePrices, starts));
  }
  if (inPlace) {
    ev.productId.codes = NO_CODES;
    ev.price = NO_FLOATS;
    ev.priceBaseFirst &&= NO_FLOATS;
    products = prices = null;
  }
  const client = computeClient(firstAgent, ev.userAgent.dict, set);
  groups.push({ is_headless: client.is_headless, is_automation: client.is_automation });
  if (set === 'default' && ev.requests != null) groups.push(computeRequests(ev.requests, order, starts, nSessions, ev.ts, ev.userAgent));
  const column = (name: string): Float64Array => {
    for (let g = groups.length - 1; g >= 0; g--) {
      const v = (groups[g] as Record<string, Float64Array | undefined>)[name];
      if (v !== undefined) return v;
    }
    return undefined!;
  };

  const features = featureSpecs(set, { priceLogs: opts.priceLogs !== null, requestColumns: set === 'default' ? presentRequestColumns(ev.requests) : undefined });
  const columns: Record<string, Float64Array> = {};
  for (const f of features) {
    if (f.dtype === 'category') continue;
    const v = column(f.name);
    if (opts.fillMissing !== null) for (let s = 0; s < nSessions; s++) if (v[s] !== v[s]) v[s] = opts.fillMissing;
    columns[f.name] = v;
  }
  const purchased = Int8Array.from(volume.purchases, (p) => (p > 0 ? 1 : 0));
  let unknownEvents = 0, unlabeledSessions = 0;
  for (let s = 0; s < nSessions; s++) {
    unknownEvents += volume.unknown_events[s]!;
    if (isAgent[s] === -1) unlabeledSessions++;
  }
  const table: SessionTable = {
    featureSet: set, features, nSessions, sessionIds,
    experimentIds: Array.from(firstExperiment, (c) => (c < 0 ? null : ev.experimentId.dict[c]!)),
    isAgent, purchased, columns,
    categories: { browser_family: { codes: client.browser_family, dict: [...BROWSER_FAMILIES] } },
    // the original set keeps exactly its 27 columns
    ...(set === 'default' ? { site: sites, sessionDate: dates } : {}),
  };
  const stats: FeatureRunStats = {
    events: order.length, sessions: nSessions, rowsWithoutSession, unknownEvents,
    conflictingLabelSessions: Array.from(conflicted, (s) => sessionIds[s]!), unlabeledSessions,
  };
  return { table, stats };
}

/**
 * Reorder the rows in place, row k getting row order[k] (order: a permutation), as gathering into new
 * arrays would, one cycle of the permutation at a time: each row is read and written once, no copy.
 */
function permuteRows(order: Uint32Array, f0: Float64Array, f1: Float64Array, f2: Float64Array, f3: Float64Array | null, i0: Int32Array, i1: Int32Array, i2: Int32Array): void {
  const n = order.length;
  const done = new Uint8Array((n + 7) >> 3);
  for (let start = 0; start < n; start++) {
    if (order[start] === start || (done[start >> 3]! & (1 << (start & 7))) !== 0) continue;
    const s0 = f0[start]!, s1 = f1[start]!, s2 = f2[start]!, s3 = f3 === null ? 0 : f3[start]!, t0 = i0[start]!, t1 = i1[start]!, t2 = i2[start]!;
    let k = start;
    for (;;) {
      done[k >> 3]! |= 1 << (k & 7);
      const j = order[k]!;
      if (j === start) break;
      f0[k] = f0[j]!;
      f1[k] = f1[j]!;
      f2[k] = f2[j]!;
      if (f3 !== null) f3[k] = f3[j]!;
      i0[k] = i0[j]!;
      i1[k] = i1[j]!;
      i2[k] = i2[j]!;
      k = j;
    }
    f0[k] = s0;
    f1[k] = s1;
    f2[k] = s2;
    if (f3 !== null) f3[k] = s3;
    i0[k] = t0;
    i1[k] = t1;
    i2[k] = t2;
  }
}

/** Each session's first non-null site (time order), null without a site column. */
function sessionSites(ev: FeatureEvents, order: Uint32Array, starts: Int32Array, nSessions: number): (string | null)[] {
  const site = ev.site;
  if (site == null) return new Array<string | null>(nSessions).fill(null);
  return Array.from(firstCodes(site.codes, order, starts, nSessions), (c) => (c < 0 ? null : site.dict[c]!));
}

/** UTC date (YYYY-MM-DD) of each session's first event. */
function sessionDates(ts: Float64Array, order: Uint32Array, starts: Int32Array, nSessions: number): (string | null)[] {
  const dateOf = (t: number): string | null => {
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
  };
  // one Date per UTC day, not per session (70 ms at 80k sessions): Date truncates its time value to an
  // integer, so the day of trunc(t) decides the text wherever Date is valid (|t| ≤ 8.64e15 ms)
  const byDay = new Map<number, string | null>();
  return Array.from({ length: nSessions }, (_, s) => {
    const t = Math.trunc(ts[order[starts[s]!]!]!);
    if (!(Math.abs(t) <= 8.64e15)) return null;
    const day = Math.floor(t / 86_400_000);
    let v = byDay.get(day);
    if (v === undefined) {
      v = dateOf(t);
      byDay.set(day, v);
    }
    return v;
  });
}
