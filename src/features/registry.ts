/**
 * The feature registry (docs/features.md, Appendix A): every session feature's name, group, type, missing-value
 * policy and one-line definition, once. The output schema, `docs/features.md` and `phantom features --list`
 * are all read from here; the kernels in this folder compute exactly what these lines say.
 */

import { REQUEST_ENTRIES, requestSpecs } from './request-specs.js';

export const FEATURE_SETS = ['default', 'original'] as const;
export type FeatureSetName = (typeof FEATURE_SETS)[number];

/** `external`: a column read from a file that phantom's registry does not define. */
export type FeatureGroup = 'timing' | 'volume' | 'sequence' | 'products' | 'prices' | 'dwell' | 'shown-prices' | 'client' | 'requests' | 'external';
/** `int` → Int32, `float` → Float64, `bool` → Bool, `category` → Dictionary<Int32, Utf8> in sessions.parquet. */
export type FeatureDtype = 'int' | 'float' | 'bool' | 'category';

export interface FeatureSpec {
  name: string;
  group: FeatureGroup;
  dtype: FeatureDtype;
  /** when the value is null (or the value used instead of null) */
  missing: string;
  definition: string;
  /**
   * a context feature (time of day, day of week, browser family, user-agent flags): describes how or when
   * the data was collected rather than how the session behaved; the confound audit watches these
   */
  context?: boolean;
}

/** An entry with its `original`-set semantics where they differ (Appendix A). */
interface RegistryEntry extends FeatureSpec {
  original?: Partial<Pick<FeatureSpec, 'missing' | 'definition'>>;
  /** only emitted with `--price-logs` */
  needsPriceLogs?: boolean;
}

const NEVER = 'never null';
const NO_PRODUCTS_ORIGINAL = 'null when the session has no product-bearing event';

/** Every feature of the default set, in output order. */
const ENTRIES: readonly RegistryEntry[] = [
  { name: 'session_duration_sec', group: 'timing', dtype: 'float', missing: '0 for one event', definition: 'sum of the gaps between consecutive events that are <= the inactivity timeout T (longer gaps count 0), in seconds' },
  { name: 'total_interactions', group: 'volume', dtype: 'int', missing: NEVER, definition: 'number of events' },
  { name: 'avg_time_between_events', group: 'timing', dtype: 'float', missing: 'null for one event', definition: 'mean of all gaps in seconds (raw, the timeout does not apply)' },
  { name: 'std_time_between_events', group: 'timing', dtype: 'float', missing: '0 with fewer than 3 events', definition: 'sample standard deviation (ddof 1) of all gaps in seconds' },
  { name: 'min_time_between_events', group: 'timing', dtype: 'float', missing: 'null for one event', definition: 'smallest gap in seconds' },
  { name: 'gap_median_sec', group: 'timing', dtype: 'float', missing: 'null for one event', definition: 'median of all gaps in seconds' },
  { name: 'gap_cv', group: 'timing', dtype: 'float', missing: 'null when the mean gap is 0 or null', definition: 'std_time_between_events / avg_time_between_events' },
  { name: 'session_start_hour', group: 'timing', dtype: 'int', missing: NEVER, definition: 'UTC hour (0-23) of the first event', context: true },
  { name: 'interaction_velocity', group: 'timing', dtype: 'float', missing: '0 when the duration is 0', definition: 'total_interactions / session_duration_sec x 60 (events per minute)' },
  {
    name: 'max_velocity_5min', group: 'timing', dtype: 'int', missing: NEVER, definition: 'largest number of events inside any sliding window [t, t + 300 s)',
    original: { definition: 'largest number of events in one clock-aligned 5-minute bin (floor of epoch seconds / 300, UTC)' },
  },
  { name: 'total_events', group: 'volume', dtype: 'int', missing: NEVER, definition: 'events with a non-null eventName' },
  { name: 'unique_pages', group: 'volume', dtype: 'int', missing: NEVER, definition: 'distinct non-null pages' },
  { name: 'page_views', group: 'volume', dtype: 'int', missing: NEVER, definition: 'count of page_view events' },
  { name: 'item_views', group: 'volume', dtype: 'int', missing: NEVER, definition: 'count of view_item_page and learn_more_about_item events' },
  { name: 'cart_adds', group: 'volume', dtype: 'int', missing: NEVER, definition: 'count of add_item_to_cart events' },
  { name: 'cart_removes', group: 'volume', dtype: 'int', missing: NEVER, definition: 'count of remove_item events' },
  { name: 'checkout_starts', group: 'volume', dtype: 'int', missing: NEVER, definition: 'count of checkout_start events' },
  {
    name: 'purchases', group: 'volume', dtype: 'int', missing: NEVER, definition: 'count of purchase_complete events',
    original: { definition: 'count of purchase_complete events (the original looked for `purchase` / `checkout_complete`, which never occur, and was always 0: a deliberate deviation)' },
  },
  { name: 'hover_events', group: 'volume', dtype: 'int', missing: NEVER, definition: 'count of dwell-category events (hover_over_*)' },
  { name: 'filter_events', group: 'volume', dtype: 'int', missing: NEVER, definition: 'count of filter-category events (search, filter_for_*, sort_change)' },
  { name: 'unknown_events', group: 'volume', dtype: 'int', missing: NEVER, definition: 'count of events whose name is outside the event vocabulary (docs/contract.md §2)' },
  { name: 'cart_to_view_ratio', group: 'volume', dtype: 'float', missing: '0 when item_views is 0', definition: 'cart_adds / item_views' },
  { name: 'conversion_rate', group: 'volume', dtype: 'float', missing: '0 when item_views is 0', definition: 'purchases / item_views' },
  { name: 'hover_intensity', group: 'volume', dtype: 'float', missing: 'null when total_events is 0', definition: 'hover_events / total_events' },
  { name: 'event_type_entropy', group: 'sequence', dtype: 'float', missing: 'null when total_events is 0', definition: 'Shannon entropy (nats) of the distribution of non-null eventNames' },
  { name: 'transition_entropy', group: 'sequence', dtype: 'float', missing: '0 with fewer than 2 events', definition: 'Shannon entropy (nats) of the (eventName -> next eventName) pairs of consecutive events, both names non-null' },
  {
    name: 'unique_products_viewed', group: 'products', dtype: 'int', missing: '0 when no product-bearing event', definition: 'distinct non-null productIds over all events',
    original: { missing: NO_PRODUCTS_ORIGINAL },
  },
  {
    name: 'product_view_depth', group: 'products', dtype: 'int', missing: '0 when no product-bearing event', definition: 'largest number of events on a single productId',
    original: { missing: NO_PRODUCTS_ORIGINAL },
  },
  { name: 'repeat_product_ratio', group: 'products', dtype: 'float', missing: 'null when no product-bearing event', definition: '1 - unique_products_viewed / product-bearing events' },
  ...(['avg', 'min', 'max'] as const).map((stat): RegistryEntry => ({
    name: `${stat}_price_seen`, group: 'prices', dtype: 'float', missing: 'null when no product-bearing event has a price',
    definition: `${stat === 'avg' ? 'mean' : stat} of the non-null price of product-bearing events (price = metadata.price, else metadata.base_price)`,
    original: { missing: 'null when no product-bearing event has a price', definition: `${stat === 'avg' ? 'mean' : stat} of the non-null price of product-bearing events (price = metadata.base_price, else metadata.price)` },
  })),
  { name: 'std_price_seen', group: 'prices', dtype: 'float', missing: 'null with fewer than 2 prices', definition: 'sample standard deviation (ddof 1) of the prices seen' },
  {
    name: 'price_range', group: 'prices', dtype: 'float', missing: '0 when no price is seen', definition: 'max_price_seen - min_price_seen',
    original: { missing: 'null when no product-bearing event; 0 with products but no prices' },
  },
  { name: 'dwell_mean_ms', group: 'dwell', dtype: 'float', missing: 'null when no event has a dwell time', definition: 'mean of the non-null dwellMs (metadata.dwellTime, else metadata.duration_ms) over all events' },
  { name: 'shown_price_mean', group: 'shown-prices', dtype: 'float', missing: 'null when the session has no price-log row', definition: 'mean price shown to the session in the price logs (--price-logs only)', needsPriceLogs: true },
  {
    name: 'shown_markup_mean', group: 'shown-prices', dtype: 'float', missing: 'null when no price-log row has a base price',
    definition: "mean of shown price / base price over the session's price-log rows, base = the first non-null event price of that product in the session (--price-logs only)", needsPriceLogs: true,
  },
  { name: 'is_headless', group: 'client', dtype: 'bool', missing: 'false when no userAgent', definition: 'first non-null userAgent (time order) matches /HeadlessChrome|Headless|PhantomJS/i', context: true },
  { name: 'is_automation', group: 'client', dtype: 'bool', missing: 'false when no userAgent', definition: 'first non-null userAgent matches /Selenium|Playwright|Puppeteer|WebDriver|chromedriver|geckodriver/i', context: true },
  {
    name: 'browser_family', group: 'client', dtype: 'category', context: true, missing: 'Unknown when no userAgent', definition: 'Edge (Edg/), else Chrome (Chrome/), Firefox (Firefox/), Safari (Safari/), else Other; from the first non-null userAgent',
    original: { definition: 'Chrome (Chrome/) tested before Edge, so Edge user agents come out as Chrome; then Firefox, Safari, else Other' },
  },
];

/** Appendix A: the 27 columns of the original study's pipeline, in its order. */
export const ORIGINAL_COLUMNS: readonly string[] = [
  'session_duration_sec', 'total_interactions', 'avg_time_between_events', 'std_time_between_events', 'min_time_between_events',
  'session_start_hour', 'interaction_velocity', 'max_velocity_5min', 'total_events', 'unique_pages', 'page_views', 'item_views',
  'cart_adds', 'purchases', 'hover_events', 'cart_to_view_ratio', 'conversion_rate', 'hover_intensity', 'unique_products_viewed',
  'product_view_depth', 'avg_price_seen', 'min_price_seen', 'max_price_seen', 'price_range', 'is_headless', 'is_automation', 'browser_family',
];

const BY_NAME = new Map<string, RegistryEntry>([...ENTRIES, ...REQUEST_ENTRIES].map((e) => [e.name, e]));

const SPECS = new Map<string, FeatureSpec[]>();

function plain(e: RegistryEntry, set: FeatureSetName): FeatureSpec {
  const o = set === 'original' ? e.original : undefined;
  return { name: e.name, group: e.group, dtype: e.dtype, missing: o?.missing ?? e.missing, definition: o?.definition ?? e.definition, ...(e.context ? { context: true } : {}) };
}

/**
 * The features a run emits, in output order.
 * @example featureSpecs('original').length // 27
 */
export function featureSpecs(set: FeatureSetName, opts: { priceLogs?: boolean; requestColumns?: ReadonlySet<string> | 'all' } = {}): FeatureSpec[] {
  const requests = set === 'original' || opts.requestColumns === undefined ? [] : requestSpecs(opts.requestColumns);
  // without request columns: built once per (set, priceLogs) and frozen — serve computes features per request
  const key = `${set}:${set !== 'original' && opts.priceLogs === true}`;
  let specs = requests.length === 0 ? SPECS.get(key) : undefined;
  if (specs === undefined) {
    specs = set === 'original' ? ORIGINAL_COLUMNS.map((name) => plain(BY_NAME.get(name)!, set))
      : [...ENTRIES.filter((e) => !e.needsPriceLogs || opts.priceLogs === true), ...requests].map((e) => plain(e, set));
    specs.forEach((f) => Object.freeze(f));
    Object.freeze(specs);
    if (requests.length === 0) SPECS.set(key, specs);
  }
  return specs;
}

/**
 * True for a context feature (registry `context`), also for a one-hot column of one (`browser_family=Chrome`).
 * @example isContextFeature('session_start_hour') // true
 */
export function isContextFeature(name: string): boolean {
  const base = BY_NAME.get(name) ?? BY_NAME.get(name.slice(0, Math.max(0, name.indexOf('='))));
  return base?.context === true;
}

/** A feature's registry entry by name (default-set semantics), or undefined for a column phantom did not define. */
export function featureSpec(name: string): FeatureSpec | undefined {
  const e = BY_NAME.get(name);
  return e === undefined ? undefined : plain(e, 'default');
}

/** Columns of sessions.parquet before the features. */
export const ID_COLUMNS = ['sessionId', 'experimentId'] as const;
export const LABEL_COLUMNS = ['is_agent', 'purchased'] as const;

/** The browser families, in dictionary order. */
export const BROWSER_FAMILIES = ['Chrome', 'Edge', 'Firefox', 'Safari', 'Other', 'Unknown'] as const;
