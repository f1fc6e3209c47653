/**
 * Human-readable tables (cli-table3): no colours or box art when stdout is not a terminal.
 */
import Table from 'cli-table3';
import { usableTerminal } from './terminal.js';

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

/** Render rows under a header. @example renderTable(['metric', 'value'], [['rows', 10]]) */
export function renderTable(head: string[], rows: Cell[][]): string {
  const tty = usableTerminal(process.stdout);
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
