/** Types for pg-cursor 2.x (the package ships none and @types/pg-cursor is not a dependency). */
declare module 'pg-cursor' {
  import type { CustomTypesConfig, Submittable, Connection } from 'pg';

  interface CursorConfig {
    rowMode?: 'array';
    types?: CustomTypesConfig;
  }

  /** A server-side portal read `rows` at a time (pg's extended protocol, Execute with a row limit). */
  export default class Cursor<Row = unknown> implements Submittable {
    constructor(text: string, values?: unknown[], config?: CursorConfig);
    submit(connection: Connection): void;
    /** The next `rows` rows; an empty array once the result is exhausted. */
    read(rows: number): Promise<Row[]>;
    /** Close the portal; resolves when the server acknowledges. */
    close(): Promise<void>;
    /** Called by pg for each DataRow message: parses `msg.fields` (text values, null for NULL) into a row. */
    handleDataRow(msg: { fields: (string | null)[] }): void;
    /** The rows of the read in progress (pg-cursor internals, stable through 2.x). */
    protected _rows: Row[];
    /** pg's Result: one type parser per column, set from the RowDescription. */
    protected _result: { _parsers: ((text: string) => unknown)[] };
  }
}
