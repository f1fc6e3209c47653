/**
 * A pg-cursor whose array-mode rows are pg's own DataRow field arrays, parsed in place: the text values
 * go through the same type parsers pg-cursor would apply (the client's, from the RowDescription), but
 * without a second array per row and a 'row' event per row that nobody listens to. Text columns, whose
 * parser returns its input, are left as they are. Rows are identical to `new Cursor(sql, values, { rowMode: 'array' })`'s.
 *
 *   const cursor = client.query(new RowCursor(plan.sql, plan.values));
 *   const rows = await cursor.read(2_000); // unknown[][]
 */
import pg from './pg-module.js';
import Cursor from 'pg-cursor';

// pg-types' parser for text and every type it does not convert: String(text), i.e. the text itself
const AS_IS = pg.types.getTypeParser(25, 'text');

export class RowCursor extends Cursor<unknown[]> {
  constructor(text: string, values?: unknown[]) {
    super(text, values, { rowMode: 'array' });
  }

  override handleDataRow(msg: { fields: (string | null)[] }): void {
    const row: unknown[] = msg.fields;
    const parsers = this._result._parsers;
    for (let i = 0; i < row.length; i++) {
      const v = row[i] as string | null;
      const parse = parsers[i]!;
      if (v !== null && parse !== AS_IS) row[i] = parse(v);
    }
    this._rows.push(row);
  }
}
