/**
 * Array-mode Postgres rows (in `ROW_FIELDS` order, pg-plan.ts) → raw records. A row that `normalise()`
 * would accept as it stands — the common case — is normalised here directly, into the same row
 * `normalise()` returns (`record.parsed`), without first building the flat event object and walking it
 * generically (the flat event stays the record's value); any other row (a missing or empty session id or event name, a bad time, metadata that is
 * not an object, too deep or too large) is handed on as the flat event, so `normalise()` rejects it with
 * its own reason and the dead letter holds the row as before. `test/sources/pg-rows.test.ts` checks the
 * two paths give the same result for every kind of row the source can produce.
 *
 *   const batch = pgRowsToRecords(rows, 'events', true, delivered);
 */
import { METADATA_LIMITS, valueDepth } from '../events/bounded-json.js';
import type { EventRow } from '../events/normalise.js';
import { inEventRange, parseTimestampMs } from '../io/timestamp.js';
import type { RawBatch, RawRecord } from './types.js';

/** One array-mode row: the `ROW_FIELDS` values, then the integer id when the plan reads one. */
export type PgRow = unknown[];

/**
 * Records of a batch of rows. `hasId`: the row's 11th value is its integer id (its `src_offset`); else
 * the offset is the row number, counted from `firstRow`. The flat event is the value of every row
 * `normalise()` must see (to reject it with its reason and dead-letter it), and of an accepted row too
 * unless `acceptedValues` is false: the export, which reads only an accepted record's `parsed` row, passes
 * false and its accepted records carry `value: null`, as the access-log source's do (one object less per
 * row); library callers keep the default, so they may still run normalise() on any record.
 */
export function pgRowsToRecords(rows: readonly PgRow[], table: string, hasId: boolean, firstRow: number, acceptedValues = true): RawBatch {
  const batch = new Array<RawRecord>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const offset = hasId ? (r[10] as number) : firstRow + i;
    const provenance = { topic: table, partition: null, offset, timestamp: null };
    const row = acceptedRow(r, table, offset);
    batch[i] = row !== null ? { value: acceptedValues ? flatEvent(r) : null, provenance, parsed: { ok: true, row, tsFromBroker: false } } : { value: flatEvent(r), provenance };
  }
  return batch;
}

/** The flat event `normalise()` reads (the source's input before this fast path existed). */
export function flatEvent(r: PgRow): Record<string, unknown> {
  return {
    sessionId: r[0], experimentId: r[1], eventName: r[2], ts: r[3], page: r[4],
    productId: r[5], storeMode: r[6], userAgent: r[7], metadata: r[8], is_agent: r[9],
  };
}

const optionalString = (v: unknown): v is string | null => v === null || typeof v === 'string';

/**
 * The row `normalise()` gives for this Postgres row, when it accepts it; null when the row needs
 * `normalise()` itself (to be rejected with its reason, or for a case this path does not take).
 * `isAgent` is the row's own boolean or null: the record stage applies `--label` to null, as normalise does.
 */
export function acceptedRow(r: PgRow, table: string, offset: number): EventRow | null {
  const sessionId = r[0], experimentId = r[1], eventName = r[2], page = r[4], productId = r[5], storeMode = r[6], userAgent = r[7], isAgent = r[9];
  if (typeof sessionId !== 'string' || sessionId === '' || typeof eventName !== 'string' || eventName === '') return null;
  if (!optionalString(experimentId) || !optionalString(page) || !optionalString(productId) || !optionalString(storeMode) || !optionalString(userAgent)) return null;
  if (isAgent !== null && typeof isAgent !== 'boolean') return null;
  const rawTs = r[3];
  if (typeof rawTs !== 'number' && typeof rawTs !== 'string') return null;
  const ts = parseTimestampMs(rawTs);
  if (!inEventRange(ts)) return null;

  let metadata: string | null = null;
  let meta: Record<string, unknown> | null = null;
  const raw = r[8];
  if (typeof raw === 'object' && raw !== null) {
    // jsonb/json arrive parsed; a record nests one level above its metadata, so metadata within its
    // 32 levels keeps the record within its 64
    if (Array.isArray(raw)) return null;
    meta = raw as Record<string, unknown>;
    metadata = metadataText(meta);
    if (metadata === null) return null;
  } else if (raw !== null) {
    // text metadata (and anything else): normalise parses, checks and rejects it
    if (typeof raw !== 'string' || raw.trim() !== '') return null;
  }
  return {
    sessionId,
    experimentId,
    ts,
    eventName,
    page,
    productId,
    storeMode,
    price: firstFinite(meta, 'price', 'base_price'),
    dwellMs: firstFinite(meta, 'dwellTime', 'duration_ms'),
    userAgent: userAgent === null || userAgent.trim() === '' ? null : userAgent,
    metadata,
    isAgent,
    srcTopic: table,
    srcPartition: null,
    srcOffset: offset,
    srcTs: null,
  };
}

/** `stringifyBounded(meta, METADATA_LIMITS)`'s text, or null where it fails; a flat object skips the depth walk. */
function metadataText(meta: Record<string, unknown>): string | null {
  let flat = true;
  for (const k in meta) {
    const v = meta[k];
    if (typeof v === 'object' && v !== null) {
      flat = false;
      break;
    }
  }
  if (!flat && valueDepth(meta, METADATA_LIMITS.maxDepth) > METADATA_LIMITS.maxDepth) return null;
  const text = JSON.stringify(meta);
  const max = METADATA_LIMITS.maxBytes;
  if (text.length > max || (text.length * 3 > max && Buffer.byteLength(text, 'utf8') > max)) return null;
  return text;
}

function firstFinite(meta: Record<string, unknown> | null, a: string, b: string): number | null {
  if (meta === null) return null;
  const x = meta[a];
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  const y = meta[b];
  if (typeof y === 'number' && Number.isFinite(y)) return y;
  return null;
}
