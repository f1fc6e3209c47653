/**
 * The event vocabulary and categories of docs/contract.md §2 — the single source of truth.
 * Everything that needs an event name, a category or a demand weight imports it from here.
 */
export const CATEGORIES = ['nav', 'cart', 'filter', 'dwell', 'session', 'request', 'unknown'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Named events per category (dwell also covers any other `hover_over_*`). */
export const EVENTS_BY_CATEGORY: Readonly<Record<Exclude<Category, 'unknown'>, readonly string[]>> = {
  nav: ['page_view', 'view_item_page', 'learn_more_about_item'],
  cart: ['add_item_to_cart', 'remove_item', 'checkout_start', 'purchase_complete'],
  filter: ['search', 'filter_for_date', 'filter_for_amenities', 'filter_for_price', 'sort_change'],
  dwell: ['hover_over_title', 'hover_over_paragraph', 'hover_over_link', 'hover_over_button'],
  session: ['session_start'],
  // every access-log request that no --event-rules rule names and that is not a page (assets, API calls, beacons…)
  request: ['request'],
};

/** Every named event, in category order. */
export const KNOWN_EVENTS: readonly string[] = Object.values(EVENTS_BY_CATEGORY).flat();

/**
 * Demand-proxy weight per category, applied to every event of the category (docs/contract.md §2; the original
 * study mapped checkout_start, remove_item, purchase_complete and sort_change to 1.0 by accident).
 */
export const CATEGORY_WEIGHTS: Readonly<Record<Category, number>> = {
  cart: 4.0,
  dwell: 2.0,
  nav: 1.0,
  filter: 0.5,
  session: 0,
  request: 0,
  unknown: 1.0,
};

const CATEGORY_OF = new Map<string, Category>();
for (const [cat, names] of Object.entries(EVENTS_BY_CATEGORY)) {
  for (const name of names) CATEGORY_OF.set(name, cat as Category);
}

/** Category of an event name; any `hover_over_*` is dwell, anything unlisted is `unknown`. */
export function categoryOf(eventName: string): Category {
  const c = CATEGORY_OF.get(eventName);
  if (c !== undefined) return c;
  return eventName.startsWith('hover_over_') ? 'dwell' : 'unknown';
}

/** True when the name is outside the vocabulary (counted and reported, never dropped). */
export function isUnknownEvent(eventName: string): boolean {
  return categoryOf(eventName) === 'unknown';
}

/** Item views for features: `view_item_page` and `learn_more_about_item`. */
export const ITEM_VIEW_EVENTS: readonly string[] = ['view_item_page', 'learn_more_about_item'];

/** The boundary states that wrap every trajectory (kernels, generate's profiles, the simulator; docs/method.md). */
export const START = '<start>';
export const END = '<end>';
