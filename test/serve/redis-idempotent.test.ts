// Writes to Redis are applied at most once, even when a hung Redis runs them after the client gave up:
// a bandit push that timed out and a session append that ran past the request budget are both retried
// under their write id when Redis answers again, and the retry adds nothing (redis-server SIGSTOPped).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LinUcbState } from '../../src/serve/linucb-state.js';
import { SharedBandit } from '../../src/serve/linucb-shared.js';
import { Metrics } from '../../src/serve/metrics.js';
import { connectRedis, type RedisLink } from '../../src/serve/redis-link.js';
import { SessionRepository } from '../../src/serve/session-repository.js';
import type { StoredRow } from '../../src/serve/session-buffer.js';
import { describeRedis, startRedis, type TestRedis } from '../support/redis.js';
import { eventually } from './serve-process.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeRedis('Redis writes are idempotent across a hang', () => {
  let redis: TestRedis;
  let link: RedisLink;
  let check: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    // the latency probe is made lenient here so the link stays `up` and the writes really go out
    link = connectRedis(redis.url, redis.prefix, { timeoutMs: 100, slowMs: 60_000, probeMs: 60_000, budgetMs: 10 }, () => {});
    await eventually(async () => link.state() === 'up', 'the link is up');
    check = new Redis(redis.url);
  });
  afterAll(async () => {
    redis?.resume();
    await link?.close();
    check?.disconnect();
    await redis?.stop();
  });

  it('a bandit push that timed out during the hang is counted once', async () => {
    const state = new LinUcbState({ arms: [1, 1.2], dimension: 2, alpha: 1, ridge: 1 });
    const shared = new SharedBandit(state, link);
    await shared.sync();
    for (let i = 0; i < 3; i++) state.update(1, Float64Array.of(1, i), 1);
    redis.pause();
    await shared.sync(); // times out after 100 ms; Redis has the command queued
    expect(state.unsharedCount()).toBe(3);
    redis.resume();
    await sleep(100);
    await shared.sync(); // the same write id again: adds nothing
    expect(shared.duplicateWrites).toBe(1);
    expect(state.unsharedCount()).toBe(0);
    const hash = await check.hgetall(shared.key);
    expect(Number(hash['n:1'])).toBe(3);
    expect(Array.from(state.total().n)).toEqual([0, 3]);
  });

  it('a session append past the request budget is in the shared list once', async () => {
    const repo = new SessionRepository(link, { maxSessions: 100, sessionTtlMs: 60_000, maxEventsPerSession: 100 }, new Metrics());
    const row = (ts: number): StoredRow => [ts, 'page_view', null, null, null, null, null, null, null, -1, null];
    await repo.append(new Map([['s-hang', [row(1), row(2)]]]));
    redis.pause();
    await repo.append(new Map([['s-hang', [row(3), row(4), row(5)]]])); // past the 10 ms budget: kept locally
    expect(repo.unsyncedSessions).toBe(1);
    redis.resume();
    await eventually(async () => repo.unsyncedSessions === 0, 'the kept rows were retried', 5000);
    expect(await check.llen(`${redis.prefix}s:s-hang`)).toBe(5);
    expect((await repo.load('s-hang'))!.buffer.length).toBe(5);
    repo.close();
  });
});
