// `phantom serve` as users start it: flag errors exit 2 with a message naming the flag; the token is read
// from the environment, enforced, and never printed.
import { describe, expect, it } from 'vitest';
import { phantom } from '../support/cli.js';
import { call } from './app-fixture.js';
import { spawnServe } from './serve-process.js';

describe('phantom serve (CLI)', () => {
  it('refuses bad configurations before listening, exit 2', () => {
    const noToken = phantom(['serve', '--token-env', 'PHANTOM_TEST_UNSET_TOKEN'], { env: { PHANTOM_TEST_UNSET_TOKEN: '' } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('--token-env PHANTOM_TEST_UNSET_TOKEN: that environment variable is not set or is empty');
    const rules = phantom(['serve', '--policy', 'rules']);
    expect(rules.code).toBe(2);
    expect(rules.stderr).toContain('--policy rules needs --rules');
    const ttl = phantom(['serve', '--session-ttl', 'soon']);
    expect(ttl.code).toBe(2);
    expect(ttl.stderr).toContain('--session-ttl takes a duration');
    const model = phantom(['serve', '--model', 'no/such/model.json']);
    expect(model.code).toBe(2);
    expect(model.stderr).toContain('no/such/model.json');
    const policy = phantom(['serve', '--policy', 'surge']);
    expect(policy.code).toBe(2);
    const redisVar = phantom(['serve', '--redis', 'PHANTOM_TEST_UNSET_REDIS'], { env: { PHANTOM_TEST_UNSET_REDIS: '' } });
    expect(redisVar.code).toBe(2);
    expect(redisVar.stderr).toContain('--redis: environment variable PHANTOM_TEST_UNSET_REDIS is not set or is empty');
    const redisBad = phantom(['serve', '--redis', 'http://u:hunter2@127.0.0.1:6379']);
    expect(redisBad.code).toBe(2);
    expect(redisBad.stderr).toContain('--redis: give a redis://');
    expect(redisBad.stderr).not.toContain('hunter2');
  });

  it('requires the bearer token from --token-env on every endpoint but /healthz, and never prints it', async () => {
    const token = 'cli-secret-5f1c0e';
    const s = await spawnServe(['--token-env', 'PHANTOM_TEST_TOKEN'], { PHANTOM_TEST_TOKEN: token });
    try {
      expect((await call(s.port, 'GET', '/healthz')).status).toBe(200);
      expect((await call(s.port, 'POST', '/v1/price', { sessionId: 's', basePrice: 1 })).status).toBe(401);
      expect((await call(s.port, 'POST', '/v1/price', { sessionId: 's', basePrice: 1 }, { authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await call(s.port, 'GET', '/metrics', undefined, { authorization: `Bearer ${token}x` })).status).toBe(401);
    } finally {
      expect(await s.stop()).toBe(0);
    }
    expect(s.stderr()).toContain('bearer token required');
    expect(s.stderr()).not.toContain(token);
  });
});
