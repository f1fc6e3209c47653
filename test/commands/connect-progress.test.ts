// Retry progress while Kafka cannot be reached (issue 17, build 6): one line per failed connection
// attempt, rate-limited, naming the brokers and the cause; other client log lines are not echoed.
import { describe, expect, it } from 'vitest';
import { kafkaConnectProgress } from '../../src/commands/connect-progress.js';

describe('kafkaConnectProgress', () => {
  it('reports failed attempts at most every 2 s and ignores other log lines', () => {
    const said: string[] = [];
    let t = 1000;
    const sink = kafkaConnectProgress('127.0.0.1:9', (m) => said.push(m), 2000, () => t);
    sink('error', 'kafkajs Connection: Connection error: connect ECONNREFUSED 127.0.0.1:9');
    t += 500;
    sink('error', 'kafkajs Connection: Connection error: connect ECONNREFUSED 127.0.0.1:9');
    sink('warn', 'kafkajs ConsumerGroup: rebalancing');
    t += 2500;
    sink('error', 'kafkajs Connection: Connection timeout');
    expect(said).toEqual([
      'kafka: cannot reach 127.0.0.1:9 yet (ECONNREFUSED; 1 connection error in 0 s); retrying for up to about a minute (Ctrl-C to stop)',
      'kafka: cannot reach 127.0.0.1:9 yet (timeout; 3 connection errors in 3 s); retrying for up to about a minute (Ctrl-C to stop)',
    ]);
  });
});
