/**
 * Log formats → one compiled shape both servers share: literals and typed fields. Apache `LogFormat`
 * directives (mod_log_config) and nginx `log_format` variables (ngx_http_log_module) map onto the same
 * field kinds, so the Apache and nginx spelling of one line parse to the same values.
 * Apache's `%t` writes its own brackets (`[10/Oct/2000:13:55:36 -0700]`), nginx's `$time_local` does not,
 * so `%t` compiles to `[`, time, `]`.
 */
import { UsageError } from '../errors.js';

/** What a field holds. `header`/`cookie`/`env`/`response` carry a name (headers lower-case, `_` → `-`). */
export type FieldKind =
  | 'client' | 'logname' | 'user' | 'request' | 'method' | 'urlpath' | 'query' | 'request_uri' | 'protocol' | 'status'
  | 'bytes_clf' | 'bytes' | 'bytes_total' | 'duration_us' | 'duration_s' | 'duration_ms' | 'request_time' | 'site'
  | 'time_clf' | 'time_iso' | 'time_sec' | 'time_msec' | 'time_usec' | 'time_msec_frac' | 'time_usec_frac' | 'epoch_msec'
  | 'time_part' | 'header' | 'cookie' | 'env' | 'response' | 'ignore';

export interface Field {
  kind: FieldKind;
  /** header/cookie/env/response name; for time_part the strftime letter (Y m d H M S b z …) */
  name: string;
  /** how the user wrote it (`%{User-Agent}i`, `$http_user_agent`), for messages */
  spelling: string;
  /** fixed width in characters (zero-padded strftime numbers), so it may touch the next field */
  width?: number;
}

export type Segment = { literal: string } | { field: Field };

export interface CompiledFormat {
  /** `combined`, `apache`, `nginx` … for messages */
  name: string;
  dialect: 'apache' | 'nginx';
  /** the format text after unquoting */
  text: string;
  segments: Segment[];
}

export const PRESETS: Readonly<Record<string, string>> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
};

/** `%t`'s Common Log Format time as strftime (what nginx's `$time_local` also writes, without brackets). */
const CLF_STRFTIME = '%d/%b/%Y:%H:%M:%S %z';

const f = (kind: FieldKind, spelling: string, name = ''): Field => ({ kind, name, spelling });
const headerName = (n: string): string => n.toLowerCase().replace(/_/g, '-');

const APACHE_SIMPLE: Readonly<Record<string, FieldKind>> = {
  h: 'client', a: 'client', l: 'logname', u: 'user', r: 'request', m: 'method', U: 'urlpath', q: 'query', H: 'protocol',
  s: 'status', b: 'bytes_clf', B: 'bytes', O: 'bytes_total', D: 'duration_us', T: 'duration_s', v: 'site', V: 'site',
};

const FIXED_WIDTH: Readonly<Record<string, number>> = { Y: 4, m: 2, d: 2, H: 2, M: 2, S: 2, y: 2, j: 3, I: 2, b: 3, h: 3 };

/** strftime letters inside `%{…}t` → time parts (anything else is matched loosely as text). */
function strftimeSegments(fmt: string, spelling: string): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch !== '%' || i + 1 >= fmt.length) {
      out.push({ literal: ch });
      continue;
    }
    const c = fmt[++i]!;
    if (c === '%') out.push({ literal: '%' });
    else if (c === 'T') out.push(...strftimeSegments('%H:%M:%S', spelling));
    else if (c === 'F') out.push(...strftimeSegments('%Y-%m-%d', spelling));
    else if (c === 'D') out.push(...strftimeSegments('%m/%d/%y', spelling));
    else if ('YmdeHMSbhBzZyjaApIs'.includes(c)) {
      const width = FIXED_WIDTH[c];
      out.push({ field: width === undefined ? f('time_part', spelling, c) : { ...f('time_part', spelling, c), width } });
    }
    else throw new UsageError(`--log-format: strftime conversion %${c} in ${spelling} is not supported (supported: %Y %m %d %e %H %M %S %b %h %B %z %Z %y %j %a %A %p %I %s %T %F %D)`);
  }
  return out;
}

/** One Apache `%{…}t`. */
function apacheTime(arg: string, spelling: string): Segment[] {
  const body = arg.replace(/^(begin|end):/, '');
  switch (body) {
    case 'sec': return [{ field: f('time_sec', spelling) }];
    case 'msec': return [{ field: f('time_msec', spelling) }];
    case 'usec': return [{ field: f('time_usec', spelling) }];
    case 'msec_frac': return [{ field: f('time_msec_frac', spelling) }];
    case 'usec_frac': return [{ field: f('time_usec_frac', spelling) }];
    case '': return [{ literal: '[' }, { field: f('time_clf', spelling) }, { literal: ']' }];
    default:
      if (body === CLF_STRFTIME) return [{ field: f('time_clf', spelling) }];
      return strftimeSegments(body, spelling);
  }
}

/** Compile an Apache LogFormat string (already unquoted). */
function compileApache(text: string): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '%') {
      out.push({ literal: ch });
      continue;
    }
    const start = i;
    i++;
    // modifiers: status conditions (%400,501{…}i, %!200…), < and > (original / final request)
    while (i < text.length && /[!0-9,<>]/.test(text[i]!)) i++;
    let arg: string | null = null;
    if (text[i] === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) throw new UsageError(`--log-format: unclosed "{" in ${text.slice(start)}`);
      arg = text.slice(i + 1, end);
      i = end + 1;
    }
    const letter = text[i];
    if (letter === undefined) throw new UsageError(`--log-format: the format ends inside a directive (${text.slice(start)})`);
    const spelling = text.slice(start, i + 1), simple = APACHE_SIMPLE[letter];
    if (letter === '%') out.push({ literal: '%' });
    else if (letter === 't') out.push(...(arg === null ? apacheTime('', spelling) : apacheTime(arg, spelling)));
    else if (letter === 'T' && arg !== null) out.push({ field: f(arg === 'ms' ? 'duration_ms' : arg === 'us' ? 'duration_us' : 'duration_s', spelling) });
    else if (letter === 'i' && arg !== null) out.push({ field: f('header', spelling, headerName(arg)) });
    else if (letter === 'C' && arg !== null) out.push({ field: f('cookie', spelling, arg) });
    else if (letter === 'e' && arg !== null) out.push({ field: f('env', spelling, arg) });
    else if (letter === 'o' && arg !== null) out.push({ field: f('response', spelling, headerName(arg)) });
    else if (simple !== undefined && arg === null) out.push({ field: f(simple, spelling) });
    else if ('AfkLnpPRSXIc'.includes(letter) || (arg !== null && 'anpP^'.includes(letter))) out.push({ field: f('ignore', spelling) });
    else throw new UsageError(`--log-format: unknown directive ${spelling} (see docs/access-logs.md for the supported ones)`);
  }
  return out;
}

const NGINX_SIMPLE: Readonly<Record<string, FieldKind>> = {
  remote_addr: 'client', binary_remote_addr: 'ignore', realip_remote_addr: 'client', remote_user: 'user', request: 'request',
  request_method: 'method', uri: 'urlpath', document_uri: 'urlpath', args: 'query', query_string: 'query', request_uri: 'request_uri',
  server_protocol: 'protocol', status: 'status', body_bytes_sent: 'bytes', request_time: 'request_time', host: 'site',
  server_name: 'site', msec: 'epoch_msec', bytes_sent: 'bytes_total',
};

/** Compile an nginx log_format string (already unquoted and concatenated). */
function compileNginx(text: string): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '$') {
      out.push({ literal: ch });
      continue;
    }
    let name: string;
    let end: number;
    if (text[i + 1] === '{') {
      end = text.indexOf('}', i);
      if (end < 0) throw new UsageError(`--log-format: unclosed "\${" in ${text.slice(i)}`);
      name = text.slice(i + 2, end);
      end++;
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(text.slice(i + 1));
      if (m === null) throw new UsageError(`--log-format: "$" without a variable name at ${text.slice(i, i + 20)}`);
      name = m[0];
      end = i + 1 + name.length;
    }
    const spelling = `$${name}`;
    i = end - 1;
    if (name === 'time_local') out.push({ field: f('time_clf', spelling) });
    else if (name === 'time_iso8601') out.push({ field: f('time_iso', spelling) });
    else if (name.startsWith('http_')) out.push({ field: f('header', spelling, headerName(name.slice(5))) });
    else if (name.startsWith('cookie_')) out.push({ field: f('cookie', spelling, name.slice(7)) });
    else if (name.startsWith('sent_http_')) out.push({ field: f('response', spelling, headerName(name.slice(10))) });
    else if (name.startsWith('arg_')) out.push({ field: f('ignore', spelling) });
    else out.push({ field: f(NGINX_SIMPLE[name] ?? 'ignore', spelling) });
  }
  return out;
}

/** Merge adjacent literals; two fields in a row cannot be told apart. */
function normalise(segs: Segment[], text: string): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const last = out[out.length - 1];
    if ('literal' in s && last !== undefined && 'literal' in last) last.literal += s.literal;
    else if ('field' in s && last !== undefined && 'field' in last && last.field.width === undefined) throw new UsageError(`--log-format "${text}": ${last.field.spelling} and ${s.field.spelling} follow each other with nothing between them, so a line cannot be split`);
    else out.push('literal' in s ? { literal: s.literal } : s);
  }
  return out;
}

/** Strip config quoting: `LogFormat "…" name`, `log_format name '…' '…';`, a quoted string with `\"` inside. */
export function unquoteFormat(raw: string): { text: string; dialect: 'apache' | 'nginx' | null } {
  let s = raw.trim();
  const nginxDecl = /^log_format\s+\S+\s+(?:escape=\S+\s+)?([\s\S]*?);?\s*$/.exec(s);
  if (nginxDecl) s = nginxDecl[1]!.trim();
  const apacheDecl = /^(?:LogFormat|CustomLog\s+\S+)\s+("(?:[^"\\]|\\.)*")(?:\s+\S+)?\s*$/i.exec(s);
  if (apacheDecl) s = apacheDecl[1]!;
  // nginx: one or more single-quoted pieces, concatenated
  if (/^'/.test(s)) {
    const parts = [...s.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!);
    if (parts.length > 0 && parts.join('').length > 0) return { text: parts.join('').replace(/\\(.)/g, '$1'), dialect: 'nginx' };
  }
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"') && /\\"/.test(s)) {
    return { text: s.slice(1, -1).replace(/\\(["\\])/g, '$1').replace(/\\t/g, '\t'), dialect: null };
  }
  return { text: s, dialect: null };
}

/**
 * Compile `--log-format`: a preset name, an Apache LogFormat string or an nginx log_format string.
 * @example compileFormat('combined').segments[0] // { field: { kind: 'client', name: '', spelling: '%h' } }
 */
export function compileFormat(spec: string): CompiledFormat {
  const preset = PRESETS[spec.trim()];
  if (preset !== undefined) return { name: spec.trim(), dialect: 'apache', text: preset, segments: normalise(compileApache(preset), preset) };
  const { text, dialect } = unquoteFormat(spec);
  if (text === '') throw new UsageError('--log-format is empty (use combined, common, vhost_combined, an Apache LogFormat or an nginx log_format string)');
  const isNginx = dialect === 'nginx' || (/\$[A-Za-z_{]/.test(text) && !/%[!0-9,<>]*[{a-zA-Z%]/.test(text));
  const segments = normalise(isNginx ? compileNginx(text) : compileApache(text), text);
  if (!segments.some((s) => 'field' in s)) throw new UsageError(`--log-format "${text}" has no directives or variables`);
  return { name: isNginx ? 'nginx log_format' : 'Apache LogFormat', dialect: isNginx ? 'nginx' : 'apache', text, segments };
}

/** The fields of a format, in order. */
export function formatFields(fmt: CompiledFormat): Field[] {
  return fmt.segments.flatMap((s) => ('field' in s ? [s.field] : []));
}

/**
 * The field a `--session-by` spelling names (`%{PHPSESSID}C`, `$cookie_sid`, `%{X-Session}i`, `$http_x_session`),
 * or a UsageError when the format has no such field.
 */
export function sessionField(fmt: CompiledFormat, spelling: string): Field {
  const probe = /^\$/.test(spelling) ? compileNginx(spelling) : compileApache(spelling);
  const want = probe.find((s): s is { field: Field } => 'field' in s)?.field;
  if (want === undefined) throw new UsageError(`--session-by ${spelling}: not a directive or variable (e.g. %{PHPSESSID}C or $cookie_sid)`);
  const found = formatFields(fmt).find((x) => x.kind === want.kind && x.name === want.name);
  if (found === undefined) throw new UsageError(`--session-by ${spelling}: the log format (${fmt.text}) has no such field`);
  return found;
}
