/**
 * Impressions tables with Avazu's columns (docs/auction.md, "CTR"): written from the known CTR function
 * (`phantom auction --write-impressions FILE`), and read from CSV or Parquet (`--ctr-data`) into the CTR
 * model's feature matrix. Avazu's `hour` is YYMMDDHH; it becomes hour_of_day and day_of_week.
 */
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { readCsvRows } from '../io/csv.js';
import { readFailure } from '../io/read-failure.js';
import { readParquet } from '../io/parquet.js';
import { writeTextStream } from '../io/text-out.js';
import type { FeatureMatrix } from '../models/gbdt/matrix.js';
import { createRng } from '../stats/rng.js';
import { categoryCode, CTR_FEATURE_COUNT, CTR_FEATURES, drawPlacements, knownCtr, placementCells } from './ctr-function.js';

export const IMPRESSION_COLUMNS = ['hour', 'banner_pos', 'device_type', 'device_conn_type', 'site_category', 'app_category', 'C14', 'C15', 'C16', 'C17', 'C18', 'C19', 'C20', 'C21', 'click'] as const;

/** The first day of generated impressions (Avazu's: 2014-10-21). */
const START = Date.UTC(2014, 9, 21);

/**
 * Write `rows` generated impressions as CSV (10 days of hours, placements drawn like the market's, clicks
 * drawn from the known CTR function). Returns the clicks written.
 * @example await writeImpressions('impressions.csv', 200_000, 7)
 */
export async function writeImpressions(path: string, rows: number, seed: number): Promise<{ rows: number; clicks: number }> {
  const rng = createRng(seed), scratch = new Float64Array(CTR_FEATURE_COUNT);
  let clicks = 0;
  function* lines(): Generator<string> {
    yield `${IMPRESSION_COLUMNS.join(',')}\n`;
    const chunk = 10_000;
    for (let start = 0; start < rows; start += chunk) {
      const n = Math.min(chunk, rows - start), placements = drawPlacements(n, rng);
      let text = '';
      for (let i = 0; i < n; i++) {
        const hourIndex = rng.int(240), date = new Date(START + hourIndex * 3_600_000);
        const hourCode = (date.getUTCFullYear() % 100) * 1_000_000 + (date.getUTCMonth() + 1) * 10_000 + date.getUTCDate() * 100 + date.getUTCHours();
        const click = rng.next() < knownCtr(placements, i, date.getUTCHours()) ? 1 : 0;
        clicks += click;
        text += `${hourCode},${placementCells(placements, i, scratch).join(',')},${click}\n`;
      }
      yield text;
    }
  }
  await writeTextStream(path, lines());
  return { rows, clicks };
}

/** The labelled CTR matrix of an impressions table. */
export interface CtrData {
  X: FeatureMatrix;
  y: Uint8Array;
}

/** hour_of_day and day_of_week (0 = Sunday) of an Avazu YYMMDDHH code, or NaN. */
function splitHour(code: number): [number, number] {
  const hh = code % 100, dd = Math.floor(code / 100) % 100, mm = Math.floor(code / 10_000) % 100, yy = Math.floor(code / 1_000_000);
  if (!Number.isInteger(code) || hh > 23 || dd < 1 || dd > 31 || mm < 1 || mm > 12) return [NaN, NaN];
  return [hh, new Date(Date.UTC(2000 + yy, mm - 1, dd)).getUTCDay()];
}

/**
 * Read an impressions table (CSV, or Parquet by extension) into the CTR features; categorical strings
 * become 24-bit codes (categoryCode). A missing column or a bad cell is a UsageError naming the file.
 * @example const { X, y } = await readImpressions('impressions.csv')
 */
export async function readImpressions(path: string): Promise<CtrData> {
  const cols: Record<string, (string | number | bigint | null)[]> = {};
  if (['.parquet', '.pq'].includes(extname(path).toLowerCase())) {
    const table = await readParquet(path);
    const missing = IMPRESSION_COLUMNS.filter((c) => table.getChild(c) === null);
    if (missing.length > 0) throw new UsageError(`--ctr-data ${path}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (Avazu-style columns, docs/auction.md)`);
    for (const c of IMPRESSION_COLUMNS) cols[c] = Array.from(table.getChild(c)!.toArray() as ArrayLike<string | number | bigint | null>);
  } else {
    let header: string[] | null = null, idx: number[] = [];
    try {
      for await (const row of readCsvRows(path)) {
        if (header === null) {
          header = row.map((s) => s.trim());
          const missing = IMPRESSION_COLUMNS.filter((c) => !header!.includes(c));
          if (missing.length > 0) throw new UsageError(`--ctr-data ${path}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (Avazu-style columns, docs/auction.md)`);
          idx = IMPRESSION_COLUMNS.map((c) => header!.indexOf(c));
          for (const c of IMPRESSION_COLUMNS) cols[c] = [];
          continue;
        }
        if (row.length === 1 && row[0] === '') continue;
        IMPRESSION_COLUMNS.forEach((c, k) => cols[c]!.push(row[idx[k]!] ?? null));
      }
    } catch (err) {
      if (!(err instanceof UsageError)) throw new UsageError(`--ctr-data ${path}: ${readFailure(err)}`);
      throw err;
    }
    if (header === null) throw new UsageError(`--ctr-data ${path}: the file is empty`);
  }
  const n = cols.click!.length;
  if (n === 0) throw new UsageError(`--ctr-data ${path}: no rows`);
  const d = CTR_FEATURE_COUNT, values = new Float64Array(n * d), y = new Uint8Array(n);
  const num = (c: string, i: number): number => {
    const v = cols[c]![i] ?? null; // a short column reads as empty cells, reported below
    const x = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : v === null || v.trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(x)) throw new UsageError(`--ctr-data ${path}: row ${i + 1}, column ${c}: expected a number, got "${String(v)}"`);
    return x;
  };
  const cat = (c: string, i: number): number => { const v = cols[c]![i]; return v === null || v === '' ? NaN : categoryCode(String(v)); };
  for (let i = 0; i < n; i++) {
    const o = i * d, [hh, dow] = splitHour(num('hour', i));
    if (Number.isNaN(hh)) throw new UsageError(`--ctr-data ${path}: row ${i + 1}, column hour: expected YYMMDDHH, got "${String(cols.hour![i])}"`);
    values[o] = hh; values[o + 1] = dow!;
    values[o + 2] = num('banner_pos', i); values[o + 3] = num('device_type', i); values[o + 4] = num('device_conn_type', i);
    values[o + 5] = cat('site_category', i); values[o + 6] = cat('app_category', i);
    for (let k = 0; k < 8; k++) values[o + 7 + k] = num(`C${14 + k}`, i);
    const click = num('click', i);
    if (click !== 0 && click !== 1) throw new UsageError(`--ctr-data ${path}: row ${i + 1}, column click: expected 0 or 1, got "${String(cols.click![i])}"`);
    y[i] = click;
  }
  return { X: { nRows: n, nCols: d, values, featureNames: [...CTR_FEATURES] }, y };
}
