/**
 * Markov states of docs/method.md: one state label per event (`--state event|category|event+page|event+product`),
 * encoded against one shared, sorted vocabulary that includes the `<start>`/`<end>` boundary states.
 */
import { categoryOf } from '../events/vocabulary.js';
import type { DictColumn, EventsTable } from '../events/table.js';
import { END, START } from '../events/vocabulary.js';

export const STATE_MODES = ['event', 'category', 'event+page', 'event+product'] as const;
export type StateMode = (typeof STATE_MODES)[number];

/** Boundary pseudo-states (the same constants the generator's profiles use). */
export { END, START };

/** Separator of composite states, e.g. `view_item_page|hotel-suite`; a null page/product prints as `-`. */
export const STATE_SEPARATOR = '|';

/** Dense kernels are V×V per class; beyond this a coarser `--state` is the answer, not more memory. */
export const MAX_STATES = 2048;

export interface StateEncoding {
  /** sorted state labels (boundary states included when on) */
  vocabulary: string[];
  /** state index of every event row (−1 for rows without an event name) */
  stateOf: Int32Array;
  /** index of `<start>` / `<end>`, −1 without boundary states */
  start: number;
  end: number;
}

function label(mode: StateMode, event: string, extra: DictColumn, code: number): string {
  if (mode === 'event') return event;
  if (mode === 'category') return categoryOf(event);
  return `${event}${STATE_SEPARATOR}${code < 0 ? '-' : extra.dict[code]!}`;
}

/** Sorted union of state labels with boundary states added when asked (the shared vocabulary). */
export function sortedVocabulary(labels: Iterable<string>, boundary: boolean): string[] {
  const set = new Set(labels);
  if (boundary) {
    set.add(START);
    set.add(END);
  }
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Encode each event's state. Distinct (event, page/product) code pairs are labelled once, then the labels
 * are sorted into the vocabulary and every row remapped to its sorted index.
 * @example encodeStates(table, 'event', true).vocabulary; // ['<end>', '<start>', 'add_item_to_cart', …]
 */
export function encodeStates(table: EventsTable, mode: StateMode, boundary: boolean): StateEncoding {
  const n = table.length;
  const events = table.eventName;
  const extra = mode === 'event+page' ? table.page : table.productId;
  const composite = mode === 'event+page' || mode === 'event+product';
  const width = composite ? extra.dict.length + 1 : 1;
  const provisional = new Int32Array(n);
  const idOfKey = new Map<number, number>();
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = events.codes[i]!;
    if (e < 0) {
      provisional[i] = -1;
      continue;
    }
    const x = composite ? extra.codes[i]! : -1;
    const key = e * width + (x + 1);
    let id = idOfKey.get(key);
    if (id === undefined) {
      id = labels.length;
      labels.push(label(mode, events.dict[e]!, extra, x));
      idOfKey.set(key, id);
    }
    provisional[i] = id;
  }
  const vocabulary = sortedVocabulary(labels, boundary);
  const index = new Map(vocabulary.map((s, k) => [s, k]));
  const remap = Int32Array.from(labels, (s) => index.get(s)!);
  const stateOf = new Int32Array(n);
  for (let i = 0; i < n; i++) stateOf[i] = provisional[i]! < 0 ? -1 : remap[provisional[i]!]!;
  return { vocabulary, stateOf, start: boundary ? index.get(START)! : -1, end: boundary ? index.get(END)! : -1 };
}
