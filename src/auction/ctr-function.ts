/**
 * The known CTR function of the simulated market (docs/auction.md, "CTR"): a logistic model over
 * Avazu-style columns whose effects are drawn once from a fixed seed, so generated impressions have a
 * ground truth a trained model can be checked against. Placements (everything but time) are drawn from
 * the same distributions for the impressions table and for the market's ad opportunities.
 */
import { createRng, type Rng } from '../stats/rng.js';

/** Model features, in this order, for every CTR model phantom trains or loads. */
export const CTR_FEATURES = ['hour_of_day', 'day_of_week', 'banner_pos', 'device_type', 'device_conn_type', 'site_category', 'app_category', 'C14', 'C15', 'C16', 'C17', 'C18', 'C19', 'C20', 'C21'] as const;
export const CTR_FEATURE_COUNT = CTR_FEATURES.length;

export const SITE_CATEGORIES = ['28905ebd', '50e219e0', 'f028772b', '3e814130', 'f66779e6', '75fa27f6', '335d28a8', '76b2941d'];
export const APP_CATEGORIES = ['07d7df22', '0f2161f8', 'cef3e649', '8ded1f7a', 'f95efa07', 'd1327cf5'];
const BANNER = [0, 1], DEVICE = [1, 0, 4, 5], CONN = [0, 2, 3, 5], C18 = [0, 1, 2, 3], C21 = [23, 33, 79, 157, 221, 117];
const C14 = Array.from({ length: 24 }, (_, k) => 15_700 + 331 * k);
const SIZES = [[320, 50], [300, 250], [728, 90], [216, 36]] as const;

/** The seed of the known function's effects (fixed: the function is part of the method). */
export const CTR_FUNCTION_SEED = 20_141_021;

interface Effects { base: number; hour: number; banner: number[]; device: number[]; conn: number[]; site: number[]; app: number[]; c14: number[]; c18: number[]; c21: number[]; size: number[] }

function drawEffects(): Effects {
  const r = createRng(CTR_FUNCTION_SEED);
  const e = (k: number, sd: number) => Array.from({ length: k }, () => sd * r.normal());
  return { base: -2.6, hour: 0.25, banner: [0, 0.35], device: e(4, 0.3), conn: e(4, 0.2), site: e(8, 0.45), app: e(6, 0.35), c14: e(24, 0.5), c18: e(4, 0.25), c21: e(6, 0.3), size: e(4, 0.3) };
}
const EFFECTS = drawEffects();

/** FNV-1a of a category string, reduced to 24 bits so the code is exact in float32 (xgboost's storage). */
export function categoryCode(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0xffffff;
}

/** Placements: every CTR feature but hour and day, as indices into the value lists plus the model row. */
export interface Placements {
  count: number;
  /** index-coded: banner, device, conn, site, app, c14, c18, c21, size per placement (9 per row) */
  codes: Int32Array;
  /** the known function's logit without the hour term, per placement */
  logit: Float64Array;
}

const PICK = { banner: [0.72, 0.28], device: [0.8, 0.12, 0.05, 0.03], conn: [0.85, 0.08, 0.05, 0.02] };
function pick(r: Rng, probs: number[]): number {
  let u = r.next();
  for (let k = 0; k < probs.length - 1; k++) { u -= probs[k]!; if (u < 0) return k; }
  return probs.length - 1;
}

/** Draw `count` placements from the market's distributions. @example drawPlacements(64, createRng(1)) */
export function drawPlacements(count: number, rng: Rng): Placements {
  const codes = new Int32Array(count * 9), logit = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    const c = [pick(rng, PICK.banner), pick(rng, PICK.device), pick(rng, PICK.conn), rng.int(8), rng.int(6), rng.int(24), rng.int(4), rng.int(6), rng.int(4)];
    codes.set(c, p * 9);
    const E = EFFECTS;
    logit[p] = E.base + E.banner[c[0]!]! + E.device[c[1]!]! + E.conn[c[2]!]! + E.site[c[3]!]! + E.app[c[4]!]! + E.c14[c[5]!]! + E.c18[c[6]!]! + E.c21[c[7]!]! + E.size[c[8]!]!;
  }
  return { count, codes, logit };
}

/** The hour term of the logit: a daily cycle peaking in the evening. */
export function hourEffect(hour: number): number {
  return EFFECTS.hour * Math.sin((2 * Math.PI * (hour - 14)) / 24);
}

/** The known click probability of placement p at `hour`. */
export function knownCtr(placements: Placements, p: number, hour: number): number {
  return 1 / (1 + Math.exp(-(placements.logit[p]! + hourEffect(hour))));
}

/** The model row (CTR_FEATURES order) of placement p at (hour, day), written into `row` at `offset`. */
export function featureRow(placements: Placements, p: number, hour: number, day: number, row: Float64Array, offset = 0): void {
  const c = placements.codes, o = p * 9, size = SIZES[c[o + 8]!]!;
  row[offset] = hour; row[offset + 1] = day; row[offset + 2] = BANNER[c[o]!]!; row[offset + 3] = DEVICE[c[o + 1]!]!; row[offset + 4] = CONN[c[o + 2]!]!;
  row[offset + 5] = categoryCode(SITE_CATEGORIES[c[o + 3]!]!); row[offset + 6] = categoryCode(APP_CATEGORIES[c[o + 4]!]!);
  const c14 = C14[c[o + 5]!]!;
  row[offset + 7] = c14; row[offset + 8] = size[0]; row[offset + 9] = size[1]; row[offset + 10] = c14 % 2_000 + 1_000;
  row[offset + 11] = C18[c[o + 6]!]!; row[offset + 12] = 35 + (c14 % 7) * 4; row[offset + 13] = c[o + 5]! % 3 === 0 ? -1 : 100_000 + c[o + 5]! * 13; row[offset + 14] = C21[c[o + 7]!]!;
}

/** Text cells of placement p for an Avazu-style impressions row (site/app categories as their hex strings). */
export function placementCells(placements: Placements, p: number, row: Float64Array): string[] {
  const c = placements.codes, o = p * 9;
  featureRow(placements, p, 0, 0, row);
  return [String(row[2]), String(row[3]), String(row[4]), SITE_CATEGORIES[c[o + 3]!]!, APP_CATEGORIES[c[o + 4]!]!, ...Array.from(row.subarray(7, 15), String)];
}

const index = (values: readonly number[]) => new Map(values.map((v, i) => [v, i] as const));
const LOOKUP = {
  banner: index(BANNER), device: index(DEVICE), conn: index(CONN), c14: index(C14), c18: index(C18), c21: index(C21),
  site: index(SITE_CATEGORIES.map(categoryCode)), app: index(APP_CATEGORIES.map(categoryCode)), size: index(SIZES.map(([w, h]) => w * 10_000 + h)),
};

/**
 * The known click probability of a model row (CTR_FEATURES order), or NaN when a value is outside the
 * known function's domain (e.g. real Avazu data): how calibration against the truth is checked.
 */
export function knownCtrOfRow(row: ArrayLike<number>, offset = 0): number {
  const L = LOOKUP, E = EFFECTS;
  const ix = [L.banner.get(row[offset + 2]!), L.device.get(row[offset + 3]!), L.conn.get(row[offset + 4]!), L.site.get(row[offset + 5]!), L.app.get(row[offset + 6]!),
    L.c14.get(row[offset + 7]!), L.c18.get(row[offset + 11]!), L.c21.get(row[offset + 14]!), L.size.get(row[offset + 8]! * 10_000 + row[offset + 9]!)];
  if (ix.some((i) => i === undefined)) return NaN;
  const [b, d, c, s, a, c14, c18, c21, z] = ix as number[];
  const logit = E.base + E.banner[b!]! + E.device[d!]! + E.conn[c!]! + E.site[s!]! + E.app[a!]! + E.c14[c14!]! + E.c18[c18!]! + E.c21[c21!]! + E.size[z!]! + hourEffect(row[offset]!);
  return 1 / (1 + Math.exp(-logit));
}
