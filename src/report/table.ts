/**
 * Human-readable tables (cli-table3): no colours or box art when stdout is not a terminal.
 */
import { createRequire } from 'node:module';
import type CliTable from 'cli-table3';
import { usableTerminal } from './terminal.js';

// cli-table3 loads on the first table drawn (~15 ms of CPU): a command printing JSON never needs it
let Table: typeof CliTable | null = null;

export type Cell = string | number | boolean | null | undefined;

/** Format a number for a table: integers with separators, others to `digits` significant digits. */
export function fmt(x: Cell, digits = 4): string {
  if (x === null || x === undefined) return '–';
  if (typeof x !== 'number') return String(x);
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString('en-US');
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

/** How printed tables are drawn: aligned text (default), or csv / tsv / markdown / json for other tools. */
export const TABLE_FORMATS = ['table', 'csv', 'tsv', 'markdown', 'json'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];
let tableFormat: TableFormat = 'table';

/** Choose how every later `renderTable` call draws (set once per command from `--format`). */
export function setTableFormat(f: TableFormat): void {
  tableFormat = f;
}

const csvCell = (c: string, sep: string): string => (c.includes(sep) || c.includes('"') || c.includes('\n') ? `"${c.replace(/"/g, '""')}"` : c);

/** The table in a machine-readable format: numbers unformatted (full precision), null as empty / null. */
function renderAs(f: Exclude<TableFormat, 'table'>, head: string[], rows: Cell[][]): string {
  const raw = (c: Cell): string => (c === null || c === undefined ? '' : String(c));
  const names = head.map((h, i) => (h === '' ? (i === 0 ? 'key' : `column${i + 1}`) : h));
  if (f === 'json') return rows.map((r) => JSON.stringify(Object.fromEntries(names.map((n, i) => [n, typeof r[i] === 'number' && !Number.isFinite(r[i]) ? null : (r[i] ?? null)])))).join('\n');
  if (f === 'markdown') {
    const md = (c: string) => c.replace(/\|/g, '\\|');
    return [`| ${names.map(md).join(' | ')} |`, `|${names.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${names.map((_, i) => md(raw(r[i]))).join(' | ')} |`)].join('\n');
  }
  const sep = f === 'csv' ? ',' : '\t';
  const cell = f === 'csv' ? (c: string) => csvCell(c, ',') : (c: string) => c.replace(/[\t\n]/g, ' ');
  return [names.map(cell).join(sep), ...rows.map((r) => names.map((_, i) => cell(raw(r[i]))).join(sep))].join('\n');
}

/** Render rows under a header. @example renderTable(['metric', 'value'], [['rows', 10]]) */
export function renderTable(head: string[], rows: Cell[][]): string {
  if (tableFormat !== 'table') return renderAs(tableFormat, head, rows);
  const tty = usableTerminal(process.stdout);
  Table ??= createRequire(import.meta.url)('cli-table3') as typeof CliTable;
  const table = new Table({
    head,
    style: { head: tty ? ['cyan'] : [], border: tty ? ['grey'] : [] },
    ...(tty ? {} : { chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' } }),
  });
  for (const r of rows) table.push(r.map((c) => fmt(c)));
  return table.toString();
}

/** A two-column key/value table. */
export function renderKeyValues(pairs: [string, Cell][]): string {
  return renderTable(['', 'value'], pairs.map(([k, v]) => [k, v]));
}
