/**
 * The price path's features of one live session, written into arrays kept between requests: the same
 * group kernels `computeSessionFeatures` runs (timing, volume, products, client), fed the session's
 * columns copied in time order into reused buffers, each writing into its reused workspace. A price
 * request then allocates no per-feature column, gathered copy or table. The result is a one-row
 * SessionTable whose arrays are overwritten by the next call: read it before computing another session.
 * It has no `site` / `sessionDate` (not features) and no request or shown-price columns (serve keeps
 * neither). test/serve/live-features.test.ts checks it against computeSessionFeatures on the fixtures.
 */
import { clientWorkspace, computeClient } from '../features/client.js';
import { computeProducts, productsWorkspace } from '../features/products.js';
import { BROWSER_FAMILIES, featureSpecs } from '../features/registry.js';
import type { SessionTable } from '../features/session-table.js';
import { eventBefore } from '../events/session-index.js';
import { computeTiming, timingWorkspace } from '../features/timing.js';
import { computeVolume, volumeWorkspace } from '../features/volume.js';
import type { SessionBuffer } from './session-buffer.js';
import type { FeatureSettings } from './session-features.js';

// positions of the columns in the session buffer's blocks (session-buffer.ts FLOATS / DICTS)
const TS = 0, PRICE = 1, PRICE_BASE_FIRST = 2, DWELL = 3, OFFSET = 4;
const EVENT_NAME = 0, PAGE = 1, PRODUCT = 2, USER_AGENT = 3, EXPERIMENT = 4, LABEL = 5;

/** Reused per-event buffers, in time order; grown by doubling. */
class EventColumns {
  ts = new Float64Array(64);
  prices = new Float64Array(64);
  dwell = new Float64Array(64);
  names = new Int32Array(64);
  pages = new Int32Array(64);
  products = new Int32Array(64);
  /** the time order of an out-of-order session (sessionOrder) */
  order = new Uint32Array(64);

  fit(n: number): void {
    if (n <= this.ts.length) return;
    const size = Math.max(n, 2 * this.ts.length);
    this.ts = new Float64Array(size);
    this.prices = new Float64Array(size);
    this.dwell = new Float64Array(size);
    this.names = new Int32Array(size);
    this.pages = new Int32Array(size);
    this.products = new Int32Array(size);
    this.order = new Uint32Array(size);
  }
}

/**
 * A feature workspace for one feature setting (one per scorer; not shared across concurrent callers —
 * the computation is synchronous).
 * @example const live = new LiveFeatures(settings); const table = live.compute(buffer); table.columns['cart_adds']![0]
 */
export class LiveFeatures {
  /** the one-row table each `compute` overwrites */
  readonly table: SessionTable;
  private readonly timing = timingWorkspace(1);
  private readonly volume = volumeWorkspace(1);
  private readonly products = productsWorkspace(1);
  private readonly client = clientWorkspace(1);
  private readonly events = new EventColumns();
  private readonly starts = new Int32Array(2);
  private readonly firstUa = new Int32Array(1);
  /** the table's numeric columns, in feature order (for the fill policy) */
  private readonly numeric: Float64Array[];

  constructor(private readonly settings: FeatureSettings) {
    const set = settings.featureSet;
    // serve's events carry no request columns and it has no price logs: the cached spec list
    const features = featureSpecs(set, { priceLogs: false, requestColumns: set === 'default' ? new Set() : undefined });
    // later groups first, as computeSessionFeatures looks columns up
    const groups: Record<string, Float64Array>[] = [
      { is_headless: this.client.out.is_headless, is_automation: this.client.out.is_automation }, this.products.out, this.volume.out, { ...this.timing.out },
    ];
    const columns: Record<string, Float64Array> = {};
    for (const f of features) {
      if (f.dtype === 'category') continue;
      const v = groups.find((g) => g[f.name] !== undefined)?.[f.name];
      if (v === undefined) throw new Error(`live features: no group computes ${f.name}`);
      columns[f.name] = v;
    }
    this.numeric = Object.values(columns);
    this.table = {
      featureSet: set, features, nSessions: 1, sessionIds: [''], experimentIds: [null], isAgent: new Int8Array(1), purchased: new Int8Array(1), columns,
      categories: { browser_family: { codes: this.client.out.browser_family, dict: [...BROWSER_FAMILIES] } },
    };
  }

  /**
   * The session's features into `this.table` (returned).
   * @example live.compute(session.buffer).columns['total_events']![0]
   */
  compute(buffer: SessionBuffer): SessionTable {
    const n = buffer.length, set = this.settings.featureSet;
    const stride = buffer.stride, f = buffer.floatBlock, c = buffer.intBlock, e = this.events;
    e.fit(n);
    // events arrive in time order: then the sort of computeSessionFeatures is the identity (strictly
    // increasing ts leaves no tie for the offset or position to break); otherwise ask it for the order
    let sorted = true;
    for (let i = 1; i < n; i++) if (!(f[i]! > f[i - 1]!)) { sorted = false; break; }
    const order = sorted ? null : sessionOrder(buffer, e.order);
    const priceCol = (set === 'original' ? PRICE_BASE_FIRST : PRICE) * stride;
    let firstUa = -1, firstExperiment = -1, labels = 0; // labels: bit 1 an agent event, bit 2 a human one
    for (let k = 0; k < n; k++) {
      const i = order === null ? k : order[k]!;
      e.ts[k] = f[TS * stride + i]!;
      e.prices[k] = f[priceCol + i]!;
      e.dwell[k] = f[DWELL * stride + i]!;
      e.names[k] = c[EVENT_NAME * stride + i]!;
      e.pages[k] = c[PAGE * stride + i]!;
      e.products[k] = c[PRODUCT * stride + i]!;
      if (firstUa < 0) firstUa = c[USER_AGENT * stride + i]!;
      if (firstExperiment < 0) firstExperiment = c[EXPERIMENT * stride + i]!;
      const label = c[LABEL * stride + i]!;
      if (label >= 0) labels |= label === 1 ? 1 : 2;
    }
    this.starts[1] = n;
    computeTiming(e.ts, this.starts, 1, this.settings.timeoutSec, set, this.timing);
    const nameDict = buffer.dictValues(EVENT_NAME);
    computeVolume(e.names, nameDict, e.pages, buffer.dictValues(PAGE).length, this.starts, 1, this.volume);
    computeProducts(e.products, buffer.dictValues(PRODUCT).length, e.prices, e.dwell, this.starts, 1, set, this.products);
    this.firstUa[0] = firstUa;
    computeClient(this.firstUa, buffer.dictValues(USER_AGENT), set, this.client);
    const fill = this.settings.fillMissing;
    if (fill !== null) for (const v of this.numeric) if (v[0] !== v[0]) v[0] = fill;
    const t = this.table;
    t.sessionIds[0] = buffer.sessionId;
    t.experimentIds[0] = firstExperiment < 0 ? null : buffer.dictValues(EXPERIMENT)[firstExperiment]!;
    // the one label policy (docs/contract.md §3.1): a session carrying both labels is unlabelled
    t.isAgent[0] = labels === 1 ? 1 : labels === 2 ? 0 : -1;
    t.purchased[0] = this.volume.out.purchases[0]! > 0 ? 1 : 0;
    return t;
  }
}

/**
 * The batch order of a session whose events arrived out of time order, written into `into`: the one event
 * order of session-index.ts (ts, source offset with nulls last, position), by its own comparator
 * `eventBefore` — a total order, so this sort gives exactly indexSessions' order — on the buffer's columns
 * in place (insertion sort up to 48 events as there, else a comparator sort). Copies nothing but two views.
 */
function sessionOrder(buffer: SessionBuffer, into: Uint32Array): Uint32Array {
  const n = buffer.length, stride = buffer.stride, f = buffer.floatBlock;
  const ts = f.subarray(TS * stride, TS * stride + n), off = f.subarray(OFFSET * stride, OFFSET * stride + n);
  const order = into.subarray(0, n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n > 48) return order.sort((a, b) => (eventBefore(a, b, ts, off) ? -1 : eventBefore(b, a, ts, off) ? 1 : 0));
  for (let k = 1; k < n; k++) {
    const v = order[k]!;
    let j = k - 1;
    while (j >= 0 && eventBefore(v, order[j]!, ts, off)) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = v;
  }
  return order;
}
