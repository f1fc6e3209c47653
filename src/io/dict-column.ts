/**
 * phantom's dictionary-encoded string column and its cell reader, without Apache Arrow: the events table
 * (events/table.ts) is built in threads that never touch Arrow (an export's main thread), so loading it
 * must not load Arrow (~15 ms of CPU). io/arrow-columns.ts re-exports both.
 */

/** A dictionary-encoded string column: codes[i] indexes dict, −1 is null. */
export interface DictColumn {
  codes: Int32Array;
  dict: string[];
}

/**
 * The string in row i of a dictionary column, null for a null cell. A row outside the column or a code
 * outside the dictionary is a corrupt column: RangeError naming both.
 * @example dictValue({ codes: Int32Array.of(1, -1), dict: ['a', 'b'] }, 0) // 'b'
 */
export function dictValue(c: DictColumn, i: number): string | null {
  const code = c.codes[i];
  if (code === undefined) throw new RangeError(`row ${i} is outside a dictionary column of ${c.codes.length} rows`);
  if (code < 0) return null;
  const s = c.dict[code];
  if (s === undefined) throw new RangeError(`row ${i} has code ${code}, outside its dictionary of ${c.dict.length} entries`);
  return s;
}
