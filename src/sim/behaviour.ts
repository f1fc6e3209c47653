/**
 * The two classes' behaviour compiled over one shared, sorted state vocabulary: per class a sampling
 * kernel (CDF rows) for the trajectory walk, and per state its role in the shop (which product an event
 * is about) and its demand-proxy weight (CATEGORY_WEIGHTS of its category, docs/contract.md §2).
 *
 * `purchase_complete` is removed from every sampling row: in the market a purchase happens when the
 * economics say so (at `checkout_start`), so events and ground-truth purchases always agree.
 */
import { CATEGORY_WEIGHTS, categoryOf, END, START } from '../events/vocabulary.js';
import type { Profile } from '../generate/profile.js';

export const ROLE = { none: 0, item: 1, cartAdd: 2, cartRemove: 3, checkout: 4, purchase: 5, hover: 6 } as const;

export const PURCHASE_EVENT = 'purchase_complete';
export const CHECKOUT_EVENT = 'checkout_start';

export interface ClassWalk {
  /** next[s]: candidate next states; cumulative[s]: their CDF */
  next: Int32Array[];
  cumulative: Float64Array[];
  /** probability that an item event revisits the current product instead of choosing anew */
  revisit: number;
  maxEvents: number;
}

export interface Behaviour {
  states: string[];
  start: number;
  end: number;
  /** index of purchase_complete (always in the vocabulary) */
  purchase: number;
  role: Uint8Array;
  weight: Float64Array;
  human: ClassWalk;
  agent: ClassWalk;
}

function roleOf(name: string): number {
  if (name === 'view_item_page' || name === 'learn_more_about_item') return ROLE.item;
  if (name === 'add_item_to_cart') return ROLE.cartAdd;
  if (name === 'remove_item') return ROLE.cartRemove;
  if (name === CHECKOUT_EVENT) return ROLE.checkout;
  if (name === PURCHASE_EVENT) return ROLE.purchase;
  if (name.startsWith('hover_over_')) return ROLE.hover;
  return ROLE.none;
}

/** Shared vocabulary of both kernels (sorted, boundary states and purchase_complete included). */
export function sharedStates(kernels: Record<string, Record<string, number>>[], extra: readonly string[] = []): string[] {
  const names = new Set<string>([START, END, PURCHASE_EVENT, ...extra]);
  for (const k of kernels) {
    for (const [src, row] of Object.entries(k)) {
      names.add(src);
      for (const dst of Object.keys(row)) names.add(dst);
    }
  }
  return [...names].sort();
}

function compileWalk(p: Profile, states: string[], index: Map<string, number>): ClassWalk {
  const next: Int32Array[] = [];
  const cumulative: Float64Array[] = [];
  for (const s of states) {
    const entries = Object.entries(p.kernel[s] ?? {}).filter(([d, w]) => w > 0 && d !== PURCHASE_EVENT && index.has(d));
    if (s === END || entries.length === 0) entries.splice(0, entries.length, [END, 1]);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const total = entries.reduce((a, [, w]) => a + w, 0);
    const n = new Int32Array(entries.length), c = new Float64Array(entries.length);
    let acc = 0;
    entries.forEach(([d, w], k) => { n[k] = index.get(d)!; acc += w / total; c[k] = acc; });
    c[c.length - 1] = 1;
    next.push(n);
    cumulative.push(c);
  }
  return { next, cumulative, revisit: p.products.revisit, maxEvents: p.maxEvents };
}

/**
 * Compile the human and agent profiles for the market.
 * @example const b = compileBehaviour({ human: await loadProfile('human'), agent: await loadProfile('agent') })
 */
export function compileBehaviour(profiles: { human: Profile; agent: Profile }, extraStates: readonly string[] = []): Behaviour {
  const states = sharedStates([profiles.human.kernel, profiles.agent.kernel], extraStates);
  const index = new Map(states.map((s, i) => [s, i]));
  return {
    states,
    start: index.get(START)!,
    end: index.get(END)!,
    purchase: index.get(PURCHASE_EVENT)!,
    role: Uint8Array.from(states, roleOf),
    weight: Float64Array.from(states, (s) => (s === START || s === END ? 0 : CATEGORY_WEIGHTS[categoryOf(s)])),
    human: compileWalk(profiles.human, states, index),
    agent: compileWalk(profiles.agent, states, index),
  };
}
