/**
 * Samples generated sessions straight into the columns of an EventsBuilder: a Markov walk over the
 * profile's kernel from `<start>` to `<end>`, log-normal gaps, product choice with revisits, hover dwell,
 * a cart, and a user agent per session. Every session has its own seeded generator (plan.ts).
 */
import { EventsBuilder, type EventsTable } from '../events/table.js';
import { createRng, type Rng } from '../stats/rng.js';
import { DATE_SLOTS, type Product } from './catalog.js';
import { sessionSeed, type SessionPlan } from './plan.js';
import { compileKernel, type CompiledKernel } from './compiled-kernel.js';
import type { Profile } from './profile.js';
import { AUTOMATION_AGENTS, HEADFUL_AGENTS, HEADLESS_AGENTS } from './user-agents.js';

export interface GeneratorContext {
  seed: number;
  plan: SessionPlan;
  profiles: { human: Profile; agent: Profile };
  catalogs: Map<string, Product[]>;
  /** write is_agent into the events (false: leave it null, to be joined from experiments) */
  labels: boolean;
}

type Role = 'nav' | 'item' | 'cart-add' | 'cart-remove' | 'checkout' | 'purchase' | 'hover' | 'filter' | 'search' | 'other';

function roleOf(name: string): Role {
  if (name === 'page_view') return 'nav';
  if (name === 'view_item_page' || name === 'learn_more_about_item') return 'item';
  if (name === 'add_item_to_cart') return 'cart-add';
  if (name === 'remove_item') return 'cart-remove';
  if (name === 'checkout_start') return 'checkout';
  if (name === 'purchase_complete') return 'purchase';
  if (name.startsWith('hover_over_')) return 'hover';
  if (name.startsWith('filter_for_') || name === 'sort_change') return 'filter';
  if (name === 'search') return 'search';
  return 'other';
}

const QUERIES = ['suite', 'king bed', 'cheap flight', 'ocean view', 'business class', 'weekend'];

interface ClassModel {
  profile: Profile;
  /** the profile's store modes that have a catalog, with their weights */
  modes: [string, number][];
  kernel: CompiledKernel;
  roles: Role[];
  /** builder code of each kernel state's event name */
  nameCode: Int32Array;
}

function pick(rng: Rng, cumulative: Float64Array): number {
  const u = rng.next();
  for (let k = 0; k < cumulative.length; k++) if (u < cumulative[k]!) return k;
  return cumulative.length - 1;
}

function pickWeighted<T>(rng: Rng, entries: [T, number][]): T {
  const total = entries.reduce((a, [, w]) => a + w, 0);
  let u = rng.next() * total;
  let last: T | undefined;
  for (const [v, w] of entries) {
    if ((u -= w) < 0) return v;
    last = v;
  }
  if (last === undefined) throw new Error('pickWeighted: no entries to pick from');
  return last; // rounding left u at 0 after the last weight
}

function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  const l = Math.exp(-mean);
  let k = 0, p = rng.next();
  while (p > l) {
    k++;
    p *= rng.next();
  }
  return k;
}

function userAgent(rng: Rng, p: Profile): string | null {
  const u = rng.next();
  const { missing, headless, automation } = p.userAgents;
  if (u < missing) return null;
  if (u < missing + headless) return HEADLESS_AGENTS[rng.int(HEADLESS_AGENTS.length)]!;
  if (u < missing + headless + automation) return AUTOMATION_AGENTS[rng.int(AUTOMATION_AGENTS.length)]!;
  return HEADFUL_AGENTS[rng.int(HEADFUL_AGENTS.length)]!;
}

/**
 * Per-chunk caches of the strings events repeat: page paths as dictionary codes, and metadata texts
 * interned so a chunk holds one copy of each distinct text (a fresh string per event would survive
 * until the chunk is flushed, and copying ~10⁶ of them through the young generation cost as much as
 * sampling them).
 */
/** dwell values cached by number per product and date slot (larger or fractional ones by text) */
const DWELL_KEYS = 1 << 20;

class ChunkStrings {
  private readonly productPages = new Map<Product, number>();
  private readonly modePages = new Map<string, Record<'products' | 'cart' | 'checkout', number>>();
  private readonly texts = new Map<string, string>();
  private readonly productCodes = new Map<Product, number>();
  constructor(private readonly b: EventsBuilder) {}
  /** dictionary code of a page path (each path built once per chunk); products carry their store mode */
  page(mode: string, kind: 'products' | 'cart' | 'checkout', product: Product | null): number {
    const d = this.b.dicts.page;
    if (product !== null) {
      let code = this.productPages.get(product);
      if (code === undefined) this.productPages.set(product, (code = d.intern(`/${mode}/products/${product.id}`)));
      return code;
    }
    let codes = this.modePages.get(mode);
    if (codes === undefined) {
      codes = { products: d.intern(`/${mode}/products`), cart: d.intern(`/${mode}/cart`), checkout: d.intern(`/${mode}/checkout`) };
      this.modePages.set(mode, codes);
    }
    return codes[kind];
  }
  private readonly productTexts = new Map<Product, Map<number, string>>();
  private readonly bannerTexts = new Map<number, string>();
  private readonly smallTexts = new Map<string, string[]>();

  /** dictionary code of a product's id */
  product(prod: Product): number {
    let code = this.productCodes.get(prod);
    if (code === undefined) this.productCodes.set(prod, (code = this.b.dicts.productId.intern(prod.id)));
    return code;
  }

  /** metadata of a product event: date slot −1 for none, dwell NaN for none (cached by number, not by text) */
  productText(prod: Product, date: number, dwell: number): string {
    const build = (): string => {
      const [ak, av] = prod.attribute;
      return `{"price":${prod.basePrice},"${ak}":"${av}"${date < 0 ? '' : `,"dateIndex":${date}`}${Number.isNaN(dwell) ? '' : `,"dwellTime":${dwell}`}}`;
    };
    const d = Number.isNaN(dwell) ? 0 : dwell + 1;
    if (!(Number.isInteger(d) && d >= 0 && d < DWELL_KEYS)) return this.text(build());
    let texts = this.productTexts.get(prod);
    if (texts === undefined) this.productTexts.set(prod, (texts = new Map()));
    const key = (date + 1) * DWELL_KEYS + d;
    let text = texts.get(key);
    if (text === undefined) texts.set(key, (text = build()));
    return text;
  }

  /** metadata of a hover outside an item page */
  bannerText(dwell: number): string {
    let text = this.bannerTexts.get(dwell);
    if (text === undefined) this.bannerTexts.set(dwell, (text = `{"dwellTime":${dwell},"elementText":"banner"}`));
    return text;
  }

  /** one of a few fixed texts (filter dates, search queries), by kind and index */
  small(kind: string, i: number, build: (i: number) => string): string {
    let texts = this.smallTexts.get(kind);
    if (texts === undefined) this.smallTexts.set(kind, (texts = []));
    return (texts[i] ??= build(i));
  }

  /** the chunk's single copy of a metadata text */
  text(value: string): string {
    const hit = this.texts.get(value);
    if (hit !== undefined) return hit;
    this.texts.set(value, value);
    return value;
  }
}

/**
 * Generate sessions [from, to) of the plan as one events table chunk.
 * @example const chunk = generateChunk(ctx, 0, 1000)
 */
export function generateChunk(ctx: GeneratorContext, from: number, to: number): EventsTable {
  const b = new EventsBuilder(Math.max(1024, (to - from) * 16));
  const d = b.dicts;
  const strings = new ChunkStrings(b);
  const classModel = (profile: Profile): ClassModel => {
    const kernel = compileKernel(profile);
    const modes = Object.entries(profile.storeModes).filter(([mode]) => ctx.catalogs.has(mode));
    return { profile, modes, kernel, roles: kernel.states.map(roleOf), nameCode: Int32Array.from(kernel.states, (s) => d.eventName.intern(s)) };
  };
  const human = classModel(ctx.profiles.human), agent = classModel(ctx.profiles.agent);
  // the order products are discovered in, reused by every session (reset to the identity per session)
  let order = new Int32Array(0);
  for (let s = from; s < to; s++) {
    const cls = ctx.plan.isAgent[s]!;
    const m = cls === 1 ? agent : human;
    const p = m.profile;
    const rng = createRng(sessionSeed(ctx.seed, s));
    const rand = rng.next();
    const sid = `s${(Math.floor(rand * 0xffffffff) >>> 0).toString(16).padStart(8, '0')}-${s.toString(36).padStart(5, '0')}`;
    const sidCode = d.sessionId.fresh(sid); // session ids are unique: no lookup
    const expCode = d.experimentId.intern(ctx.plan.experimentId(ctx.plan.experiment[s]!));
    const mode = pickWeighted(rng, m.modes);
    const modeCode = d.storeMode.intern(mode);
    const catalog = ctx.catalogs.get(mode)!;
    const uaCode = d.userAgent.intern(userAgent(rng, p));
    const label = ctx.labels ? cls : -1;
    // the products this session will look at, in the order it discovers them
    const distinct = Math.min(catalog.length, 1 + poisson(rng, p.products.meanDistinct - 1));
    if (order.length < catalog.length) order = new Int32Array(catalog.length);
    for (let i = 0; i < catalog.length; i++) order[i] = i;
    for (let i = 0; i < distinct; i++) {
      const j = i + rng.int(catalog.length - i);
      const o = order[i]!;
      order[i] = order[j]!;
      order[j] = o;
    }
    let discovered = 0, current = -1, cartItems = 0, cartTotal = 0;
    let page = strings.page(mode, 'products', null);
    let onItemPage = false;
    let t = ctx.plan.startMs[s]!;
    let state = m.kernel.start;
    const gapMu = Math.log(p.gapSeconds.median), gapSigma = p.gapSeconds.sigma;
    for (let e = 0; e < p.maxEvents; e++) {
      const k = pick(rng, m.kernel.cumulative[state]!);
      const next = m.kernel.next[state]![k]!;
      if (next === m.kernel.end) break;
      state = next;
      if (e > 0) t += Math.round(Math.exp(gapMu + gapSigma * rng.normal()) * 1000);
      const role = m.roles[state]!;
      let product = -1;
      let meta: string | null = null;
      let dwell = NaN;
      if (role === 'item' || role === 'cart-add' || (role === 'cart-remove' && current >= 0)) {
        if (role !== 'cart-remove') {
          const revisit = discovered > 0 && (discovered >= distinct || rng.next() < p.products.revisit);
          current = revisit ? order[rng.int(discovered)]! : order[discovered++]!;
        }
        product = current;
      } else if (role === 'hover' && onItemPage) {
        product = current;
      }
      const prod = product >= 0 ? catalog[product]! : null;
      switch (role) {
        case 'nav': page = strings.page(mode, 'products', null); onItemPage = false; break;
        case 'item': page = strings.page(mode, 'products', prod); onItemPage = true; break;
        case 'cart-add': page = strings.page(mode, 'cart', null); onItemPage = false; cartItems++; cartTotal += prod!.basePrice; break;
        case 'cart-remove': page = strings.page(mode, 'cart', null); onItemPage = false; if (cartItems > 0 && prod) { cartItems--; cartTotal -= prod.basePrice; } break;
        case 'checkout': case 'purchase': page = strings.page(mode, 'checkout', null); onItemPage = false; meta = strings.text(`{"total":${Math.round(cartTotal * 100) / 100},"itemCount":${cartItems}}`); break;
        case 'hover': dwell = p.dwellMs.min + rng.int(Math.floor(p.dwellMs.max - p.dwellMs.min) + 1); break;
        case 'filter': page = strings.page(mode, 'products', null); onItemPage = false; meta = strings.small('filter', rng.int(DATE_SLOTS), (k) => `{"dateIndex":${k}}`); break;
        case 'search': page = strings.page(mode, 'products', null); onItemPage = false; meta = strings.small('search', rng.int(QUERIES.length), (k) => `{"query":"${QUERIES[k]}"}`); break;
        default: break;
      }
      if (prod) meta = strings.productText(prod, mode === 'hotel' ? rng.int(DATE_SLOTS) : -1, dwell);
      else if (!Number.isNaN(dwell)) meta = strings.bannerText(dwell);
      const i = b.reserve();
      d.sessionId.codes[i] = sidCode;
      d.experimentId.codes[i] = expCode;
      d.eventName.codes[i] = m.nameCode[state]!;
      d.page.codes[i] = page;
      d.productId.codes[i] = prod ? strings.product(prod) : -1;
      d.storeMode.codes[i] = modeCode;
      d.userAgent.codes[i] = uaCode;
      d.srcTopic.codes[i] = -1;
      const f = b.floats;
      f.ts[i] = t;
      f.price[i] = prod ? prod.basePrice : NaN;
      f.dwellMs[i] = dwell;
      f.srcOffset[i] = NaN;
      f.srcTs[i] = NaN;
      b.metadata[i] = meta;
      b.isAgent[i] = label;
      b.srcPartition[i] = -1;
    }
  }
  return b.flush();
}
