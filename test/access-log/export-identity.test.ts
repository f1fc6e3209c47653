// The access-log export's speed work (docs/performance.md, "Access-log export") must not change a single
// event: the bundled fixture exports to the same rows as before it (golden digest taken from the export
// of commit 8d7705c), and the sessioniser gives the same ids as the plain two-level-map algorithm it
// replaced, on a stream that exercises sweeps, expiry, agent changes, IPv6 and odd IPv4 spellings.
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sessioniser } from '../../src/access-log/sessionise.js';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import { requestAt } from '../../src/events/request-columns.js';
import { rowAt } from '../../src/events/table.js';
import { phantom, ROOT } from '../support/cli.js';

// 6,636 rows of fixtures/access.log with its labels and event rules, key 'a-test-key-of-enough-length'
const FIXTURE_ROWS_SHA256 = '12a3658c46d8b98816b702318f82469f5a87da43ee7bf046f0c746168c5ccd26';

/** The sessioniser as first written (nested maps keyed by the raw strings): the oracle. */
class ReferenceSessioniser {
  private readonly byValue = new Map<string, { id: string; last: number }>();
  private readonly byClient = new Map<string, Map<string, { id: string; last: number }>>();
  private seen = 0;
  private maxTs = -Infinity;
  constructor(private readonly key: Buffer, private readonly inactivityMs: number) {}
  sessionFor(ts: number, sessionValue: string | null, client: string | null, userAgent: string | null): string | null {
    if (ts > this.maxTs) this.maxTs = ts;
    if (++this.seen % 65_536 === 0) this.sweep();
    let table: Map<string, { id: string; last: number }>, k: string;
    if (sessionValue !== null && sessionValue !== '') {
      table = this.byValue;
      k = sessionValue;
    } else if (client !== null) {
      let t = this.byClient.get(client);
      if (t === undefined) this.byClient.set(client, (t = new Map()));
      table = t;
      k = userAgent ?? '';
    } else return null;
    const s = table.get(k);
    if (s !== undefined && ts - s.last <= this.inactivityMs) {
      if (ts > s.last) s.last = ts;
      return s.id;
    }
    const material = table === this.byValue ? `s\u0000${k}` : `c\u0000${client}\u0000${k}`;
    const id = createHmac('sha256', this.key).update(`${material}\u0000${ts}`).digest('base64url').slice(0, 22);
    table.set(k, { id, last: ts });
    return id;
  }
  private sweep(): void {
    const horizon = this.maxTs - this.inactivityMs;
    for (const [k, s] of this.byValue) if (s.last < horizon) this.byValue.delete(k);
    for (const [c, t] of this.byClient) {
      for (const [k, s] of t) if (s.last < horizon) t.delete(k);
      if (t.size === 0) this.byClient.delete(c);
    }
  }
}

describe('access-log export keeps its events', () => {
  it('exports fixtures/access.log to the same rows as before the speed work', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'phantom-access-id-')), 'e.parquet');
    const r = phantom(['export', '--from', 'access-log', join(ROOT, 'fixtures/access.log'), '--labels', join(ROOT, 'fixtures/access-labels.csv'), '--event-rules', join(ROOT, 'fixtures/access-event-rules.json'),
      '--session-key-env', 'PHANTOM_TEST_KEY', '-o', out, '-q'], { env: { PHANTOM_TEST_KEY: 'a-test-key-of-enough-length' } });
    expect(r.code, r.stderr).toBe(0);
    const t = await readEventsParquet(out);
    const h = createHash('sha256');
    for (let i = 0; i < t.length; i++) {
      const { srcTopic: _t, ...row } = rowAt(t, i);
      h.update(JSON.stringify({ ...row, ...requestAt(t.requests!, i) }));
      h.update('\n');
    }
    expect(t.length).toBe(6636);
    expect(h.digest('hex')).toBe(FIXTURE_ROWS_SHA256);
  });

  it('gives the same session ids as the reference sessioniser through sweeps, expiry and agent changes', () => {
    const key = Buffer.from('a-test-key-of-enough-length');
    const inactivity = 60_000;
    const fast = new Sessioniser(key, inactivity), ref = new ReferenceSessioniser(key, inactivity);
    let s = 0x2545f491;
    const rnd = (n: number): number => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) % n);
    // IPv4 in canonical and leading-zero spellings (different clients), IPv6, host names
    const clients = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? `2001:db8::${i.toString(16)}` : i % 11 === 0 ? `10.0.0${i % 10}.${i % 256}` : i % 13 === 0 ? `host-${i}.example` : `10.${i >> 8}.0.${i & 255}`));
    clients.push('10.0.0.1', '10.0.00.1', '010.0.0.1', '255.255.255.255', '0.0.0.0', '1.2.3', '1.2.3.4.5', '256.1.1.1');
    const agents = ['Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0', 'curl/8.5.0', 'python-requests/2.31.0', '', 'Mozilla/5.0 (Macintosh) Safari/605.1.15'];
    let ts = Date.UTC(2025, 0, 6), differ = 0, misnumbered = 0, sessions = new Set<string>();
    const idOrdinal = new Map<string, number>(), ordinalId: string[] = [];
    for (let i = 0; i < 140_000; i++) {
      ts += rnd(40); // ~0.2 days over the stream: many clients go idle past the window and come back
      const t = rnd(50) === 0 ? ts - rnd(90_000) : ts; // now and then an older line
      const cookie = rnd(10) === 0 ? `sid-${rnd(500)}` : rnd(20) === 0 ? '' : null;
      const client = rnd(100) === 0 ? null : clients[rnd(1 + rnd(clients.length))]!;
      const ua = rnd(30) === 0 ? null : agents[rnd(rnd(4) === 0 ? agents.length : 2)]!;
      const a = fast.sessionFor(t, cookie, client, ua), b = ref.sessionFor(t, cookie, client, ua);
      if (a !== b) differ++;
      if (a !== null) {
        sessions.add(a);
        // ordinals name ids one-to-one (export counts and the events builder index by them)
        const o = fast.lastOrdinal;
        if ((idOrdinal.get(a) ?? o) !== o || (ordinalId[o] ?? a) !== a) misnumbered++;
        idOrdinal.set(a, o);
        ordinalId[o] = a;
      }
    }
    expect(differ).toBe(0);
    expect(misnumbered).toBe(0);
    expect(fast.sessions).toBe(sessions.size);
    expect(sessions.size).toBeGreaterThan(5000); // the stream did start and end many sessions
  });
  it('numbers a session restarted by a late line after a sweep with its first ordinal (same id, same number)', () => {
    const fast = new Sessioniser(Buffer.from('a-test-key-of-enough-length'), 60_000);
    const t0 = Date.UTC(2025, 0, 6);
    const first = fast.sessionFor(t0, 'sid-late', null, null);
    const ord = fast.lastOrdinal;
    // enough later lines for a sweep, which forgets the idle session
    for (let i = 0; i < 70_000; i++) fast.sessionFor(t0 + 3_600_000, `sid-${i % 10}`, null, null);
    expect(fast.sessionFor(t0, 'sid-late', null, null)).toBe(first); // restarted at its own start time
    expect(fast.lastOrdinal).toBe(ord);
    expect(fast.sessions).toBe(11);
  });
});
