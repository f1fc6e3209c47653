/**
 * Connection settings for Kafka sources: brokers, SASL/SSL, retries and a quiet logger, turned into a
 * kafkajs `KafkaConfig`. Secrets are read from environment variables named by the caller and never
 * appear in logs, errors or the returned description.
 */
import { readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
import type { KafkaConfig, LogEntry, SASLOptions } from 'kafkajs';
import { UsageError } from '../errors.js';

const { logLevel } = kafkajs;

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaConnection {
  /** `host:port` strings; entries may also be comma-separated lists (`--brokers a:9092,b:9092`). */
  brokers: string[];
  clientId?: string;
  /** SASL credentials; the password comes from `process.env[passwordEnv]`, never from a flag. */
  sasl?: { mechanism: SaslMechanism; username: string; passwordEnv: string };
  /** `true` for TLS with the system CAs, or PEM files for a private CA / client certificate. */
  ssl?: boolean | { caFile?: string; certFile?: string; keyFile?: string; rejectUnauthorized?: boolean };
  /** kafkajs retry policy for transient broker errors (defaults: 8 retries from 300 ms, capped at 30 s). */
  retry?: { retries?: number; initialRetryTime?: number; maxRetryTime?: number };
  /** kafkajs' own warnings and errors (retries, rebalances); dropped unless given. */
  onClientLog?: (level: 'error' | 'warn', message: string) => void;
}

export const DEFAULT_RETRY = { retries: 8, initialRetryTime: 300, maxRetryTime: 30_000 } as const;

/**
 * Build the kafkajs client configuration; throws UsageError when a secret or certificate is missing.
 * @example new Kafka(kafkaConfig({ brokers: ['localhost:9092'], sasl: { mechanism: 'scram-sha-512',
 *   username: 'phantom', passwordEnv: 'KAFKA_PASSWORD' }, ssl: true }))
 */
export function kafkaConfig(conn: KafkaConnection, env: NodeJS.ProcessEnv = process.env): KafkaConfig {
  const brokers = conn.brokers.flatMap((b) => b.split(',')).map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) throw new UsageError('--brokers: give at least one host:port');
  for (const b of brokers) {
    if (!/^[^:\s]+:\d+$/.test(b)) throw new UsageError(`--brokers: '${b}' is not host:port`);
  }
  return {
    brokers,
    clientId: conn.clientId ?? 'phantom',
    ssl: sslOptions(conn.ssl),
    sasl: saslOptions(conn.sasl, env),
    retry: { ...DEFAULT_RETRY, ...conn.retry },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => forwardLog(entry, conn.onClientLog),
  };
}

function saslOptions(sasl: KafkaConnection['sasl'], env: NodeJS.ProcessEnv): SASLOptions | undefined {
  if (!sasl) return undefined;
  const password = env[sasl.passwordEnv];
  if (password === undefined || password === '') {
    throw new UsageError(`SASL password: environment variable ${sasl.passwordEnv} is not set`);
  }
  const { username } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

function sslOptions(ssl: KafkaConnection['ssl']): KafkaConfig['ssl'] {
  if (ssl === undefined || typeof ssl === 'boolean') return ssl;
  const read = (file: string | undefined, what: string): string | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`SSL ${what} ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const ca = read(ssl.caFile, 'CA file');
  return {
    ca: ca === undefined ? undefined : [ca],
    cert: read(ssl.certFile, 'certificate'),
    key: read(ssl.keyFile, 'key'),
    rejectUnauthorized: ssl.rejectUnauthorized ?? true,
  };
}

// Only the message and an error text are forwarded: kafkajs' extra fields can carry broker/config detail.
function forwardLog(entry: LogEntry, sink: KafkaConnection['onClientLog']): void {
  if (!sink) return;
  const level = entry.level <= logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : null;
  if (level === null) return;
  const extra = entry.log as { error?: unknown };
  const detail = typeof extra.error === 'string' ? `: ${extra.error}` : '';
  sink(level, `kafkajs ${entry.namespace}: ${entry.log.message}${detail}`);
}
