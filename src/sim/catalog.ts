/**
 * The simulated market's catalog: product ids, base prices p0, optional inventory (units for the whole
 * run; absent = unlimited), and the price bounds p_min = floor·p0, p_max = cap·p0. Plain data, so it can
 * be handed to worker threads. Sources: the original study's storefront (default), N random products,
 * or a file (`--catalog`: CSV with id,base_price[,inventory] or a JSON array of {id, basePrice, inventory?}).
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { defaultCatalog, randomCatalog } from '../generate/catalog.js';
import { printableHeader, readCsvRows } from '../io/csv.js';
import { readFailure } from '../io/read-failure.js';
import { createRng } from '../stats/rng.js';

export interface SimCatalog {
  ids: string[];
  basePrices: number[];
  /** units for the whole run per product; null = unlimited */
  inventory: number[] | null;
  floor: number;
  cap: number;
}

export const BOUNDS_DEFAULTS = { floor: 0.7, cap: 1.5 } as const;

/** The original study's six hotel rooms and ten flights (docs/generate.md). */
export function studySimCatalog(floor: number = BOUNDS_DEFAULTS.floor, cap: number = BOUNDS_DEFAULTS.cap): SimCatalog {
  const products = [...defaultCatalog('hotel'), ...defaultCatalog('airline')];
  return checkBounds({ ids: products.map((p) => p.id), basePrices: products.map((p) => p.basePrice), inventory: null, floor, cap });
}

/**
 * N products with log-uniform base prices in [lo, hi] (seeded).
 * @example randomSimCatalog(100, 50, 500, 42)
 */
export function randomSimCatalog(n: number, lo: number, hi: number, seed: number, floor: number = BOUNDS_DEFAULTS.floor, cap: number = BOUNDS_DEFAULTS.cap): SimCatalog {
  if (!(lo > 0 && hi >= lo)) throw new UsageError(`--base-price-range needs 0 < a <= b, got ${lo}:${hi}`);
  const products = randomCatalog('shop', n, createRng(seed), lo, hi);
  return checkBounds({ ids: products.map((p) => p.id), basePrices: products.map((p) => p.basePrice), inventory: null, floor, cap });
}

/** Read a catalog file (CSV or JSON). Every bad row is reported at once (the first five in the message). */
export async function readSimCatalog(path: string, floor: number = BOUNDS_DEFAULTS.floor, cap: number = BOUNDS_DEFAULTS.cap): Promise<SimCatalog> {
  const rows: { id: unknown; basePrice: unknown; inventory: unknown }[] = [];
  if (/\.json$/i.test(path)) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(path, 'utf8'));
    } catch (err) {
      throw new UsageError(`--catalog ${path}: ${readFailure(err)}`);
    }
    if (!Array.isArray(value)) throw new UsageError(`--catalog ${path}: expected a JSON array of {id, basePrice, inventory?}`);
    for (const r of value as Record<string, unknown>[]) rows.push({ id: r?.['id'], basePrice: r?.['basePrice'] ?? r?.['base_price'], inventory: r?.['inventory'] });
  } else {
    let header: string[] | null = null;
    try {
      for await (const cells of readCsvRows(path)) {
        if (header === null) {
          header = cells.map((c) => c.trim());
          if (!header.includes('id') || !(header.includes('base_price') || header.includes('basePrice'))) {
            throw new UsageError(`--catalog ${path}: needs the columns id and base_price (inventory optional); found ${printableHeader(header)}`);
          }
          continue;
        }
        if (cells.length === 1 && cells[0] === '') continue;
        const get = (name: string) => { const k = header!.indexOf(name); return k >= 0 && cells[k] !== '' ? cells[k] : undefined; };
        rows.push({ id: get('id'), basePrice: Number(get('base_price') ?? get('basePrice')), inventory: get('inventory') === undefined ? undefined : Number(get('inventory')) });
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`--catalog ${path}: ${readFailure(err)}`);
    }
  }
  const problems: string[] = [];
  rows.forEach((r, i) => {
    if (typeof r.id !== 'string' || r.id === '') problems.push(`row ${i + 1}: id missing`);
    if (typeof r.basePrice !== 'number' || !(r.basePrice > 0)) problems.push(`row ${i + 1}: base price must be a positive number`);
    if (r.inventory !== undefined && r.inventory !== null && !(typeof r.inventory === 'number' && r.inventory >= 0)) problems.push(`row ${i + 1}: inventory must be a non-negative number`);
  });
  if (rows.length === 0) problems.push('no products');
  // every problem at once, but one readable line: the first few and a count
  if (problems.length > 0) throw new UsageError(`--catalog ${path}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; … ${problems.length - 5} more` : ''}`);
  const hasInventory = rows.some((r) => typeof r.inventory === 'number');
  return checkBounds({
    ids: rows.map((r) => r.id as string),
    basePrices: rows.map((r) => r.basePrice as number),
    inventory: hasInventory ? rows.map((r) => (typeof r.inventory === 'number' ? r.inventory : Infinity)) : null,
    floor,
    cap,
  });
}

function checkBounds(c: SimCatalog): SimCatalog {
  if (!(c.floor > 0 && c.cap >= c.floor)) throw new UsageError(`--floor/--cap need 0 < floor <= cap, got ${c.floor} and ${c.cap}`);
  return c;
}
