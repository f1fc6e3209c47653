// Bounded parsing and bounded state in serve: deep bodies are 400 (never 500), binary input is never
// echoed raw, one session id limit on every endpoint, non-finite prices are 422, a large batch yields to
// other work between slices, and the session store is bounded in bytes as well as in count.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents } from '../../src/serve/handlers.js';
import { maskSecrets } from '../../src/io/mask-secrets.js';
import { call, startApp, type Running } from './app-fixture.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const event = (sessionId: string, k: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ sessionId, eventName: 'page_view', ts: T0 + k * 1000, ...extra });

/** POST raw bytes. */
function postBytes(port: number, path: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('serve limits', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startApp({ policy: 'static', bodyLimitBytes: 4 * 1024 * 1024, maxBatchEvents: 20_000 });
  });
  afterAll(() => s.app.shutdown());

  it('a body nested 5,000 levels deep is 400 too_deep on every endpoint, and the server keeps serving', async () => {
    const deep = `{"sessionId":"deep","eventName":"page_view","ts":${T0},"metadata":${'{"a":'.repeat(5000)}1${'}'.repeat(5001)}`;
    for (const path of ['/v1/events', '/v1/price', '/v1/feedback']) {
      const r = await call(s.port, 'POST', path, deep, {}, true);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code).toBe('too_deep');
      expect(r.body.error.message).toMatch(/more than 32 levels deep \(at byte \d+\)/);
    }
    // brackets inside strings do not count; 30 levels of real nesting pass
    let ok: unknown = '[[[[{{{{';
    for (let i = 0; i < 28; i++) ok = { a: ok };
    expect((await call(s.port, 'POST', '/v1/events', event('deep-ok', 0, { metadata: ok }))).status).toBe(202);
    expect(s.logs.filter((l) => l.includes('internal error'))).toEqual([]);
  });

  it('binary bodies and binary values are never echoed raw', async () => {
    const binary = Buffer.from([0x7b, 0x22, 0x73, 0x00, 0x01, 0xff, 0xfe, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x22, 0x3a]);
    const r1 = await postBytes(s.port, '/v1/events', binary);
    expect(r1.status).toBe(400);
    expect(JSON.parse(r1.text).error.code).toBe('not_utf8');
    const r2 = await postBytes(s.port, '/v1/events', Buffer.from('{"sessionId": "\u0001\u001b[31m', 'utf8'));
    expect(r2.status).toBe(400);
    expect(JSON.parse(r2.text).error).toEqual({ code: 'malformed_json', message: 'request body is not valid JSON (at character 15)' });
    const r4 = await postBytes(s.port, '/v1/events', Buffer.from('{"sessionId": "abc'));
    expect(JSON.parse(r4.text).error.message).toBe('request body is not valid JSON (at character 18)');
    const r3 = await call(s.port, 'POST', '/v1/events', [{ sessionId: 's', eventName: 'page_view', ts: 'x\u0000\u001b[2J' }]);
    expect(r3.status).toBe(400);
    const message: string = r3.body.error.message;
    expect(message).not.toMatch(/[\u0000-\u0008\u001b]/); // decoded, the message holds no control character…
    expect(message).toContain('\\u001b[2J'); // …only its escape, as text
    for (const r of [r1, r2]) expect(r.text).not.toMatch(/[\u0000-\u0008\u001b\u00ff\u00fe]/);
  });

  it('one session id limit on every endpoint', async () => {
    const long = 'x'.repeat(100_000);
    const ev = await call(s.port, 'POST', '/v1/events', [event(long, 0), event('short', 0)]);
    expect(ev.status).toBe(202);
    expect(ev.body.accepted).toBe(1);
    expect(ev.body.errors).toEqual([{ index: 0, reason: 'session_id_too_long', detail: 'sessionId has 100000 characters; at most 512' }]);
    const over = 'x'.repeat(513); // (a 100,000-character path is refused by the HTTP parser before any route)
    expect((await call(s.port, 'GET', `/v1/sessions/${over}/score`)).body.error.code).toBe('session_id_too_long');
    expect((await call(s.port, 'POST', '/v1/price', { sessionId: long, basePrice: 1 })).status).toBe(400);
    expect((await call(s.port, 'POST', '/v1/price', { sessionId: over, basePrice: 1 })).status).toBe(400);
    const edge = 'y'.repeat(512);
    expect((await call(s.port, 'POST', '/v1/events', event(edge, 0))).status).toBe(202);
    expect((await call(s.port, 'GET', `/v1/sessions/${edge}/score`)).status).toBe(200);
    expect((await call(s.port, 'POST', '/v1/price', { sessionId: edge, basePrice: 1 })).status).toBe(200);
  });

  it('a basePrice whose price is not finite is 422 with a message, not 200 with null', async () => {
    const r = await call(s.port, 'POST', '/v1/price', { sessionId: 's', basePrice: 1.7e308 });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('price_not_finite');
    expect(r.body.error.message).toContain('basePrice 1.7e+308');
    const ok = await call(s.port, 'POST', '/v1/price', { sessionId: 's', basePrice: 1e300 });
    expect(ok.status).toBe(200);
    expect(Number.isFinite(ok.body.price)).toBe(true);
  });

  it('a 10,000-event batch yields to other work between slices of 64 events', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => event(`batch-${i % 500}`, i));
    let turns = 0, done = false;
    const tick = (): void => {
      turns++;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    const reply = await postEvents(s.app.parts, items);
    done = true;
    expect(reply.status).toBe(202);
    expect((reply.body as { accepted: number }).accepted).toBe(10_000);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(10_000 / 64)); // the event loop turned at every slice
  });
});

describe('session store bounded in bytes', () => {
  it('evicts least-recently-used sessions past --max-session-bytes, whatever their count', async () => {
    const s = await startApp({ maxSessionBytes: 200_000, maxSessions: 100_000 });
    try {
      for (let k = 0; k < 200; k++) {
        const id = `${'z'.repeat(500)}-${k}`; // ~1 KB of id per session, plus its events
        expect((await call(s.port, 'POST', '/v1/events', [event(id, 0), event(id, 1, { page: 'p'.repeat(300) })])).status).toBe(202);
      }
      const store = s.app.parts.sessions.store;
      expect(store.weight).toBeLessThanOrEqual(200_000);
      expect(store.size).toBeLessThan(200);
      expect(store.size).toBeGreaterThan(50);
      const health = (await call(s.port, 'GET', '/healthz')).body;
      expect(health.sessionBytes).toBe(store.weight);
      expect((await call(s.port, 'GET', `/v1/sessions/${'z'.repeat(500)}-199/score`)).status).toBe(200); // the newest stays
      expect((await call(s.port, 'GET', `/v1/sessions/${'z'.repeat(500)}-0/score`)).status).toBe(404); // the oldest went
    } finally {
      await s.app.shutdown();
    }
  });
});

describe('maskSecrets', () => {
  it('masks every accepted form, and nothing else', () => {
    const cases: [string, string][] = [
      ['postgres://u:p%40ss@db:5432/x', 'postgres://u:***@db:5432/x'],
      ['redis://:hunter2@127.0.0.1:6379', 'redis://:***@127.0.0.1:6379'],
      ['postgres://u@h/db?sslmode=require&password=s3&application_name=a', 'postgres://u@h/db?sslmode=require&password=***&application_name=a'],
      ['redis://h:6379/?PASS=s3', 'redis://h:6379/?PASS=***'],
      ['postgres://h/db?sslpassword=k&sslkey=/k.pem&Token=t', 'postgres://h/db?sslpassword=***&sslkey=***&Token=***'],
      ['host=h user=u password=s3 dbname=d', 'host=h user=u password=*** dbname=d'],
      ['phantom x --password s3 --token=t --token-env TOK --sasl-password-env KP', 'phantom x --password *** --token=*** --token-env TOK --sasl-password-env KP'],
      ['{"databaseUrl":"postgres://u:pw@h/d","apiKey":"k1","supabaseKeyEnv":"SB"}', '{"databaseUrl":"postgres://u:***@h/d","apiKey":"***","supabaseKeyEnv":"SB"}'],
      ['phantom export --from file a.jsonl -o out.parquet --database-url DATABASE_URL', 'phantom export --from file a.jsonl -o out.parquet --database-url DATABASE_URL'],
      ['see https://example.org/docs?page=2', 'see https://example.org/docs?page=2'],
    ];
    for (const [input, masked] of cases) {
      expect(maskSecrets(input), input).toBe(masked);
      expect(maskSecrets(masked)).toBe(masked); // idempotent
    }
  });
});
