/**
 * Product catalogs for generated sessions. Default: the original study's storefront (docs/generate.md) —
 * six hotel room types (450, 280, 180, 140, 110, 85; 14 date slots) and ten flights from 120 to 1,850.
 * `--products N` draws N products per store mode with log-uniform base prices instead.
 */
import type { Rng } from '../stats/rng.js';

export interface Product {
  id: string;
  storeMode: string;
  basePrice: number;
  /** extra metadata written on product events (roomType, cabinClass) */
  attribute: [string, string];
}

const ROOMS: [string, number][] = [['presidential-suite', 450], ['executive-suite', 280], ['deluxe-king', 180], ['superior-queen', 140], ['standard-double', 110], ['economy-single', 85]];
const FLIGHT_PRICES = [120, 185, 240, 310, 420, 560, 740, 980, 1350, 1850];
const CABINS = ['economy', 'economy', 'economy', 'premium', 'premium', 'business', 'business', 'business', 'first', 'first'];
/** The hotel storefront's date slots (`metadata.dateIndex` ranges over 0..13). */
export const DATE_SLOTS = 14;

/** The study's catalog for a store mode (`hotel`, `airline`; anything else gets a generic shop). */
export function defaultCatalog(storeMode: string): Product[] {
  if (storeMode === 'hotel') return ROOMS.map(([room, price]) => ({ id: `hotel-${room}`, storeMode, basePrice: price, attribute: ['roomType', room] }));
  if (storeMode === 'airline') {
    return FLIGHT_PRICES.map((price, i) => ({ id: `flight-PH${100 + i * 7}`, storeMode, basePrice: price, attribute: ['cabinClass', CABINS[i]!] }));
  }
  return FLIGHT_PRICES.map((price, i) => ({ id: `${storeMode}-item-${i + 1}`, storeMode, basePrice: price / 10, attribute: ['category', 'general'] }));
}

/** N products with log-uniform base prices in [lo, hi], rounded to cents. */
export function randomCatalog(storeMode: string, n: number, rng: Rng, lo = 80, hi = 2000): Product[] {
  const out: Product[] = [];
  for (let i = 0; i < n; i++) {
    const price = Math.round(Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo))) * 100) / 100;
    out.push({ id: `${storeMode}-p${String(i + 1).padStart(4, '0')}`, storeMode, basePrice: price, attribute: ['category', `c${i % 7}`] });
  }
  return out;
}
