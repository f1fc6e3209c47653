// Must-show 2: two `phantom serve` processes sharing one real Redis. Feedback sent to one changes the
// other's LinUCB choice; sessions posted to one are scored by the other; with Redis killed both keep
// answering and /healthz says degraded; with Redis back they share again, including what was learnt
// while it was down.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeRedis, startRedis, type TestRedis } from '../support/redis.js';
import { call } from './app-fixture.js';
import { eventually, spawnServe, type ServeProcess } from './serve-process.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const TOP = 1.2; // the markup the feedback rewards

function events(sessionId: string, n: number, offset = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    sessionId, eventName: ['page_view', 'view_item_page', 'add_item_to_cart', 'hover_over_title'][(i + offset) % 4], ts: T0 + (i + offset) * 2000,
    productId: `p${(i + offset) % 3}`, metadata: { price: 80 + i, dwellTime: 1250 }, userAgent: 'Mozilla/5.0 Safari/605',
  }));
}

/** Train a replica: price and send feedback that rewards only the TOP markup. */
async function train(port: number, rounds: number): Promise<void> {
  for (let t = 0; t < rounds; t++) {
    const p = await call(port, 'POST', '/v1/price', { sessionId: 'trainer', basePrice: 100 });
    expect(p.status).toBe(200);
    const f = await call(port, 'POST', '/v1/feedback', { decisionId: p.body.decisionId, reward: p.body.markup === TOP ? 1.2 : 0 });
    expect(f.status).toBe(202);
  }
}

/** How many of `n` prices a replica posts at the TOP markup. */
async function topShare(port: number, n: number): Promise<number> {
  let top = 0;
  for (let k = 0; k < n; k++) if ((await call(port, 'POST', '/v1/price', { sessionId: 'probe', basePrice: 100 })).body.markup === TOP) top++;
  return top / n;
}

/**
 * These tests are about sharing, not latency bounds (test/serve/redis-hang.test.ts proves those): on a loaded
 * machine a 10 ms request budget or a 50 ms PING bound can pass, the write is then kept locally and retried
 * later, and the other replica does not see it yet. Generous bounds keep the shared path the one taken.
 */
const SHARING = ['--redis-budget', '2s', '--redis-slow', '2s'];

const health = async (port: number): Promise<Record<string, unknown>> => (await call(port, 'GET', '/healthz')).body;

describeRedis('two serve processes sharing Redis', () => {
  let redis: TestRedis;
  let a: ServeProcess, b: ServeProcess;
  beforeAll(async () => {
    redis = await startRedis();
    const args = ['--policy', 'linucb', '--redis', redis.url, '--redis-prefix', redis.prefix, '--sync-interval', '50ms', ...SHARING];
    [a, b] = await Promise.all([spawnServe([...args, '--seed', '1']), spawnServe([...args, '--seed', '2'])]);
    await eventually(async () => (await health(a.port)).status === 'ok' && (await health(b.port)).status === 'ok', 'both replicas are connected');
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('a session whose events went to one replica is scored identically by the other', async () => {
    expect((await call(a.port, 'POST', '/v1/events', events('shared-1', 5))).status).toBe(202);
    expect((await call(b.port, 'POST', '/v1/events', events('shared-1', 3, 5))).status).toBe(202);
    const [sa, sb] = await Promise.all([call(a.port, 'GET', '/v1/sessions/shared-1/score'), call(b.port, 'GET', '/v1/sessions/shared-1/score')]);
    expect(sa.status).toBe(200);
    expect(sb.body.events).toBe(8);
    expect(sb.body.features).toEqual(sa.body.features);
    expect(sa.body.features.total_interactions).toBe(8);
  });

  it('feedback sent to one replica changes the other replica’s LinUCB choice', async () => {
    expect(await topShare(b.port, 30)).toBeLessThan(0.5); // untrained: ties broken at random over 9 arms
    await train(a.port, 300);
    await eventually(async () => (await health(b.port)).banditPlays === 300, 'replica B has pulled the 300 updates made at A');
    expect(await topShare(b.port, 30)).toBeGreaterThan(0.8);
  });

  it('with Redis killed both keep answering and report degraded; with Redis back they share again', async () => {
    await redis.kill();
    await eventually(async () => (await health(a.port)).status === 'degraded' && (await health(b.port)).status === 'degraded', 'both replicas report degraded');
    for (const r of [a, b]) {
      const p = await call(r.port, 'POST', '/v1/price', { sessionId: 'shared-1', basePrice: 50 });
      expect(p.status).toBe(200);
      expect((await call(r.port, 'GET', '/v1/sessions/shared-1/score')).status).toBe(200);
    }
    // learning and events continue locally while Redis is down
    const before = Number((await health(b.port)).banditPlays);
    await train(a.port, 40);
    expect((await call(a.port, 'POST', '/v1/events', events('offline-1', 4))).status).toBe(202);
    expect((await call(a.port, 'GET', '/v1/sessions/offline-1/score')).body.events).toBe(4);
    expect((await call(b.port, 'GET', '/v1/sessions/offline-1/score')).status).toBe(404);
    const ha = await health(a.port);
    expect(ha.unsharedBanditUpdates).toBe(40);
    expect(ha.unsharedSessions).toBe(1);

    await redis.restart(); // empty: persistence is off
    await eventually(async () => (await health(a.port)).status === 'ok' && (await health(b.port)).status === 'ok', 'both replicas reconnect');
    await eventually(async () => (await health(b.port)).banditPlays === before + 40, 'B has the 40 updates A learnt while Redis was down (and the history before)');
    expect((await health(a.port)).unsharedBanditUpdates).toBe(0);
    const off = await call(b.port, 'GET', '/v1/sessions/offline-1/score');
    expect(off.status).toBe(200);
    expect(off.body.events).toBe(4);
    // feedback flows both ways again
    await train(b.port, 10);
    await eventually(async () => (await health(a.port)).banditPlays === before + 50, 'A sees B’s new updates');
  });

  it('SIGTERM drains and exits 0', async () => {
    const code = await a.stop();
    expect(code).toBe(0);
    expect(a.stderr()).toContain('stopped');
  });
});

describeRedis('feedback reaching another replica', () => {
  it('applies feedback sent to B for a price decided by A, once', async () => {
    const redis = await startRedis();
    const args = ['--policy', 'linucb', '--redis', redis.url, '--redis-prefix', redis.prefix, '--sync-interval', '50ms', ...SHARING];
    const [a, b] = await Promise.all([spawnServe(args), spawnServe(args)]);
    try {
      await eventually(async () => (await health(a.port)).status === 'ok' && (await health(b.port)).status === 'ok', 'both replicas are connected');
      const p = await call(a.port, 'POST', '/v1/price', { sessionId: 'x', basePrice: 10 });
      const f = await call(b.port, 'POST', '/v1/feedback', { decisionId: p.body.decisionId, reward: 1 });
      expect(f.status).toBe(202);
      expect((await call(a.port, 'POST', '/v1/feedback', { decisionId: p.body.decisionId, reward: 1 })).status).toBe(404);
      await eventually(async () => (await health(a.port)).banditPlays === 1 && (await health(b.port)).banditPlays === 1, 'the update is shared');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await redis.stop();
    }
  });
});
