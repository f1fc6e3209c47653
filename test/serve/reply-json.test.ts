// The request path's hand-written parts against the general ones they stand in for: the price and events
// replies written as text (Reply.json) vs JSON.stringify of their bodies, and a route's metrics recorder and
// the counter cache of `inc` vs observeRequest and plain counting (the same exposition text).
import { describe, expect, it } from 'vitest';
import { eventsReply, priceReply, type Reply } from '../../src/serve/handlers.js';
import { Metrics } from '../../src/serve/metrics.js';
import { resolveServeConfig } from '../../src/serve/options.js';
import { createParts } from '../../src/serve/parts.js';
import { priceAnswerJson, round12, type PriceAnswer } from '../../src/serve/pricer.js';
import { createRng } from '../../src/stats/rng.js';
import { NO_MODELS } from './app-fixture.js';

const NOW = 1_765_000_000_000;

describe('price reply text', () => {
  it('is JSON.stringify of the answer, for every number JSON writes differently and both key sets', () => {
    const numbers = [0, -0, 1, 115, 138.00000000001, 1e21, 1e-7, 123456789.123, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity, 0.1 + 0.2];
    const r11 = createRng(11), rng = () => r11.next();
    for (let k = 0; k < 2000; k++) numbers.push((rng() - 0.3) * 10 ** Math.floor(rng() * 40 - 20));
    const hex = '0123456789abcdef0123456789abcdef';
    for (const [i, n] of numbers.entries()) {
      for (const policy of ['static', 'rules', 'linucb'] as const) {
        const a: PriceAnswer = { price: n, markup: numbers[(i + 1) % numbers.length]!, policy, agentProbability: i % 3 === 0 ? null : numbers[(i + 2) % numbers.length]!, decisionId: hex };
        expect(priceAnswerJson(a)).toBe(JSON.stringify(a));
        a.fallback = 'unknown_session';
        expect(priceAnswerJson(a)).toBe(JSON.stringify(a));
      }
    }
  });

  it('is sent for every priced reply of the handlers, and equals the body serialised', async () => {
    // (the rules policy needs a rules model; its fallback key is covered above)
    for (const policy of ['static', 'linucb'] as const) {
      const p = createParts(resolveServeConfig({ port: 0, policy, seed: 3 }), NO_MODELS, { now: () => NOW, log: () => {} });
      eventsReply(p, { sessionId: 's', eventName: 'page_view', ts: NOW - 5000, productId: 'p1', metadata: { price: 101 } });
      for (const body of [{ sessionId: 's', productId: 'p1', basePrice: 120 }, { sessionId: 'unknown', basePrice: 99.99 }, { sessionId: 's', productId: null, basePrice: 0.07 }]) {
        const r = (await priceReply(p, body)) as Reply;
        expect(r.json).toBeDefined();
        expect(r.json).toBe(JSON.stringify(r.body));
      }
    }
  });
});

describe('price rounding', () => {
  it('round12 is Number(v.toPrecision(12)) to the bit: prices, any magnitude, and decimals next to a half', () => {
    const r = createRng(21), rng = () => r.next();
    const values = [1e-11, 1e11, 0.1, 0.3, 1 / 3, 100, 115, 138, 99999999999.95, 999999999999.5, 1e-12, 5e-324, Number.MAX_VALUE, 0, -0, -1.15, NaN, Infinity];
    const markups = [0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3, 1.5, 2];
    for (let i = 0; i < 100_000; i++) {
      values.push((Math.round(rng() * 1e6) / 100) * markups[i % markups.length]!, rng() * 10 ** Math.floor(rng() * 30 - 14));
      // 13 to 16 significant digits ending at or next to a half of the 12th: where rounding could tip
      const m = Math.floor(1e11 + rng() * 9e11), e = Math.floor(rng() * 20 - 10);
      values.push(Number(`${m}5e${e - 1}`), Number(`${m}4999e${e - 3}`), Number(`${m}5001e${e - 3}`));
    }
    let differ = 0;
    for (const v of values) if (!Object.is(round12(v), Number(v.toPrecision(12)))) differ++;
    expect(differ).toBe(0);
  });
});

describe('events reply text', () => {
  it('is JSON.stringify of the body when nothing was rejected, and absent otherwise', async () => {
    const p = createParts(resolveServeConfig({ port: 0, policy: 'linucb', seed: 3 }), NO_MODELS, { now: () => NOW, log: () => {} });
    const event = (k: number) => ({ sessionId: `s${k % 4}`, eventName: 'page_view', ts: NOW - 1000 * k, productId: `p${k}` });
    for (const body of [event(1), [event(2)], [event(3), event(4), event(5)], Array.from({ length: 40 }, (_, k) => event(k + 10))]) {
      const r = (await eventsReply(p, body)) as Reply;
      expect(r.json).toBe(JSON.stringify(r.body));
    }
    const mixed = (await eventsReply(p, [event(60), { sessionId: 's1' }])) as Reply;
    expect(mixed.json).toBeUndefined();
    expect((mixed.body as { rejected: number }).rejected).toBe(1);
  });
});

describe('metrics on the request path', () => {
  it('a route recorder gives the exposition text observeRequest gives, in the same order', () => {
    const a = new Metrics(), b = new Metrics();
    const routes = ['POST /v1/events', 'POST /v1/price', 'unmatched'];
    const recorders = routes.map((r) => a.recorder(r));
    const r5 = createRng(5), rng = () => r5.next();
    for (let k = 0; k < 3000; k++) {
      const r = Math.floor(rng() * 3), status = rng() < 0.8 ? (r === 0 ? 202 : 200) : [400, 404, 413, 500][Math.floor(rng() * 4)]!;
      const seconds = rng() < 0.01 ? 3 : rng() * 0.02;
      recorders[r]!(status, seconds);
      b.observeRequest(routes[r]!, status, seconds);
    }
    expect(a.render()).toBe(b.render());
    // a recorder declares nothing before its first call
    const c = new Metrics();
    c.recorder('POST /v1/price');
    expect(c.render()).toBe(new Metrics().render());
  });

  it('inc counts into the right counter whatever the order of names and label sets', () => {
    const m = new Metrics();
    const expected = new Map<string, number>();
    const frozen = [Object.freeze({ result: 'accepted', reason: 'none' }), Object.freeze({ result: 'rejected', reason: 'x' })];
    const mutable = { result: 'rejected', reason: 'a' };
    const r9 = createRng(9), rng = () => r9.next();
    for (let k = 0; k < 2000; k++) {
      const name = rng() < 0.7 ? 'phantom_events_total' : 'phantom_other_total';
      const u = rng();
      // a mutable label set changes between calls: it must never be counted under its old labels
      if (u < 0.3) mutable.reason = rng() < 0.5 ? 'a' : 'b';
      const l = u < 0.4 ? mutable : frozen[Math.floor(rng() * 2)]!;
      const by = 1 + Math.floor(rng() * 3);
      m.inc(name, 'help', l, by);
      const key = `${name}|${l.result}|${l.reason}`;
      expected.set(key, (expected.get(key) ?? 0) + by);
    }
    for (const [key, n] of expected) {
      const [name, result, reason] = key.split('|');
      expect(m.value(name!, { result: result!, reason: reason! })).toBe(n);
    }
  });
});

describe('route lookup', () => {
  it('checks the token before decoding path parameters, and sends the same headers and bodies on each route', async () => {
    const { startApp, call } = await import('./app-fixture.js');
    const s = await startApp({ token: 'tok-route-lookup', policy: 'linucb', seed: 1 });
    try {
      const auth = { authorization: 'Bearer tok-route-lookup' };
      const bad = await call(s.port, 'GET', '/v1/sessions/%E0%A4/score');
      expect(bad.status).toBe(401);
      const badAuthed = await call(s.port, 'GET', '/v1/sessions/%E0%A4/score', undefined, auth);
      expect([badAuthed.status, badAuthed.body.error.code]).toEqual([400, 'bad_path']);
      const ev = await call(s.port, 'POST', '/v1/events', { sessionId: 'a b', eventName: 'page_view', ts: Date.now() }, auth);
      expect([ev.status, ev.text, ev.headers['content-type']]).toEqual([202, '{"accepted":1,"rejected":0,"errors":[]}', 'application/json; charset=utf-8']);
      const score = await call(s.port, 'GET', '/v1/sessions/a%20b/score', undefined, auth);
      expect([score.status, score.body.sessionId]).toEqual([200, 'a b']);
      const price = await call(s.port, 'POST', '/v1/price', { sessionId: 'a b', basePrice: 100 }, auth);
      expect(price.status).toBe(200);
      expect(price.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(price.text).toBe(JSON.stringify(price.body));
      expect(Number(price.headers['content-length'])).toBe(Buffer.byteLength(price.text));
      const metrics = await call(s.port, 'GET', '/metrics', undefined, auth);
      expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(metrics.text).toContain('phantom_http_requests_total{route="GET /v1/sessions/:id/score",status="401"} 1');
      expect(metrics.text).toContain('phantom_http_requests_total{route="POST /v1/price",status="200"} 1');
    } finally {
      await s.app.shutdown();
    }
  });
});
