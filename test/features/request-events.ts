// Small events.parquet files with the request columns of docs/access-logs.md, written column by column
// (the shape `phantom export --from access-log` writes), for the `requests` feature tests.
import { boolData, int32Data, int64Data, recordBatch, timestampMsData, utf8Data } from '../../src/io/arrow-vectors.js';
import { writeParquet } from '../../src/io/parquet.js';
import type { Data } from '../../src/io/arrow.js';

export interface RequestRow {
  sessionId: string;
  ts: number;
  eventName?: string;
  userAgent?: string | null;
  isAgent?: boolean | null;
  resource_kind?: string | null;
  method?: string | null;
  path?: string | null;
  query?: string | null;
  status?: number | null;
  bytes?: number | null;
  referrer?: string | null;
  site?: string | null;
}

export const REQUEST_COLUMN_NAMES = ['resource_kind', 'method', 'path', 'query', 'status', 'bytes', 'referrer', 'site'] as const;

/** Write `rows` as events.parquet with the request columns in `columns` (default all). */
export async function writeRequestEvents(path: string, rows: readonly RequestRow[], columns: readonly string[] = REQUEST_COLUMN_NAMES): Promise<void> {
  const str = (k: keyof RequestRow) => utf8Data(rows.map((r) => (r[k] ?? null) as string | null));
  const cols: { name: string; data: Data; nullable: boolean }[] = [
    { name: 'sessionId', data: str('sessionId'), nullable: false },
    { name: 'ts', data: timestampMsData(Float64Array.from(rows, (r) => r.ts)), nullable: false },
    { name: 'eventName', data: utf8Data(rows.map((r) => r.eventName ?? (r.resource_kind === 'page' ? 'page_view' : 'request'))), nullable: true },
    { name: 'userAgent', data: str('userAgent'), nullable: true },
    { name: 'is_agent', data: boolData(Int8Array.from(rows, (r) => (r.isAgent == null ? -1 : r.isAgent ? 1 : 0))), nullable: true },
  ];
  for (const c of columns) {
    if (c === 'status') cols.push({ name: c, data: int32Data(Int32Array.from(rows, (r) => r.status ?? -1)), nullable: true });
    else if (c === 'bytes') cols.push({ name: c, data: int64Data(Float64Array.from(rows, (r) => r.bytes ?? NaN)), nullable: true });
    else cols.push({ name: c, data: str(c as keyof RequestRow), nullable: true });
  }
  await writeParquet(path, [recordBatch(cols)]);
}
