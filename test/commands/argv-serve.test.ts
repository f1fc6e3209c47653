// argv → ServeConfig of `phantom serve`, without spawning the binary or starting a server.
import { describe, expect, it } from 'vitest';
import { parseServeArgs as parse } from '../../src/commands/serve.js';
import { durationText, resolveServeConfig, SERVE_DEFAULTS } from '../../src/serve/options.js';

describe('serve argv → options', () => {
  it('defaults are SERVE_DEFAULTS; the environment is not read', () => {
    expect(parse([])).toEqual({
      config: resolveServeConfig(), models: { model: null, kernels: null, rules: null, temperature: SERVE_DEFAULTS.temperature }, tokenEnv: null, redis: null, json: false, quiet: false,
    });
    expect(parse(['--token-env', 'NO_SUCH_VARIABLE_IN_THIS_TEST', '--redis', 'NOR_THIS_ONE'])).toMatchObject({ tokenEnv: 'NO_SUCH_VARIABLE_IN_THIS_TEST', redis: 'NOR_THIS_ONE', config: { token: null, redisUrl: null } });
    expect([SERVE_DEFAULTS.sessionTtlMs, SERVE_DEFAULTS.decisionTtlMs, SERVE_DEFAULTS.drainTimeoutMs, SERVE_DEFAULTS.syncIntervalMs, SERVE_DEFAULTS.redisBudgetMs, SERVE_DEFAULTS.redisSlowMs].map(durationText)).toEqual(['30m', '1h', '10s', '200ms', '10ms', '50ms']);
  });

  it('maps every flag to its option', () => {
    const a = parse(['--model', 'm.json', '--kernels', 'k.json', '--rules', 'r.json', '--policy', 'rules', '--host', '0.0.0.0', '--port', '0', '--redis-prefix', 'p:', '--sync-interval', '1s',
      '--redis-budget', '25ms', '--redis-slow', '0.2s', '--session-ttl', '5m', '--max-sessions', '10', '--max-session-bytes', '2048', '--max-session-events', '20', '--max-decisions', '30', '--decision-ttl', '2h', '--body-limit', '4096',
      '--static-markup', '1.1', '--arms', '0.9,1,1.1', '--ucb-alpha', '0.5', '--temperature', '2', '--feature-set', 'original', '--timeout-sec', '60', '-s', '3', '--drain-timeout', '500ms', '--json']);
    expect(a.config).toEqual(resolveServeConfig({
      host: '0.0.0.0', port: 0, policy: 'rules', redisPrefix: 'p:', syncIntervalMs: 1000, redisBudgetMs: 25, redisSlowMs: 200, sessionTtlMs: 300_000, maxSessions: 10, maxSessionBytes: 2048, maxEventsPerSession: 20,
      maxDecisions: 30, decisionTtlMs: 7_200_000, bodyLimitBytes: 4096, staticMarkup: 1.1, arms: [0.9, 1, 1.1], ucbAlpha: 0.5, temperature: 2, seed: 3, drainTimeoutMs: 500,
    }));
    expect(a.models).toEqual({ model: 'm.json', kernels: 'k.json', rules: 'r.json', temperature: 2, featureSet: 'original', timeoutSec: 60 });
    expect(a.json).toBe(true);
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parse(['--policy', 'rules'])).toThrow('--policy rules needs --rules rules.json (from phantom distill)');
    expect(() => parse(['--session-ttl', 'soon'])).toThrow('--session-ttl takes a duration such as 500ms, 90s, 30m or 2h, got "soon"');
    expect(() => parse(['--redis-budget', '0ms'])).toThrow('--redis-budget must be positive, got "0ms"');
    expect(() => parse(['--redis-slow', 'fast'])).toThrow('--redis-slow takes a duration such as 500ms, 90s, 30m or 2h, got "fast"');
    expect(() => parse(['--arms', '1,-1'])).toThrow('--arms takes positive markups separated by commas, got "1,-1"');
    expect(() => parse(['--port', '70000'])).toThrow('--port must be between 0 and 65535, got 70000');
    expect(() => parse(['--temperature', '0'])).toThrow('serve: temperature must be > 0');
  });
});
