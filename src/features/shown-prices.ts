/**
 * `--price-logs`: the prices actually shown to each session (topic `price-logs`, docs/contract.md §1) and the
 * shown-price features: shown_price_mean, and shown_markup_mean = mean of shown / base where base is the
 * first non-null event price (the catalog base price) of that product in the same session, time order.
 * Keeping base prices session-local makes the result independent of how events are split into files.
 */
import type { DictColumn } from '../events/table.js';
import { readDictColumn, readNumbers } from '../io/arrow-columns.js';
import { readFiles } from '../sources/files.js';
import { UsageError } from '../errors.js';
import { openParquetBatches } from './load-parquet.js';

export interface PriceLogs {
  length: number;
  sessionId: DictColumn;
  productId: DictColumn;
  price: Float64Array;
  /** rows skipped: no sessionId, no productId or a non-finite price */
  skipped: number;
}

function fromRows(sessions: (string | null)[], products: (string | null)[], prices: number[], skippedBefore: number): PriceLogs {
  const keep: number[] = [];
  for (let i = 0; i < prices.length; i++) if (sessions[i] != null && products[i] != null && Number.isFinite(prices[i])) keep.push(i);
  const dict = (vals: (string | null)[]): DictColumn => {
    const index = new Map<string, number>();
    const d: string[] = [];
    const codes = Int32Array.from(keep, (i) => {
      const v = vals[i]!;
      let c = index.get(v);
      if (c === undefined) index.set(v, (c = d.push(v) - 1));
      return c;
    });
    return { codes, dict: d };
  };
  return { length: keep.length, sessionId: dict(sessions), productId: dict(products), price: Float64Array.from(keep, (i) => prices[i]!), skipped: skippedBefore + prices.length - keep.length };
}

function unwrapPriceLog(value: unknown): Record<string, unknown> | null {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const rec = v as Record<string, unknown>;
  const inner = rec['value'];
  if (!('sessionId' in rec) && typeof inner === 'object' && inner !== null && 'payload' in inner) return unwrapPriceLog((inner as Record<string, unknown>)['payload']);
  return rec;
}

/**
 * Load price logs from Parquet (columns sessionId, productId, price) or JSON-lines / JSON / CSV
 * (flat records or console envelopes).
 * @example const logs = await loadPriceLogs('price-logs.parquet')
 */
export async function loadPriceLogs(path: string): Promise<PriceLogs> {
  const sessions: (string | null)[] = [], products: (string | null)[] = [], prices: number[] = [];
  if (path.toLowerCase().endsWith('.parquet')) {
    const src = await openParquetBatches(path, ['sessionId', 'productId', 'price'], ['sessionId', 'productId', 'price'], 'a price-logs file (sessionId, productId, price)');
    for await (const t of src.batches()) {
      const n = t.numRows;
      const s = readDictColumn(t.getChild('sessionId'), n), p = readDictColumn(t.getChild('productId'), n), pr = readNumbers(t.getChild('price'), n);
      for (let i = 0; i < n; i++) {
        sessions.push(s.codes[i]! < 0 ? null : s.dict[s.codes[i]!]!);
        products.push(p.codes[i]! < 0 ? null : p.dict[p.codes[i]!]!);
        prices.push(pr[i]!);
      }
    }
    return fromRows(sessions, products, prices, 0);
  }
  let bad = 0;
  for await (const batch of readFiles([path])) {
    for (const r of batch) {
      const rec = unwrapPriceLog(r.value);
      if (rec === null) {
        bad++;
        continue;
      }
      const str = (k: string): string | null => (typeof rec[k] === 'string' && rec[k] !== '' ? (rec[k] as string) : null);
      sessions.push(str('sessionId'));
      products.push(str('productId'));
      prices.push(typeof rec['price'] === 'number' ? rec['price'] : NaN);
    }
  }
  if (prices.length === 0 && bad > 0) throw new UsageError(`${path}: no readable price-log record (${bad} unreadable)`);
  return fromRows(sessions, products, prices, bad);
}

/**
 * shown_price_mean and shown_markup_mean per session (NaN = null).
 * @example computeShownPrices(logs, sessionNames, productsSorted, productDict, pricesSorted, starts)
 */
export function computeShownPrices(
  logs: PriceLogs, sessionNames: readonly string[], products: Int32Array, productDict: readonly string[], prices: Float64Array, starts: Int32Array,
): { shown_price_mean: Float64Array; shown_markup_mean: Float64Array } {
  const nSessions = sessionNames.length;
  const sessionIndex = new Map<string, number>();
  for (let s = 0; s < nSessions; s++) sessionIndex.set(sessionNames[s]!, s);
  const sessionOfLog = Int32Array.from(logs.sessionId.dict, (id) => sessionIndex.get(id) ?? -1);
  const productIndex = new Map<string, number>(productDict.map((p, c) => [p, c]));
  const productOfLog = Int32Array.from(logs.productId.dict, (id) => productIndex.get(id) ?? -1);
  // price-log rows grouped by session (counting sort)
  const rowStart = new Int32Array(nSessions + 1);
  for (let r = 0; r < logs.length; r++) {
    const s = sessionOfLog[logs.sessionId.codes[r]!]!;
    if (s >= 0) rowStart[s + 1]!++;
  }
  for (let s = 0; s < nSessions; s++) rowStart[s + 1]! += rowStart[s]!;
  const rows = new Int32Array(rowStart[nSessions]!);
  const fill = rowStart.slice(0, nSessions);
  for (let r = 0; r < logs.length; r++) {
    const s = sessionOfLog[logs.sessionId.codes[r]!]!;
    if (s >= 0) rows[fill[s]!++] = r;
  }
  const shown = new Float64Array(nSessions).fill(NaN), markup = new Float64Array(nSessions).fill(NaN);
  const baseSeen = new Int32Array(productDict.length).fill(-1);
  const base = new Float64Array(productDict.length);
  for (let s = 0; s < nSessions; s++) {
    const r0 = rowStart[s]!, r1 = rowStart[s + 1]!;
    if (r0 === r1) continue;
    for (let k = starts[s]!; k < starts[s + 1]!; k++) {
      const p = products[k]!, price = prices[k]!;
      if (p >= 0 && baseSeen[p] !== s && price === price) {
        baseSeen[p] = s;
        base[p] = price;
      }
    }
    let sum = 0, mSum = 0, mCount = 0;
    for (let j = r0; j < r1; j++) {
      const r = rows[j]!;
      const v = logs.price[r]!;
      sum += v;
      const p = productOfLog[logs.productId.codes[r]!]!;
      if (p >= 0 && baseSeen[p] === s && base[p] !== 0) {
        mSum += v / base[p]!;
        mCount++;
      }
    }
    shown[s] = sum / (r1 - r0);
    markup[s] = mCount > 0 ? mSum / mCount : NaN;
  }
  return { shown_price_mean: shown, shown_markup_mean: markup };
}
