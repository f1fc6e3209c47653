import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { openKafkaSource } from '../../src/sources/kafka.js';
import { kafkaConfig } from '../../src/sources/kafka-client.js';

const SECRET = 's3cr3t-value-never-printed';

describe('kafkaConfig', () => {
  it('splits comma lists and rejects entries that are not host:port', () => {
    expect(kafkaConfig({ brokers: ['a:9092, b:9093', 'c:1'] }).brokers).toEqual(['a:9092', 'b:9093', 'c:1']);
    expect(() => kafkaConfig({ brokers: ['localhost'] })).toThrow(UsageError);
    expect(() => kafkaConfig({ brokers: [' '] })).toThrow(/at least one/);
  });

  it('reads the SASL password from the named environment variable, for every mechanism', () => {
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      const cfg = kafkaConfig({ brokers: ['h:1'], sasl: { mechanism, username: 'u', passwordEnv: 'PW' } }, { PW: SECRET });
      expect(cfg.sasl).toEqual({ mechanism, username: 'u', password: SECRET });
    }
  });

  it('names the missing variable but never a secret', () => {
    let message = '';
    try {
      kafkaConfig({ brokers: ['h:1'], sasl: { mechanism: 'plain', username: 'u', passwordEnv: 'KAFKA_PW' } }, {});
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/KAFKA_PW is not set/);
  });

  it('loads PEM files for SSL and reports unreadable ones as usage errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-ssl-'));
    writeFileSync(join(dir, 'ca.pem'), 'CA-PEM');
    const cfg = kafkaConfig({ brokers: ['h:1'], ssl: { caFile: join(dir, 'ca.pem'), rejectUnauthorized: false } });
    expect(cfg.ssl).toEqual({ ca: ['CA-PEM'], cert: undefined, key: undefined, rejectUnauthorized: false });
    expect(kafkaConfig({ brokers: ['h:1'], ssl: true }).ssl).toBe(true);
    expect(() => kafkaConfig({ brokers: ['h:1'], ssl: { certFile: join(dir, 'missing.pem') } })).toThrow(/SSL certificate .*missing\.pem: cannot read \(ENOENT\)/);
  });

  it('forwards only kafkajs warnings and errors, as one line each, and drops them by default', () => {
    const lines: string[] = [];
    const cfg = kafkaConfig({ brokers: ['h:1'], onClientLog: (level, m) => lines.push(`${level} ${m}`) });
    const log = cfg.logCreator!(kafkajs.logLevel.DEBUG);
    const entry = (level: number, message: string, extra: object = {}) =>
      log({ namespace: 'Runner', level, label: '', log: { timestamp: '', message, ...extra } });
    entry(kafkajs.logLevel.ERROR, 'Crash', { error: 'boom', sasl: { password: SECRET } });
    entry(kafkajs.logLevel.WARN, 'Rebalancing');
    entry(kafkajs.logLevel.INFO, 'Starting');
    entry(kafkajs.logLevel.DEBUG, 'Fetch');
    expect(lines).toEqual(['error kafkajs Runner: Crash: boom', 'warn kafkajs Runner: Rebalancing']);
    expect(lines.join('\n')).not.toContain(SECRET);
    const quiet = kafkaConfig({ brokers: ['h:1'] }).logCreator!(kafkajs.logLevel.DEBUG);
    expect(() => quiet({ namespace: 'x', level: kafkajs.logLevel.ERROR, label: '', log: { timestamp: '', message: 'm' } })).not.toThrow();
  });
});

describe('openKafkaSource option checks (before any connection)', () => {
  const base = { brokers: ['127.0.0.1:1'], topics: ['t'] };
  it('rejects bad windows and limits with usage errors', async () => {
    await expect(openKafkaSource({ ...base, maxMessages: 0 })).rejects.toThrow(/--max-messages/);
    await expect(openKafkaSource({ ...base, sinceMs: Number.NaN })).rejects.toThrow(/--since/);
    await expect(openKafkaSource({ ...base, sinceMs: 10, untilMs: 10 })).rejects.toThrow(/earlier than --until/);
    await expect(openKafkaSource({ ...base, topics: [] })).rejects.toBeInstanceOf(UsageError);
  });
});
