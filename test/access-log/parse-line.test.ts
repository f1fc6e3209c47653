// Parser conformance: every preset, every supported Apache directive and nginx variable, the escaping
// rules of both servers, zones, malformed request lines and very long lines (docs/access-logs.md).
import { describe, expect, it } from 'vitest';
import { compileFormat, formatFields, sessionField } from '../../src/access-log/format.js';
import { parseClfTime, resolveZone } from '../../src/access-log/log-time.js';
import { LineParser, type ParsedRequest } from '../../src/access-log/parse-line.js';
import { unescapeLogValue } from '../../src/access-log/unescape.js';
import { UsageError } from '../../src/errors.js';

const UTC = resolveZone('UTC');
const parser = (fmt: string, sessionBy?: string, zone = UTC): LineParser => {
  const c = compileFormat(fmt);
  return new LineParser(c, sessionBy === undefined ? null : sessionField(c, sessionBy), zone);
};
const ok = (p: LineParser, line: string): ParsedRequest => {
  const r = p.parse(line);
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.request;
};
const T = Date.UTC(2000, 9, 10, 20, 55, 36); // 10/Oct/2000:13:55:36 -0700

describe('presets', () => {
  it('common: the Apache documentation example', () => {
    const q = ok(parser('common'), '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326');
    expect(q).toMatchObject({ client: '127.0.0.1', ts: T, method: 'GET', path: '/apache_pb.gif', query: null, protocol: 'HTTP/1.0', status: 200, bytes: 2326, userAgent: null, referrer: null });
  });

  it('combined: referrer and user agent; "-" fields are null, %b "-" is 0 bytes', () => {
    const q = ok(parser('combined'), '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a?b=1&c HTTP/1.1" 304 - "-" "Mozilla/4.08 [en] (Win98; I ;Nav)"');
    expect(q).toMatchObject({ path: '/a', query: 'b=1&c', status: 304, bytes: 0, referrer: null, userAgent: 'Mozilla/4.08 [en] (Win98; I ;Nav)' });
  });

  it('vhost_combined: site from %v, the port skipped, %O as the byte count', () => {
    const q = ok(parser('vhost_combined'), 'shop.example:443 2001:db8::7 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/2.0" 200 512 "https://shop.example/" "UA"');
    expect(q).toMatchObject({ site: 'shop.example', client: '2001:db8::7', path: '/', protocol: 'HTTP/2.0', bytes: 512, referrer: 'https://shop.example/' });
  });

  it('a line that ends early, has extra text or a broken time is rejected with a reason', () => {
    const p = parser('combined');
    expect(p.parse('127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5')).toMatchObject({ ok: false, reason: 'format_mismatch' });
    expect(p.parse('127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5 "-" "ua" extra')).toMatchObject({ ok: false, reason: 'trailing_text' });
    expect(p.parse('127.0.0.1 - - [32/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5 "-" "ua"')).toMatchObject({ ok: false, reason: 'bad_time' });
    expect(p.parse('127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" OK 5 "-" "ua"')).toMatchObject({ ok: false, reason: 'bad_status' });
    expect(p.parse('')).toMatchObject({ ok: false, reason: 'empty_line' });
    expect(p.parse('\u0000\u0001binary\u00ff')).toMatchObject({ ok: false, reason: 'format_mismatch' });
  });
});

describe('escaping', () => {
  it('Apache \\" and \\\\ and nginx \\x22 \\x5C give the same user agent; \\xHH bytes are UTF-8', () => {
    const apache = ok(parser('combined'), '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "Bot \\"x\\" C:\\\\dir caf\\xc3\\xa9"');
    const nginx = ok(parser('combined'), '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "Bot \\x22x\\x22 C:\\x5Cdir caf\\xC3\\xA9"');
    expect(apache.userAgent).toBe('Bot "x" C:\\dir café');
    expect(nginx.userAgent).toBe(apache.userAgent);
  });

  it('C-style whitespace escapes and lone backslashes', () => {
    expect(unescapeLogValue('a\\tb\\nc')).toBe('a\tb\nc');
    expect(unescapeLogValue('a\\qb')).toBe('a\\qb');
    expect(unescapeLogValue('\\xZZ')).toBe('\\xZZ');
  });

  it('an escaped quote right before the closing one', () => {
    const q = ok(parser('combined'), '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "ends with \\""');
    expect(q.userAgent).toBe('ends with "');
  });
});

describe('request lines', () => {
  const line = (r: string): ParsedRequest => ok(parser('combined'), `1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "${r}" 400 0 "-" "-"`);
  it('"-" (a connection closed before a request) has no method or path', () => {
    expect(line('-')).toMatchObject({ method: null, path: null, query: null, protocol: null, malformedRequest: null, status: 400 });
  });
  it('binary (TLS on a plain port, escaped by the server) is kept as malformed', () => {
    const q = line('\\x16\\x03\\x01\\x02\\x00\\x01');
    expect(q).toMatchObject({ method: null, path: null });
    expect(q.malformedRequest).toBe('\u0016\u0003\u0001\u0002\u0000\u0001');
  });
  it('HTTP/2 lines, the HTTP/2 preface, HTTP/0.9 and absolute URIs', () => {
    expect(line('GET /p?x=1 HTTP/2.0')).toMatchObject({ method: 'GET', path: '/p', query: 'x=1', protocol: 'HTTP/2.0' });
    expect(line('PRI * HTTP/2.0')).toMatchObject({ method: 'PRI', path: '*', protocol: 'HTTP/2.0' });
    expect(line('GET /old')).toMatchObject({ method: 'GET', path: '/old', protocol: null });
    expect(line('GET http://other.example/x?y HTTP/1.1')).toMatchObject({ path: '/x', query: 'y' });
    expect(line('GET /with space HTTP/1.1')).toMatchObject({ path: '/with space', protocol: 'HTTP/1.1' });
    expect(line('GE\\"T / HTTP/1.1')).toMatchObject({ method: null, malformedRequest: 'GE"T / HTTP/1.1' });
  });
});

describe('times and zones', () => {
  it('%t zones: east, west, UTC, half hours', () => {
    expect(parseClfTime('10/Oct/2000:13:55:36 -0700')).toBe(T);
    expect(parseClfTime('11/Oct/2000:02:25:36 +0530')).toBe(T);
    expect(parseClfTime('10/Oct/2000:20:55:36 +0000')).toBe(T);
    expect(parseClfTime('29/Feb/2001:00:00:00 +0000')).toBeNaN();
    expect(parseClfTime('10/Foo/2000:20:55:36 +0000')).toBeNaN();
  });

  it('%{…}t: strftime with and without a zone, sec, msec, usec, msec_frac, begin:/end:', () => {
    const at = (fmt: string, text: string, zone = UTC): number => ok(parser(`%h ${fmt} "%r"`, undefined, zone), `1.1.1.1 ${text} "GET / HTTP/1.1"`).ts;
    expect(at('[%{%d/%b/%Y:%H:%M:%S %z}t]', '[10/Oct/2000:13:55:36 -0700]')).toBe(T);
    expect(at('%{%Y-%m-%d %H:%M:%S}t', '2000-10-10 20:55:36')).toBe(T);
    expect(at('%{%Y-%m-%dT%H:%M:%S%z}t', '2000-10-10T13:55:36-0700')).toBe(T);
    expect(at('%{sec}t', '971211336')).toBe(T);
    expect(at('%{msec}t', '971211336123')).toBe(T + 123);
    expect(at('%{end:usec}t', '971211336123456')).toBe(T + 123);
    expect(at('%{%Y-%m-%d %T}t.%{msec_frac}t', '2000-10-10 20:55:36.045')).toBe(T + 45);
    expect(at('%{begin:%F %T}t', '2000-10-10 20:55:36')).toBe(T);
    // zone-less times in --timezone: a fixed offset, and an IANA zone on both sides of a DST change
    expect(at('%{%Y-%m-%d %H:%M:%S}t', '2000-10-10 13:55:36', resolveZone('-07:00'))).toBe(T);
    const berlin = resolveZone('Europe/Berlin');
    expect(at('%{%Y-%m-%d %H:%M:%S}t', '2025-01-15 13:00:00', berlin)).toBe(Date.UTC(2025, 0, 15, 12));
    expect(at('%{%Y-%m-%d %H:%M:%S}t', '2025-07-15 13:00:00', berlin)).toBe(Date.UTC(2025, 6, 15, 11));
    expect(() => resolveZone('Mars/Olympus')).toThrow(UsageError);
  });

  it('nginx $time_iso8601 and $msec', () => {
    expect(ok(parser('$remote_addr [$time_iso8601] "$request"'), '1.1.1.1 [2000-10-10T13:55:36-07:00] "GET / HTTP/1.1"').ts).toBe(T);
    expect(ok(parser('$remote_addr $msec "$request"'), '1.1.1.1 971211336.250 "GET / HTTP/1.1"').ts).toBe(T + 250);
  });
});

describe('every Apache directive', () => {
  const fmt = '%h %a %l %u %t %{%Y}t "%r" %m %U %q %H %>s %s %b %B %D %T %v %{Referer}i %{sid}C %{UNIQUE_ID}e %{Content-Type}o 100%% "%{User-Agent}i"';
  it('parses a line using all of them', () => {
    const q = ok(parser(fmt, '%{sid}C'), '10.0.0.1 10.0.0.2 - bob [10/Oct/2000:13:55:36 -0700] 2000 "POST /cart/add?x=1 HTTP/1.1" POST /cart/add ?x=1 HTTP/1.1 302 200 - 0 1500 0 shop.example https://shop.example/p abc123 Zx9 text/html 100% "UA/1"');
    expect(q).toMatchObject({
      client: '10.0.0.2', ts: T, method: 'POST', path: '/cart/add', query: 'x=1', protocol: 'HTTP/1.1', status: 200, bytes: 0,
      durationMs: 0, site: 'shop.example', referrer: 'https://shop.example/p', sessionValue: 'abc123', userAgent: 'UA/1',
    });
  });
  it('%D is microseconds, %T seconds, %{ms}T milliseconds', () => {
    const d = (f: string, v: string): number | null => ok(parser(`%h %t ${f} "%r"`), `1.1.1.1 [10/Oct/2000:13:55:36 -0700] ${v} "GET / HTTP/1.1"`).durationMs;
    expect(d('%D', '1500')).toBe(1.5);
    expect(d('%T', '2')).toBe(2000);
    expect(d('%{ms}T', '37')).toBe(37);
    expect(d('%{us}T', '37000')).toBe(37);
  });
  it('accepts LogFormat lines, quoted strings with \\" and status conditions', () => {
    const a = compileFormat('LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined');
    expect(a.segments).toEqual(compileFormat('combined').segments);
    const b = compileFormat('"%h %l %u %t \\"%r\\" %>s %b \\"%!200,304{Referer}i\\" \\"%{User-Agent}i\\""');
    expect(formatFields(b).map((x) => x.kind)).toEqual(formatFields(compileFormat('combined')).map((x) => x.kind));
  });
  it('refuses unknown directives and fields that touch', () => {
    expect(() => compileFormat('%h %Q')).toThrow(/unknown directive %Q/);
    expect(() => compileFormat('%h%u')).toThrow(/follow each other/);
    expect(() => compileFormat('%h %{%Q}t')).toThrow(/strftime conversion %Q/);
    expect(() => compileFormat('plain text')).toThrow(UsageError);
  });
});

describe('nginx variables', () => {
  const nginxCombined = `log_format main '$remote_addr - $remote_user [$time_local] '\n  '"$request" $status $body_bytes_sent '\n  '"$http_referer" "$http_user_agent"';`;
  it('the nginx combined declaration compiles to the same fields as Apache combined (except %l, a literal "-" in nginx)', () => {
    const n = formatFields(compileFormat(nginxCombined)).map((x) => `${x.kind}:${x.name}`);
    expect(n).toEqual(['client:', 'user:', 'time_clf:', 'request:', 'status:', 'bytes:', 'header:referer', 'header:user-agent']);
  });
  it('parses the other variables', () => {
    const p = parser('$remote_addr [$time_local] $host $request_method $request_uri $server_protocol $status $body_bytes_sent $request_time "$http_x_forwarded_for" $cookie_sid "$http_user_agent"', '$cookie_sid');
    const q = ok(p, '::1 [10/Oct/2000:13:55:36 -0700] shop.example GET /search?q=a+b HTTP/1.1 200 1234 0.125 "203.0.113.1, 10.0.0.1" s-77 "curl/8"');
    expect(q).toMatchObject({ client: '::1', site: 'shop.example', method: 'GET', path: '/search', query: 'q=a+b', protocol: 'HTTP/1.1', status: 200, bytes: 1234, durationMs: 125, sessionValue: 's-77', userAgent: 'curl/8' });
    expect(() => sessionField(compileFormat('$remote_addr $status'), '$cookie_sid')).toThrow(/has no such field/);
  });
});

describe('long lines', () => {
  it('a 64 KB user agent and a 64 KB URL parse', () => {
    const ua = 'A'.repeat(65_536);
    const path = `/${'p'.repeat(65_536)}`;
    const q = ok(parser('combined'), `1.1.1.1 - - [10/Oct/2000:13:55:36 -0700] "GET ${path} HTTP/1.1" 200 1 "-" "${ua}"`);
    expect(q.userAgent).toHaveLength(65_536);
    expect(q.path).toBe(path);
  });
});
