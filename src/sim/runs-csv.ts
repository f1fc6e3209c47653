/**
 * `runs.csv`: one row per (α, policy, seed) with every per-run metric, in grid order. Numbers are written
 * with at most 10 significant digits and empty cells for undefined values (NaN), so the file is
 * byte-identical for the same grid and seeds on every run and thread count.
 */
import { csvField } from '../io/text-out.js';
import type { GridRow } from './grid-cell.js';

export const RUN_COLUMNS = [
  'alpha', 'policy', 'seed', 'steps', 'sessions', 'agentSessions',
  'revenue', 'revenueHuman', 'revenueAgent', 'humanRevenuePerSession', 'regret',
  'conversions', 'conversionsHuman', 'conversionsAgent',
  'meanPrice', 'meanMultiplier', 'coi', 'proxyError', 'defendedProxyError', 'volatility', 'ux', 'detectionAuc',
] as const satisfies readonly (keyof GridRow)[];

/** A number as a CSV cell (10 significant digits; NaN/±Infinity → empty). */
export function numberCell(x: number): string {
  if (!Number.isFinite(x)) return '';
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(10)));
}

/**
 * The whole CSV text, header first.
 * @example await atomicWriteFile('runs.csv', runsCsv(result.rows))
 */
export function runsCsv(rows: readonly GridRow[]): string {
  const lines = [RUN_COLUMNS.join(',')];
  for (const r of rows) lines.push(RUN_COLUMNS.map((c) => { const v = r[c]; return typeof v === 'number' ? numberCell(v) : csvField(v); }).join(','));
  return `${lines.join('\n')}\n`;
}
