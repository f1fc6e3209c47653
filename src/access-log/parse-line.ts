/**
 * One access-log line → the request it records, or why it cannot be read. A compiled format is walked
 * left to right: literals must match exactly; a field runs to the next literal — for a quoted field to the
 * next quote that is not backslash-escaped, for the last field to the end of the line. `-` is null.
 * Only values with a backslash are unescaped (unescape.ts); the CLF time of the previous line is reused
 * when the text repeats (busy logs write many lines per second).
 */
import type { CompiledFormat, Field } from './format.js';
import { emptyParts, parseClfTime, partsToMs, setPart, type TimeParts, type WallClockZone } from './log-time.js';
import type { RequestFields } from '../events/request-columns.js';
import { parseIsoMs } from '../io/timestamp.js';
import { unescapeLogValue } from './unescape.js';

/**
 * What one line says about one request: the request columns a source fills (events/request-columns.ts; the
 * resource kind and client address are decided later), plus what only the log line has. Strings are null
 * where the log has `-` or nothing.
 */
export interface ParsedRequest extends Omit<RequestFields, 'resourceKind' | 'clientAddress'> {
  ts: number;
  client: string | null;
  userAgent: string | null;
  /** value of the `--session-by` field */
  sessionValue: string | null;
  /** the request line as logged when it is not `METHOD URI [PROTOCOL]` (TLS bytes on port 80, garbage) */
  malformedRequest: string | null;
}

export type LineReason = 'empty_line' | 'format_mismatch' | 'trailing_text' | 'bad_time' | 'bad_status' | 'bad_number';
export type LineResult = { ok: true; request: ParsedRequest } | { ok: false; reason: LineReason; detail: string };

const METHOD = /^[A-Za-z][A-Za-z_-]{0,31}$/;
const PROTOCOL = /^HTTP\/\d(?:\.\d)?$/;

interface Step {
  literal: string | null;
  field: Field | null;
  /** the field ends at an unescaped `"` */
  quoted: boolean;
  /** the literal that ends the field ('' = end of line) */
  until: string;
}

const fail = (reason: LineReason, detail: string): LineResult => ({ ok: false, reason, detail });

/** Split a request line; malformed lines keep only `malformed`. */
export function splitRequestLine(r: string): { method: string | null; path: string | null; query: string | null; protocol: string | null; malformed: string | null } {
  if (r === '') return { method: null, path: null, query: null, protocol: null, malformed: null };
  const sp1 = r.indexOf(' ');
  if (sp1 <= 0) return malformedRequest(r);
  const method = r.slice(0, sp1);
  if (!METHOD.test(method)) return malformedRequest(r);
  const sp2 = r.lastIndexOf(' ');
  let uri: string, protocol: string | null = null;
  if (sp2 > sp1 && PROTOCOL.test(r.slice(sp2 + 1))) {
    uri = r.slice(sp1 + 1, sp2);
    protocol = r.slice(sp2 + 1);
  } else uri = r.slice(sp1 + 1);
  if (uri.startsWith('http://') || uri.startsWith('https://')) {
    const slash = uri.indexOf('/', uri.indexOf('//') + 2);
    uri = slash < 0 ? '/' : uri.slice(slash);
  }
  if (uri !== '*' && !uri.startsWith('/')) return malformedRequest(r);
  const q = uri.indexOf('?');
  return { method, path: q < 0 ? uri : uri.slice(0, q), query: q < 0 || q === uri.length - 1 ? null : uri.slice(q + 1), protocol, malformed: null };
}

// built only for the rare malformed line (not per call)
const malformedRequest = (r: string): ReturnType<typeof splitRequestLine> => ({ method: null, path: null, query: null, protocol: null, malformed: r });

/** A number field; '-' → null; NaN when not a number. */
function num(v: string | null): number | null {
  if (v === null) return null;
  const n = Number(v);
  return v.trim() === '' ? NaN : n;
}

export class LineParser {
  private readonly steps: Step[];
  private readonly values: (string | null)[];
  private readonly fields: Field[];
  private lastClf = '';
  private lastClfMs = NaN;
  private readonly parts: TimeParts = emptyParts();
  private readonly hasParts: boolean;

  /**
   * @param sessionBy the `--session-by` field (null: none)
   * @example new LineParser(compileFormat('combined'), null, resolveZone('UTC')).parse(line)
   */
  constructor(readonly format: CompiledFormat, private readonly sessionBy: Field | null, private readonly zone: WallClockZone) {
    const segs = format.segments;
    this.steps = segs.map((s, k) => {
      if ('literal' in s) return { literal: s.literal, field: null, quoted: false, until: '' };
      const prev = segs[k - 1], next = segs[k + 1];
      const until = next !== undefined && 'literal' in next ? next.literal : '';
      const quoted = prev !== undefined && 'literal' in prev && prev.literal.endsWith('"') && until.startsWith('"');
      return { literal: null, field: s.field, quoted, until };
    });
    this.fields = this.steps.flatMap((s) => (s.field ? [s.field] : []));
    this.values = new Array<string | null>(this.fields.length).fill(null);
    this.hasParts = this.fields.some((x) => x.kind === 'time_part');
  }

  /** Parse one line (without its newline). */
  parse(line: string): LineResult {
    if (line.length === 0 || (line.length === 1 && line === '\r')) return fail('empty_line', 'the line is empty');
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    let pos = 0, k = 0;
    const values = this.values;
    for (const step of this.steps) {
      if (step.literal !== null) {
        if (!line.startsWith(step.literal, pos)) return fail('format_mismatch', `expected ${JSON.stringify(step.literal)} at column ${pos + 1}, found ${JSON.stringify(line.slice(pos, pos + 12))}`);
        pos += step.literal.length;
        continue;
      }
      let end: number;
      if (step.field!.width !== undefined) {
        end = pos + step.field!.width;
        if (end > line.length) return fail('format_mismatch', `${step.field!.spelling} needs ${step.field!.width} characters at column ${pos + 1}`);
      } else if (step.quoted) {
        end = line.indexOf('"', pos);
        while (end > 0 && isEscaped(line, end, pos)) end = line.indexOf('"', end + 1);
        if (end >= 0 && !line.startsWith(step.until, end)) {
          // a raw quote inside the value (a server that does not escape): take the last match of the closing literal
          const alt = line.indexOf(step.until, end + 1);
          if (alt >= 0) end = alt;
        }
      } else end = step.until === '' ? line.length : line.indexOf(step.until, pos);
      if (end < 0) return fail('format_mismatch', `${step.field!.spelling} runs past the end of the line (no ${JSON.stringify(step.until)} after column ${pos + 1})`);
      const raw = line.slice(pos, end);
      values[k++] = raw === '-' ? null : raw.indexOf('\\') >= 0 ? unescapeLogValue(raw) : raw;
      pos = end;
    }
    if (pos !== line.length) return fail('trailing_text', `text after the last field at column ${pos + 1}: ${JSON.stringify(line.slice(pos, pos + 20))}`);
    return this.interpret(values);
  }

  private interpret(values: (string | null)[]): LineResult {
    const req: ParsedRequest = {
      ts: NaN, client: null, userAgent: null, referrer: null, site: null, method: null, path: null, query: null, protocol: null,
      status: null, bytes: null, durationMs: null, sessionValue: null, malformedRequest: null,
    };
    let fracMs = 0, uriPath: string | null = null, uriQuery: string | null = null, requestLine: string | undefined;
    const parts = this.parts;
    if (this.hasParts) Object.assign(parts, emptyParts());
    let bytesTotal: number | null = null;
    for (let k = 0; k < this.fields.length; k++) {
      const field = this.fields[k]!;
      const v = values[k]!;
      if (field === this.sessionBy) req.sessionValue = v;
      switch (field.kind) {
        case 'client': req.client = v; break;
        case 'site': req.site = v; break;
        case 'request': requestLine = v ?? ''; break;
        case 'method': req.method = v; break;
        case 'urlpath': uriPath = v; break;
        case 'query': uriQuery = v === null || v === '' || v === '?' ? null : v.startsWith('?') ? v.slice(1) : v; break;
        case 'request_uri': if (v !== null) { const q = v.indexOf('?'); uriPath = q < 0 ? v : v.slice(0, q); uriQuery = q < 0 || q === v.length - 1 ? null : v.slice(q + 1); } break;
        case 'protocol': req.protocol = v; break;
        case 'status': {
          const n = num(v);
          if (n !== null && !(Number.isInteger(n) && n >= 0 && n < 1000)) return fail('bad_status', `${field.spelling} is ${JSON.stringify(v)}, not a status code`);
          req.status = n;
          break;
        }
        case 'bytes': case 'bytes_clf': case 'bytes_total': {
          const n = v === null ? (field.kind === 'bytes_clf' ? 0 : null) : num(v);
          if (n !== null && !(n >= 0)) return fail('bad_number', `${field.spelling} is ${JSON.stringify(v)}, not a byte count`);
          if (field.kind === 'bytes_total') bytesTotal = n;
          else req.bytes = n;
          break;
        }
        case 'duration_us': case 'duration_ms': case 'duration_s': case 'request_time': {
          const n = num(v);
          if (n !== null && !(n >= 0)) return fail('bad_number', `${field.spelling} is ${JSON.stringify(v)}, not a duration`);
          req.durationMs = n === null ? null : field.kind === 'duration_us' ? n / 1000 : field.kind === 'duration_ms' ? n : n * 1000;
          break;
        }
        case 'header':
          if (field.name === 'user-agent') req.userAgent = v;
          else if (field.name === 'referer') req.referrer = v;
          else if (field.name === 'host' && req.site === null) req.site = v;
          break;
        case 'time_clf': {
          if (v === null) return fail('bad_time', `${field.spelling} is "-"`);
          if (v !== this.lastClf) {
            this.lastClf = v;
            this.lastClfMs = parseClfTime(v);
          }
          if (Number.isNaN(this.lastClfMs)) return fail('bad_time', `${field.spelling} ${JSON.stringify(v)} is not dd/Mon/yyyy:HH:MM:SS ±zzzz`);
          req.ts = this.lastClfMs;
          break;
        }
        case 'time_iso': {
          const t = v === null ? NaN : parseIsoMs(v);
          if (Number.isNaN(t)) return fail('bad_time', `${field.spelling} ${JSON.stringify(v)} is not an ISO-8601 time`);
          req.ts = t;
          break;
        }
        case 'time_sec': case 'time_msec': case 'time_usec': case 'epoch_msec': {
          const n = num(v);
          if (n === null || Number.isNaN(n)) return fail('bad_time', `${field.spelling} ${JSON.stringify(v)} is not a number`);
          req.ts = Math.floor(field.kind === 'time_sec' || field.kind === 'epoch_msec' ? n * 1000 : field.kind === 'time_msec' ? n : n / 1000);
          break;
        }
        case 'time_msec_frac': case 'time_usec_frac': {
          const n = num(v);
          if (n === null || Number.isNaN(n)) return fail('bad_time', `${field.spelling} ${JSON.stringify(v)} is not a number`);
          fracMs = field.kind === 'time_msec_frac' ? n : Math.floor(n / 1000);
          break;
        }
        case 'time_part':
          if (v === null || !setPart(parts, field.name, v)) return fail('bad_time', `${field.spelling}: %${field.name} is ${JSON.stringify(v)}`);
          break;
        default:
          break;
      }
    }
    // strftime parts make the time only when no complete time field did (e.g. a lone %{%Y}t beside %t)
    if (this.hasParts && Number.isNaN(req.ts)) {
      const t = partsToMs(parts, this.zone);
      if (Number.isNaN(t)) return fail('bad_time', `the time fields do not make a date`);
      req.ts = t;
    }
    if (Number.isNaN(req.ts)) return fail('bad_time', 'the line has no time');
    req.ts += fracMs;
    if (req.bytes === null && bytesTotal !== null) req.bytes = bytesTotal;
    if (requestLine !== undefined) {
      const r = splitRequestLine(requestLine);
      req.method ??= r.method;
      req.path = r.path;
      req.query = r.query;
      req.protocol ??= r.protocol;
      req.malformedRequest = r.malformed;
    }
    if (uriPath !== null) req.path = uriPath;
    if (uriQuery !== null || uriPath !== null) req.query = uriQuery;
    return { ok: true, request: req };
  }
}

/** True when the quote at `at` is preceded by an odd number of backslashes (after `from`). */
function isEscaped(line: string, at: number, from: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= from && line.charCodeAt(i) === 92; i--) n++;
  return (n & 1) === 1;
}
