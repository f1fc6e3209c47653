/**
 * The access-log source (`--from access-log`, docs/access-logs.md): log lines → parsed requests →
 * sessions → event rows, as batches of pre-parsed raw records whose provenance is (file, line number).
 * Every line becomes exactly one record: an event, or a dead letter with its reason. A file whose first
 * 1,000 lines mostly fail is the wrong `--log-format`: a UsageError naming the file, the format and the
 * first bad line, raised before any of its lines is handed on.
 */
import { UsageError } from '../errors.js';
import type { EventRow } from '../events/normalise.js';
import type { SessionLabels } from '../events/session-labels.js';
import { StringCanon } from '../events/string-canon.js';
import { type CompiledFormat, type Field, formatFields, sessionField } from '../access-log/format.js';
import type { WallClockZone } from '../access-log/log-time.js';
import { LineParser, type LineResult, type ParsedRequest } from '../access-log/parse-line.js';
import { readLogLines } from '../access-log/read-lines.js';
import { Sessioniser, type SessionKeyInfo } from '../access-log/sessionise.js';
import type { UrlClassifier } from '../access-log/url-rules.js';
import type { RawBatch, RawRecord } from './types.js';

export interface AccessLogOptions {
  /** files (globs already expanded) or `-` for standard input */
  inputs: string[];
  format: CompiledFormat;
  /** the session field (`--session-by`, else the format's only cookie), null: client address + user agent */
  sessionBy: Field | null;
  inactivityMs: number;
  key: SessionKeyInfo;
  zone: WallClockZone;
  classifier: UrlClassifier;
  keepClientAddress: boolean;
  labels: SessionLabels | null;
}

/** Lines checked at the start of each file before the format is trusted. */
export const FORMAT_CHECK_LINES = 1000;

/**
 * The session field: `--session-by`, else the one cookie the format logs, else null (client sessions).
 * UsageError when neither a session field nor a client address is in the format.
 * @example resolveSessionField(compileFormat('combined'), undefined) // null
 */
export function resolveSessionField(format: CompiledFormat, sessionBy: string | undefined): Field | null {
  const fields = formatFields(format);
  if (sessionBy !== undefined) return sessionField(format, sessionBy);
  const cookies = fields.filter((f) => f.kind === 'cookie');
  if (cookies.length === 1) return cookies[0]!;
  if (!fields.some((f) => f.kind === 'client')) {
    throw new UsageError(`--log-format ${format.text}: no client address (%h, %a, $remote_addr) and ${cookies.length === 0 ? 'no cookie' : 'several cookies'} to tell sessions apart; name one with --session-by`);
  }
  return null;
}

/**
 * Read the logs as batches of parsed records.
 * @example for await (const batch of readAccessLogs(opts)) …
 */
export async function* readAccessLogs(o: AccessLogOptions, batchSize = 1024): AsyncGenerator<RawBatch> {
  const parser = new LineParser(o.format, o.sessionBy, o.zone);
  const canons = new RequestCanons();
  const sessions = new Sessioniser(o.key.key, o.inactivityMs, o.labels?.hasClientRows ? (id, client, ua) => o.labels!.bindClient(id, client, ua) : undefined, canons.userAgent);
  for (const path of o.inputs) {
    const topic = path === '-' ? 'stdin' : path;
    let lineNo = 0;
    // lines of the format check, held until it passes
    let held: RawBatch | null = [];
    let checked = 0, failed = 0;
    let firstBad: { line: number; text: string; result: LineResult & { ok: false } } | null = null;
    const judge = (): void => {
      if (checked > 0 && failed * 2 > checked) {
        const b = firstBad!;
        throw new UsageError(
          `${topic}: ${failed} of the first ${checked} lines do not match --log-format ${o.format.name === o.format.text ? o.format.name : `${o.format.name} "${o.format.text}"`}; ` +
            `first bad line ${b.line}: ${b.result.reason}: ${b.result.detail}: ${JSON.stringify(b.text.slice(0, 160)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`,
        );
      }
    };
    let out: RawBatch = [];
    for await (const lines of readLogLines(path)) {
      for (const text of lines) {
        lineNo++;
        const r = parser.parse(text);
        const record = toRecord(r, text, topic, lineNo, o, sessions, canons);
        if (held !== null) {
          if (!(r.ok === false && r.reason === 'empty_line')) {
            checked++;
            if (!record.parsed!.ok) {
              failed++;
              if (firstBad === null && !r.ok) firstBad = { line: lineNo, text, result: r };
            }
          }
          held.push(record);
          if (checked >= FORMAT_CHECK_LINES) {
            judge();
            out = held;
            held = null;
          }
          continue;
        }
        out.push(record);
        if (out.length >= batchSize) {
          yield out;
          out = [];
        }
      }
      if (held === null && out.length >= batchSize) {
        yield out;
        out = [];
      }
    }
    if (held !== null) {
      judge();
      out = held;
    }
    if (out.length > 0) yield out;
  }
}

/**
 * Shared copies of the request fields that repeat from line to line (events/string-canon.ts): the
 * sessioniser and the column dictionaries then meet the same string object for the same text.
 */
class RequestCanons {
  readonly userAgent = new StringCanon();
  readonly referrer = new StringCanon();
  readonly path = new StringCanon();

  // the long values only: method, protocol and site are short (copied, not sliced, by V8) and few
  canonicalise(q: ParsedRequest): void {
    q.userAgent = this.userAgent.canon(q.userAgent);
    q.referrer = this.referrer.canon(q.referrer);
    q.path = this.path.canon(q.path);
  }
}

function toRecord(r: LineResult, text: string, topic: string, line: number, o: AccessLogOptions, sessions: Sessioniser, canons: RequestCanons): RawRecord {
  const provenance = { topic, partition: null, offset: line, timestamp: null };
  if (!r.ok) return { value: text, provenance, parsed: { ok: false, reason: r.reason, detail: r.detail } };
  const q = r.request;
  canons.canonicalise(q);
  const sessionId = sessions.sessionFor(q.ts, q.sessionValue, q.client, q.userAgent);
  if (sessionId === null) return { value: text, provenance, parsed: { ok: false, reason: 'no_session_key', detail: 'the line has neither the session field nor a client address' } };
  const kind = o.classifier.kind(q.method, q.path, q.query);
  const ev = o.classifier.event(q.method, q.path, q.query, kind);
  const row: EventRow = {
    sessionId, experimentId: null, ts: q.ts, eventName: ev.eventName, page: kind === 'page' ? q.path : null, productId: ev.productId, storeMode: null,
    price: null, dwellMs: null, userAgent: q.userAgent, metadata: q.malformedRequest === null ? null : JSON.stringify({ request: q.malformedRequest }),
    isAgent: null, srcTopic: topic, srcPartition: null, srcOffset: line, srcTs: null, sessionOrdinal: sessions.lastOrdinal,
    request: {
      method: q.method, path: q.path, query: q.query, protocol: q.protocol, status: q.status, bytes: q.bytes, durationMs: q.durationMs, referrer: q.referrer,
      resourceKind: kind, site: q.site, clientAddress: o.keepClientAddress ? q.client : null,
    },
  };
  return { value: null, provenance, parsed: { ok: true, row, tsFromBroker: false } };
}
