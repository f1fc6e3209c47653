// `phantom export --from access-log` end to end through the real binary: the same traffic in Apache and
// nginx spelling, dead letters with line numbers, the wrong-format usage error, gzip and stdin, --strict,
// labels, sessionisation and privacy (docs/access-logs.md).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import { requestAt } from '../../src/events/request-columns.js';
import { rowAt, type EventsTable } from '../../src/events/table.js';
import type { ExportSummary } from '../../src/export/types.js';
import { readParquet } from '../../src/io/parquet.js';
import { phantom, ROOT } from '../support/cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'phantom-access-'));
const KEY = { PHANTOM_TEST_KEY: 'a-test-key-of-enough-length' };

function run(args: string[], input?: string): { code: number; summary: ExportSummary; stderr: string } {
  const r = phantom(['export', '--from', 'access-log', ...args, '--json', '--session-key-env', 'PHANTOM_TEST_KEY'], { env: KEY, ...(input === undefined ? {} : { input }) });
  let summary = {} as ExportSummary;
  try {
    summary = JSON.parse(r.stdout) as ExportSummary;
  } catch {
    // a failure: the test looks at code and stderr
  }
  return { code: r.code, summary, stderr: r.stderr };
}

/** Every row as plain data, minus the file it came from. */
function rows(t: EventsTable): Record<string, unknown>[] {
  return Array.from({ length: t.length }, (_, i) => {
    const { srcTopic: _t, ...r } = rowAt(t, i);
    return { ...r, ...requestAt(t.requests!, i) };
  });
}

// One request, rendered by each server's rules.
interface Hit { ip: string; user: string | null; t: string; line: string | null; status: number; bytes: number; ref: string | null; ua: string | null; us: number; sid: string | null; host: string }
const apacheEsc = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => (b === 0x22 ? '\\"' : b === 0x5c ? '\\\\' : b < 0x20 || b >= 0x7f ? `\\x${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b))).join('');
const nginxEsc = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => (b === 0x22 || b === 0x5c || b < 0x20 || b >= 0x7f ? `\\x${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b))).join('');
const dash = (v: string | null, esc: (s: string) => string): string => (v === null || v === '' ? '-' : esc(v));
const APACHE = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D %{sid}C %v';
const NGINX = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time $cookie_sid $host';
const apacheLine = (h: Hit): string => `${h.ip} - ${dash(h.user, apacheEsc)} [${h.t}] "${dash(h.line, apacheEsc)}" ${h.status} ${h.bytes === 0 ? '-' : h.bytes} "${dash(h.ref, apacheEsc)}" "${dash(h.ua, apacheEsc)}" ${h.us} ${h.sid ?? '-'} ${h.host}`;
const nginxLine = (h: Hit): string => `${h.ip} - ${dash(h.user, nginxEsc)} [${h.t}] "${dash(h.line, nginxEsc)}" ${h.status} ${h.bytes} "${dash(h.ref, nginxEsc)}" "${dash(h.ua, nginxEsc)}" ${(h.us / 1e6).toFixed(3)} ${h.sid ?? '-'} ${h.host}`;

const HITS: Hit[] = [
  { ip: '203.0.113.5', user: null, t: '10/Oct/2025:13:55:36 -0700', line: 'GET /shop/products HTTP/1.1', status: 200, bytes: 5120, ref: null, ua: 'Mozilla/5.0 "Quoted" Ünïcode \\ back', us: 12000, sid: 'abc', host: 'shop.example' },
  { ip: '203.0.113.5', user: null, t: '10/Oct/2025:13:55:36 -0700', line: 'GET /static/app.css HTTP/1.1', status: 304, bytes: 0, ref: 'https://shop.example/shop/products', ua: 'Mozilla/5.0 "Quoted" Ünïcode \\ back', us: 1000, sid: 'abc', host: 'shop.example' },
  { ip: '2001:db8::1', user: 'alice', t: '10/Oct/2025:22:56:00 +0200', line: 'POST /shop/cart/add?product=p%201 HTTP/2.0', status: 303, bytes: 0, ref: 'https://shop.example/shop/products/p1', ua: 'curl/8.5', us: 37000, sid: null, host: 'shop.example' },
  { ip: '198.51.100.9', user: null, t: '10/Oct/2025:21:00:00 +0000', line: null, status: 408, bytes: 0, ref: null, ua: null, us: 0, sid: null, host: 'other.example' },
  { ip: '198.51.100.9', user: null, t: '10/Oct/2025:21:00:01 +0000', line: '\u0016\u0003\u0001\u0000\u00a5', status: 400, bytes: 226, ref: null, ua: null, us: 0, sid: null, host: 'other.example' },
  { ip: '192.0.2.44', user: null, t: '10/Oct/2025:21:00:01 +0000', line: 'GET /robots.txt HTTP/1.0', status: 200, bytes: 68, ref: null, ua: 'Googlebot/2.1 (+http://www.google.com/bot.html)', us: 250000, sid: null, host: 'shop.example' },
];

describe('the same traffic in Apache and nginx spelling', () => {
  it('gives identical events', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'apache.log'), `${HITS.map(apacheLine).join('\n')}\n`);
    writeFileSync(join(dir, 'nginx.log'), `${HITS.map(nginxLine).join('\n')}\n`);
    const a = run([join(dir, 'apache.log'), '--log-format', APACHE, '--session-by', '%{sid}C', '-o', join(dir, 'a.parquet')]);
    const n = run([join(dir, 'nginx.log'), '--log-format', `log_format main '${NGINX}';`, '--session-by', '$cookie_sid', '-o', join(dir, 'n.parquet')]);
    expect(a.code, a.stderr).toBe(0);
    expect(n.code, n.stderr).toBe(0);
    expect(a.summary.dead_lettered.total).toBe(0);
    const ra = rows(await readEventsParquet(join(dir, 'a.parquet')));
    const rn = rows(await readEventsParquet(join(dir, 'n.parquet')));
    expect(rn).toEqual(ra);
    expect(ra).toHaveLength(HITS.length);
    expect(ra[0]).toMatchObject({ userAgent: 'Mozilla/5.0 "Quoted" Ünïcode \\ back', status: 200, bytes: 5120, durationMs: 12, site: 'shop.example', resourceKind: 'page', eventName: 'page_view', page: '/shop/products' });
    expect(ra[1]).toMatchObject({ bytes: 0, resourceKind: 'asset', eventName: 'request', referrer: 'https://shop.example/shop/products' });
    expect(ra[2]).toMatchObject({ ts: Date.UTC(2025, 9, 10, 20, 56), method: 'POST', path: '/shop/cart/add', query: 'product=p%201', protocol: 'HTTP/2.0' });
    expect(ra[3]).toMatchObject({ method: null, path: null, status: 408, resourceKind: 'other' });
    expect(JSON.parse(ra[4]!['metadata'] as string)).toEqual({ request: '\u0016\u0003\u0001\u0000\u00a5' });
    expect(ra[5]).toMatchObject({ resourceKind: 'robots', durationMs: 250 });
    // the cookie names the first two requests' session; the others are sessions of their client
    expect(ra[0]!['sessionId']).toBe(ra[1]!['sessionId']);
    expect(ra[3]!['sessionId']).toBe(ra[4]!['sessionId']);
    expect(new Set(ra.map((r) => r['sessionId'])).size).toBe(4);
  });
});

describe('bad lines', () => {
  it('every malformed line is dead-lettered with its file and line number; nothing is lost', async () => {
    const dir = tmp();
    const good = HITS.map((h) => `${h.ip} - - [${h.t}] "${dash(h.line, apacheEsc)}" ${h.status} ${h.bytes} "-" "${dash(h.ua, apacheEsc)}"`);
    const bad = ['this is not a log line', '', '1.2.3.4 - - [99/Oct/2025:21:00:01 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', '1.2.3.4 - - [10/Oct/2025:21:00:01 +0000] "GET / HTTP/1.1" two 1 "-" "-"', '1.2.3.4 - - [10/Oct/2025:21:00:01 +0000] "GET / HTTP/1.1" 200 1 "-" "-" tail', '\u0000\u0001\u00ff\u00fe'];
    const lines = [...good.slice(0, 3), ...bad, ...good.slice(3), ...good, ...good];
    writeFileSync(join(dir, 'mixed.log'), lines.join('\n'));
    const r = run([join(dir, 'mixed.log'), '-o', join(dir, 'e.parquet')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.records_read).toBe(lines.length);
    expect(r.summary.records_written + r.summary.dead_lettered.total).toBe(lines.length);
    expect(r.summary.dead_lettered.by_reason).toEqual({ format_mismatch: 2, empty_line: 1, bad_time: 1, bad_status: 1, trailing_text: 1 });
    const dead = readFileSync(join(dir, 'e.dead-letter.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { reason: string; provenance: { topic: string; offset: number }; value: string });
    expect(dead.map((d) => d.provenance.offset)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(dead.map((d) => d.value)).toEqual(bad);
    expect(dead.every((d) => d.provenance.topic === join(dir, 'mixed.log'))).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const strict = run([join(dir, 'mixed.log'), '-o', join(dir, 's.parquet'), '--strict']);
    expect(strict.code).toBe(3);
    expect(strict.stderr).toMatch(/--strict: 6 record\(s\) rejected/);
    expect(strict.stderr).not.toMatch(/\n\s+at /);
  });

  it('a file whose first lines mostly fail is a usage error naming the file, the format and the first bad line', () => {
    const dir = tmp();
    const file = join(dir, 'common.log');
    writeFileSync(file, `${HITS.map((h) => `${h.ip} - - [${h.t}] "${dash(h.line, apacheEsc)}" ${h.status} ${h.bytes}`).join('\n')}\n`);
    const r = run([file, '-o', join(dir, 'e.parquet')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('--log-format combined');
    expect(r.stderr).toMatch(/first bad line 1: format_mismatch/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(run([file, '--log-format', 'common', '-o', join(dir, 'ok.parquet')]).code).toBe(0);
    expect(run([file, '--log-format', '%h %Q', '-o', join(dir, 'x.parquet')]).stderr).toMatch(/unknown directive %Q/);
  });
});

describe('inputs', () => {
  it('reads .gz files, globs and standard input alike', async () => {
    const dir = tmp();
    const text = `${HITS.map(apacheLine).join('\n')}\n`;
    writeFileSync(join(dir, 'a.log.1.gz'), gzipSync(text));
    writeFileSync(join(dir, 'a.log'), text);
    const fmt = ['--log-format', APACHE];
    const gz = run([join(dir, 'a.log.*.gz'), ...fmt, '-o', join(dir, 'gz.parquet')]);
    const plain = run([join(dir, 'a.log'), ...fmt, '-o', join(dir, 'plain.parquet')]);
    const stdin = run(['-', ...fmt, '-o', join(dir, 'stdin.parquet')], text);
    for (const r of [gz, plain, stdin]) expect(r.code, r.stderr).toBe(0);
    const p = rows(await readEventsParquet(join(dir, 'plain.parquet')));
    expect(rows(await readEventsParquet(join(dir, 'gz.parquet')))).toEqual(p);
    expect(rows(await readEventsParquet(join(dir, 'stdin.parquet')))).toEqual(p);
  });
});

describe('sessions, labels and privacy', () => {
  const at = (min: number): string => `10/Oct/2025:${String(10 + Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}:00 +0000`;
  const hit = (ip: string, min: number, path: string, ua = 'UA'): string => `${ip} - - [${at(min)}] "GET ${path} HTTP/1.1" 200 10 "-" "${ua}"`;

  it('a client session ends after --inactivity; address and user agent tell clients apart; no address reaches the output', async () => {
    const dir = tmp();
    const lines = [hit('10.1.1.1', 0, '/a'), hit('10.1.1.1', 20, '/b'), hit('10.1.1.1', 55, '/c'), hit('10.1.1.1', 56, '/d', 'Other'), hit('10.2.2.2', 56, '/e')];
    writeFileSync(join(dir, 'x.log'), lines.join('\n'));
    const r = run([join(dir, 'x.log'), '-o', join(dir, 'e.parquet'), '--compression', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const t = await readEventsParquet(join(dir, 'e.parquet'));
    const ids = Array.from({ length: t.length }, (_, i) => rowAt(t, i).sessionId);
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(4);
    const bytes = readFileSync(join(dir, 'e.parquet')).toString('latin1');
    expect(bytes).not.toContain('10.1.1.1');
    expect(bytes).not.toContain('10.2.2.2');
    expect(requestAt(t.requests!, 0).clientAddress).toBeNull();
    const meta = (await readParquet(join(dir, 'e.parquet'))).schema.metadata;
    expect(meta.get('phantom.session_key.fingerprint')).toMatch(/^[0-9a-f]{16}$/);
    expect(meta.get('phantom.session_key.source')).toBe('env:PHANTOM_TEST_KEY');
    expect(bytes).not.toContain(KEY.PHANTOM_TEST_KEY);
    // 60 minutes of inactivity allowed: the 35-minute gap no longer splits
    const long = run([join(dir, 'x.log'), '-o', join(dir, 'l.parquet'), '--inactivity', '60m', '--keep-client-address']);
    const tl = await readEventsParquet(join(dir, 'l.parquet'));
    expect(long.summary.sessions).toBe(3);
    expect(requestAt(tl.requests!, 0).clientAddress).toBe('10.1.1.1');
  });

  it('--labels by client address or by sessionId set is_agent; extra columns reach sessions.parquet', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.log'), [hit('10.1.1.1', 0, '/a'), hit('10.1.1.1', 1, '/b'), hit('10.3.3.3', 2, '/c', 'bot'), hit('10.4.4.4', 3, '/d')].join('\n'));
    writeFileSync(join(dir, 'labels.csv'), 'client_address,user_agent,label,kind\n10.1.1.1,UA,human,human\n10.3.3.3,,agent,crawler\n');
    const r = run([join(dir, 'x.log'), '--labels', join(dir, 'labels.csv'), '-o', join(dir, 'e.parquet')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.labels).toMatchObject({ human: 2, agent: 1, unlabelled: 1 });
    const f = phantom(['features', join(dir, 'e.parquet'), '-o', join(dir, 's.parquet'), '-q']);
    expect(f.code, f.stderr).toBe(0);
    const s = await readParquet(join(dir, 's.parquet'));
    const kinds = s.getChild('kind')!.toArray() as (string | null)[];
    const agent = s.getChild('is_agent')!.toArray() as (boolean | null)[];
    expect(kinds.map((k, i) => `${k}:${agent[i]}`).sort()).toEqual(['crawler:true', 'human:false', 'null:null']);
    expect(s.schema.metadata.get('phantom.label_columns')).toBe('["kind"]');
    // a sessionId-keyed labels file works for any source
    const t = await readEventsParquet(join(dir, 'e.parquet'));
    const sid = rowAt(t, 3).sessionId;
    writeFileSync(join(dir, 'by-id.jsonl'), `${JSON.stringify({ sessionId: sid, is_agent: 1 })}\n`);
    const r2 = run([join(dir, 'x.log'), '--labels', join(dir, 'by-id.jsonl'), '-o', join(dir, 'e2.parquet')]);
    expect(r2.summary.labels).toMatchObject({ agent: 1, unlabelled: 3 });
    const bad = run([join(dir, 'x.log'), '--labels', join(dir, 'x.log'), '-o', join(dir, 'e3.parquet')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/needs a sessionId column/);
  });

  it('the default session field is the only cookie of the format; --session-by a field the format lacks is a usage error', async () => {
    const dir = tmp();
    const fmt = '%h %t "%r" %>s %{sid}C';
    writeFileSync(join(dir, 'c.log'), ['1.1.1.1 [10/Oct/2025:10:00:00 +0000] "GET /a HTTP/1.1" 200 s1', '2.2.2.2 [10/Oct/2025:10:00:01 +0000] "GET /b HTTP/1.1" 200 s1', '3.3.3.3 [10/Oct/2025:10:00:02 +0000] "GET /c HTTP/1.1" 200 -'].join('\n'));
    const r = run([join(dir, 'c.log'), '--log-format', fmt, '-o', join(dir, 'e.parquet')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.sessions).toBe(2);
    const bad = run([join(dir, 'c.log'), '--log-format', fmt, '--session-by', '%{other}C', '-o', join(dir, 'x.parquet')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/has no such field/);
  });

  it('the bundled fixture exports completely, with labels for every session', () => {
    const dir = tmp();
    const r = run([join(ROOT, 'fixtures/access.log'), '--labels', join(ROOT, 'fixtures/access-labels.csv'), '--event-rules', join(ROOT, 'fixtures/access-event-rules.json'), '-o', join(dir, 'e.parquet')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.dead_lettered.total).toBe(0);
    expect(r.summary.sessions).toBe(160);
    expect(r.summary.labels.unlabelled).toBe(0);
    expect(r.summary.unknown_events.total).toBe(0);
  });
});
