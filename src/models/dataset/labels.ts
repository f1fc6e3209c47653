/**
 * The binary label of a table: a boolean column, numbers 0/1, or strings true/false/1/0. Rows without a
 * label are −1 (the caller decides whether to drop them); any other value is an error naming examples.
 */
import { UsageError } from '../../errors.js';
import { columnOf, tableName, type DataTable } from './data-table.js';

const TEXT_LABELS: Readonly<Record<string, number>> = { true: 1, false: 0, '1': 1, '0': 0, '1.0': 1, '0.0': 0 };

/**
 * Labels as −1 (null) / 0 / 1.
 * @example binaryLabel(table, 'is_agent'); // Int8Array
 */
export function binaryLabel(t: DataTable, name: string): Int8Array {
  const col = columnOf(t, name);
  if (col === undefined) {
    throw new UsageError(`${tableName(t)} has no label column '${name}' (columns: ${t.columns.map((c) => c.name).join(', ')}); choose one with --label-column`);
  }
  const out = new Int8Array(t.nRows);
  const bad = new Set<string>();
  if (col.kind === 'numeric') {
    for (let i = 0; i < t.nRows; i++) {
      const v = col.values[i]!;
      if (v !== v) out[i] = -1;
      else if (v === 0 || v === 1) out[i] = v;
      else bad.add(String(v));
    }
  } else {
    const map = Int8Array.from(col.dict, (s) => TEXT_LABELS[s.trim().toLowerCase()] ?? -2);
    col.dict.forEach((s, k) => { if (map[k] === -2) bad.add(JSON.stringify(s)); });
    for (let i = 0; i < t.nRows; i++) out[i] = col.codes[i]! < 0 ? -1 : map[col.codes[i]!]!;
  }
  if (bad.size > 0) {
    throw new UsageError(`label column '${name}' must hold 0/1 or true/false; found ${[...bad].slice(0, 5).join(', ')}${bad.size > 5 ? ', …' : ''}`);
  }
  return out;
}

/** Counts of a −1/0/1 label. */
export function labelCounts(y: Int8Array): { positives: number; negatives: number; missing: number } {
  let positives = 0, negatives = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) positives++;
    else if (y[i] === 0) negatives++;
  }
  return { positives, negatives, missing: y.length - positives - negatives };
}
