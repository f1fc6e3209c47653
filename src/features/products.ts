/**
 * Product, price and dwell features (docs/features.md, Appendix A). Product-bearing events are those with a
 * non-null productId; prices are their non-null prices (the `original` set reads base_price first and
 * nulls every product column for sessions without products).
 */
import type { FeatureSetName } from './registry.js';

export const PRODUCT_COLUMNS = [
  'unique_products_viewed', 'product_view_depth', 'repeat_product_ratio', 'avg_price_seen', 'min_price_seen', 'max_price_seen',
  'std_price_seen', 'price_range', 'dwell_mean_ms',
] as const;
export type ProductColumns = Record<(typeof PRODUCT_COLUMNS)[number], Float64Array>;

/** Output columns and per-product tables kept between calls (serve computes one session per request into the same arrays). */
export interface ProductsWorkspace {
  /** columns of at least nSessions entries */
  out: ProductColumns;
  seenIn: Int32Array;
  perProduct: Int32Array;
}

/** A workspace for `nSessions` sessions. @example computeProducts(products, n, prices, dwell, starts, 1, 'default', productsWorkspace(1)) */
export function productsWorkspace(nSessions: number, productDictSize = 0): ProductsWorkspace {
  const out = Object.fromEntries(PRODUCT_COLUMNS.map((c) => [c, new Float64Array(nSessions)])) as ProductColumns;
  return { out, seenIn: new Int32Array(productDictSize), perProduct: new Int32Array(productDictSize) };
}

/**
 * Product, price and dwell columns from columns already in session order (written into `ws.out` when a
 * workspace is given).
 * @example computeProducts(products, productDictSize, prices, dwell, starts, nSessions, 'default')
 */
export function computeProducts(
  products: Int32Array, productDictSize: number, prices: Float64Array, dwell: Float64Array, starts: Int32Array, nSessions: number, set: FeatureSetName,
  ws = productsWorkspace(nSessions, productDictSize),
): ProductColumns {
  const out = ws.out;
  if (ws.seenIn.length < productDictSize) {
    ws.seenIn = new Int32Array(Math.max(productDictSize, 2 * ws.seenIn.length));
    ws.perProduct = new Int32Array(ws.seenIn.length);
  }
  const { seenIn, perProduct } = ws;
  seenIn.fill(-1, 0, productDictSize);
  const original = set === 'original';
  for (let s = 0; s < nSessions; s++) {
    const lo = starts[s]!, hi = starts[s + 1]!;
    let bearing = 0, distinct = 0, depth = 0, nPrices = 0, sum = 0, min = Infinity, max = -Infinity, nDwell = 0, dwellSum = 0;
    for (let k = lo; k < hi; k++) {
      const d = dwell[k]!;
      if (d === d) {
        nDwell++;
        dwellSum += d;
      }
      const p = products[k]!;
      if (p < 0) continue;
      bearing++;
      if (seenIn[p] !== s) {
        seenIn[p] = s;
        perProduct[p] = 0;
        distinct++;
      }
      const c = ++perProduct[p]!;
      if (c > depth) depth = c;
      const price = prices[k]!;
      if (price === price) {
        nPrices++;
        sum += price;
        if (price < min) min = price;
        if (price > max) max = price;
      }
    }
    const mean = nPrices > 0 ? sum / nPrices : NaN;
    let std = NaN;
    if (nPrices >= 2) {
      let ss = 0;
      for (let k = lo; k < hi; k++) {
        const price = prices[k]!;
        if (products[k]! >= 0 && price === price) ss += (price - mean) ** 2;
      }
      std = Math.sqrt(ss / (nPrices - 1));
    }
    const none = original && bearing === 0;
    out.unique_products_viewed[s] = none ? NaN : distinct;
    out.product_view_depth[s] = none ? NaN : depth;
    out.repeat_product_ratio[s] = bearing > 0 ? 1 - distinct / bearing : NaN;
    out.avg_price_seen[s] = mean;
    out.min_price_seen[s] = nPrices > 0 ? min : NaN;
    out.max_price_seen[s] = nPrices > 0 ? max : NaN;
    out.std_price_seen[s] = std;
    out.price_range[s] = none ? NaN : nPrices > 0 ? max - min : 0;
    out.dwell_mean_ms[s] = nDwell > 0 ? dwellSum / nDwell : NaN;
  }
  return out;
}
