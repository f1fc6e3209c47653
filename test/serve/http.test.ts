// The HTTP surface in-process: status codes and messages for bad input (must-show 3), auth, limits,
// the session store bounds, and graceful shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/stats/rng.js';
import { call, startApp, type Running } from './app-fixture.js';

const TOKEN = 'test-token-d41d8cd9';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function event(sessionId: string, k: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sessionId, eventName: k % 3 === 0 ? 'page_view' : 'view_item_page', ts: T0 + k * 1500, productId: `p${k % 4}`, metadata: { price: 100 + k }, userAgent: 'Mozilla/5.0 Chrome/120', ...extra };
}

describe('serve HTTP surface', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startApp({ token: TOKEN, bodyLimitBytes: 8192, policy: 'linucb', seed: 1 });
  });
  afterAll(() => s.app.shutdown());

  it('accepts events, scores the session, prices and takes feedback', async () => {
    const ev = await call(s.port, 'POST', '/v1/events', [event('good-1', 0), event('good-1', 1), event('good-1', 2)], AUTH);
    expect(ev.status).toBe(202);
    expect(ev.body).toEqual({ accepted: 3, rejected: 0, errors: [] });
    const sc = await call(s.port, 'GET', '/v1/sessions/good-1/score', undefined, AUTH);
    expect(sc.status).toBe(200);
    expect(sc.body.events).toBe(3);
    expect(sc.body.features.total_interactions).toBe(3);
    expect(sc.body.features.session_duration_sec).toBe(3);
    expect(sc.body.features.browser_family).toBe('Chrome');
    const pr = await call(s.port, 'POST', '/v1/price', { sessionId: 'good-1', productId: 'p1', basePrice: 200 }, AUTH);
    expect(pr.status).toBe(200);
    expect(pr.body.policy).toBe('linucb');
    expect(pr.body.price).toBeCloseTo(200 * pr.body.markup, 9);
    expect(typeof pr.body.decisionId).toBe('string');
    const fb = await call(s.port, 'POST', '/v1/feedback', { decisionId: pr.body.decisionId, reward: 1.1 }, AUTH);
    expect(fb.status).toBe(202);
    expect(fb.body).toEqual({ queued: true });
    const again = await call(s.port, 'POST', '/v1/feedback', { decisionId: pr.body.decisionId, reward: 1.1 }, AUTH);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('unknown_decision');
    await s.app.parts.feedback.drain();
    expect(s.app.parts.bandit!.total().n.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('a batch with some bad records is 202 with a reason per rejected record', async () => {
    const r = await call(s.port, 'POST', '/v1/events', [event('mixed', 0), { sessionId: 'mixed', eventName: 7, ts: T0 }, { eventName: 'page_view', ts: T0 }, event('mixed', 1, { ts: 'yesterday' })], AUTH);
    expect(r.status).toBe(202);
    expect(r.body.accepted).toBe(1);
    expect(r.body.errors.map((e: { index: number; reason: string }) => [e.index, e.reason])).toEqual([[1, 'wrong_type:eventName'], [2, 'missing_session_id'], [3, 'bad_timestamp']]);
  });

  it('1,000 bad requests of every kind, interleaved with good ones: right status and code for each, every good one succeeds', async () => {
    const rng = createRng(99);
    const big = JSON.stringify([event('big', 0, { metadata: { text: 'x'.repeat(9000) } })]);
    const bad: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
      ['malformed JSON', () => call(s.port, 'POST', '/v1/events', '{"sessionId": "a", "eventName": ', AUTH, true), 400, 'malformed_json'],
      ['empty body', () => call(s.port, 'POST', '/v1/price', '', AUTH, true), 400, 'empty_body'],
      ['oversized body', () => call(s.port, 'POST', '/v1/events', big, AUTH, true), 413, 'body_too_large'],
      ['wrong event types', () => call(s.port, 'POST', '/v1/events', { sessionId: 'x', eventName: ['page_view'], ts: T0 }, AUTH), 400, 'wrong_type'],
      ['wrong price types', () => call(s.port, 'POST', '/v1/price', { sessionId: 'x', basePrice: '100' }, AUTH), 400, 'invalid_price_request'],
      ['negative price', () => call(s.port, 'POST', '/v1/price', { sessionId: 'x', basePrice: -1 }, AUTH), 400, 'invalid_price_request'],
      ['unknown session', () => call(s.port, 'GET', `/v1/sessions/nobody-${rng.int(1e9)}/score`, undefined, AUTH), 404, 'unknown_session'],
      ['unknown decision', () => call(s.port, 'POST', '/v1/feedback', { decisionId: 'no-such-decision', reward: 1 }, AUTH), 404, 'unknown_decision'],
      ['wrong feedback types', () => call(s.port, 'POST', '/v1/feedback', { decisionId: 'd', reward: 'high' }, AUTH), 400, 'invalid_feedback'],
      ['missing token', () => call(s.port, 'POST', '/v1/price', { sessionId: 'x', basePrice: 1 }), 401, 'unauthorized'],
      ['wrong token', () => call(s.port, 'GET', '/v1/sessions/good-1/score', undefined, { authorization: 'Bearer nope' }), 401, 'unauthorized'],
      ['wrong method', () => call(s.port, 'DELETE', '/v1/price', undefined, AUTH), 405, 'method_not_allowed'],
      ['unknown path', () => call(s.port, 'GET', '/v2/anything', undefined, AUTH), 404, 'not_found'],
    ];
    let good = 0, goodOk = 0, badCount = 0;
    const failures: string[] = [];
    for (let round = 0; round < 50; round++) {
      const jobs: Promise<void>[] = [];
      for (let k = 0; k < 20; k++) {
        const [what, send, status, code] = bad[rng.int(bad.length)]!;
        badCount++;
        jobs.push(send().then((r) => {
          if (r.status !== status || r.body?.error?.code !== code || typeof r.body?.error?.message !== 'string') failures.push(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
        }));
        const sid = `load-${rng.int(20)}`;
        const n = good++;
        const goodCall = n % 3 === 0
          ? call(s.port, 'POST', '/v1/events', [event(sid, n)], AUTH).then((r) => r.status === 202)
          : n % 3 === 1
            ? call(s.port, 'POST', '/v1/price', { sessionId: sid, productId: 'p1', basePrice: 50 }, AUTH).then((r) => r.status === 200 && r.body.price > 0)
            : call(s.port, 'GET', '/healthz').then((r) => r.status === 200 && r.body.status === 'ok');
        jobs.push(goodCall.then((ok) => void (ok && goodOk++)));
      }
      await Promise.all(jobs);
    }
    expect(badCount).toBe(1000);
    expect(failures).toEqual([]);
    expect(goodOk).toBe(good);
    expect((await call(s.port, 'GET', '/healthz')).body.status).toBe('ok');
  });

  it('refuses a streamed (chunked) body past the limit with 413', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.port, method: 'POST', path: '/v1/events', headers: { ...AUTH, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(`[${' '.repeat(6000)}`);
      req.write(' '.repeat(6000));
      req.end(']');
    });
    expect(status).toBe(413);
  });

  it('/metrics needs the token and reports requests, latency, sessions and queue depth; /healthz does not', async () => {
    expect((await call(s.port, 'GET', '/metrics')).status).toBe(401);
    const m = await call(s.port, 'GET', '/metrics', undefined, AUTH);
    expect(m.status).toBe(200);
    expect(m.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(m.text).toMatch(/phantom_http_requests_total\{route="POST \/v1\/price",status="200"\} \d+/);
    expect(m.text).toMatch(/phantom_http_request_duration_seconds_bucket\{route="POST \/v1\/events",le="0.005"\} \d+/);
    expect(m.text).toMatch(/^phantom_sessions \d+$/m);
    expect(m.text).toMatch(/^phantom_feedback_queue_depth \d+$/m);
    expect(m.text).toContain('phantom_redis_up -1');
    expect(m.text).toMatch(/phantom_events_total\{result="rejected",reason="wrong_type:eventName"\} \d+/);
    expect(m.text).not.toContain(TOKEN);
    const h = await call(s.port, 'GET', '/healthz');
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'ok', redis: 'off', policy: 'linucb', unsharedSessions: 0 }); // nothing kept for a Redis that is not configured
    expect(h.body.sessions).toBeGreaterThan(20);
    expect(s.logs.join('\n')).not.toContain(TOKEN);
  });
});

describe('serve session bounds and shutdown', () => {
  it('evicts the least recently used session past --max-sessions and rejects events past the per-session cap', async () => {
    const s = await startApp({ maxSessions: 3, maxEventsPerSession: 4 });
    try {
      for (const id of ['a', 'b', 'c']) expect((await call(s.port, 'POST', '/v1/events', [event(id, 0)])).status).toBe(202);
      expect((await call(s.port, 'GET', '/v1/sessions/a/score')).status).toBe(200); // a is now recent
      await call(s.port, 'POST', '/v1/events', [event('d', 0)]);
      expect((await call(s.port, 'GET', '/v1/sessions/b/score')).status).toBe(404);
      expect((await call(s.port, 'GET', '/v1/sessions/a/score')).status).toBe(200);
      const full = await call(s.port, 'POST', '/v1/events', [1, 2, 3, 4].map((k) => event('a', k)));
      expect(full.body.accepted).toBe(3);
      expect(full.body.errors[0].reason).toBe('session_full');
      expect(s.app.parts.metrics.value('phantom_sessions_evicted_total', { reason: 'lru' })).toBe(1);
    } finally {
      await s.app.shutdown();
    }
  });

  it('expires sessions idle longer than --session-ttl', async () => {
    let now = T0;
    const { createApp } = await import('../../src/serve/app.js');
    const { createParts } = await import('../../src/serve/parts.js');
    const { resolveServeConfig } = await import('../../src/serve/options.js');
    const { NO_MODELS } = await import('./app-fixture.js');
    const app = createApp(createParts(resolveServeConfig({ port: 0, sessionTtlMs: 60_000 }), NO_MODELS, { now: () => now, log: () => {} }));
    const { port } = await app.listen();
    try {
      await call(port, 'POST', '/v1/events', [event('idle', 0)]);
      now += 59_000;
      expect((await call(port, 'GET', '/v1/sessions/idle/score')).status).toBe(200);
      now += 61_000;
      expect((await call(port, 'GET', '/v1/sessions/idle/score')).status).toBe(404);
    } finally {
      await app.shutdown();
    }
  });

  it('on shutdown, answers what is in flight, refuses new work, and applies every queued feedback', async () => {
    const s = await startApp({ policy: 'linucb' });
    const decisions: string[] = [];
    for (let k = 0; k < 200; k++) decisions.push((await call(s.port, 'POST', '/v1/price', { sessionId: `q${k}`, basePrice: 10 })).body.decisionId);
    const fb = decisions.map((d) => call(s.port, 'POST', '/v1/feedback', { decisionId: d, reward: 1 }));
    expect((await Promise.all(fb)).every((r) => r.status === 202)).toBe(true);
    // a request whose body is still arriving when SIGTERM comes is answered
    const { request } = await import('node:http');
    let finish!: () => void;
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.port, method: 'POST', path: '/v1/events', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('[');
      finish = () => req.end(`${JSON.stringify(event('late', 0))}]`);
    });
    await new Promise((r) => setTimeout(r, 50));
    const stopping = s.app.shutdown();
    expect(s.app.draining).toBe(true);
    finish();
    expect(await inFlight).toBe(202);
    await stopping;
    expect(s.app.parts.feedback.depth).toBe(0);
    expect(s.app.parts.bandit!.total().n.reduce((a, b) => a + b, 0)).toBe(200);
    await expect(call(s.port, 'GET', '/healthz')).rejects.toThrow();
  });
});
