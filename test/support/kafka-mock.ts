/**
 * Test harness for Kafka: a real Kafka-protocol broker from librdkafka's mock cluster (native/kafka-mock.c),
 * compiled on first use, or an external cluster named by KAFKA_BROKERS=host:port.
 *
 *   describeKafka('kafka source', () => {
 *     let kafka: KafkaMock;
 *     beforeAll(async () => { kafka = await startKafkaMock(); });
 *     afterAll(() => kafka.stop());
 *     it('…', async () => { const topic = await kafka.createTopic('t', 3); … kafka.brokers … });
 *   });
 *
 * Where the mock cannot be built (no cc, no librdkafka-dev) the suite is skipped with one line saying why;
 * under CI=true it fails instead, because a CI run that skipped Kafka tests is a failed run.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { describe, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCE = join(ROOT, 'native', 'kafka-mock.c');
const BINARY = join(ROOT, 'native', 'build', 'kafka-mock');
const ENABLE = 'enable with: apt-get install librdkafka-dev gcc (or set KAFKA_BROKERS=host:port)';

export type KafkaAvailability = { ok: true } | { ok: false; why: string };

export interface KafkaMock {
  /** Bootstrap servers, comma-separated. */
  brokers: string;
  /** True when KAFKA_BROKERS points at an external cluster (no fault injection there). */
  external: boolean;
  /** Send one stdin command (see native/kafka-mock.c) and wait until the mock has applied it. */
  inject(command: string): Promise<void>;
  /** A new empty topic with a unique name starting with `prefix`. */
  createTopic(prefix: string, partitions: number): Promise<string>;
  stop(): Promise<void>;
}

let availability: KafkaAvailability | null = null;
let topicSeq = 0;

/**
 * Whether Kafka tests can run here: an external cluster is configured, or the mock binary builds.
 * @example if (!kafkaAvailability().ok) …
 */
export function kafkaAvailability(): KafkaAvailability {
  availability ??= process.env.KAFKA_BROKERS ? { ok: true } : buildMock();
  return availability;
}

/** `describe` for suites that need Kafka: skipped with one line when unavailable, failing under CI=true. */
export function describeKafka(name: string, body: () => void): void {
  const a = kafkaAvailability();
  if (a.ok) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a Kafka test broker (CI must not skip Kafka tests)', () => {
        throw new Error(`Kafka tests cannot run: ${a.why}; ${ENABLE}`);
      });
    });
  } else {
    process.stderr.write(`[kafka] skipping "${name}": ${a.why}; ${ENABLE}\n`);
    describe.skip(name, body);
  }
}

// Compile when the binary is missing or older than its source; build to a temp name so parallel test
// files never run a half-written binary.
function buildMock(): KafkaAvailability {
  const mtime = (p: string): number => {
    try {
      return statSync(p).mtimeMs;
    } catch {
      return -1;
    }
  };
  if (mtime(BINARY) >= mtime(SOURCE)) return { ok: true };
  const compiler = process.env.CC || 'cc';
  if (spawnSync(compiler, ['--version']).error) return { ok: false, why: `no C compiler (${compiler}) on PATH` };
  mkdirSync(dirname(BINARY), { recursive: true });
  const tmp = `${BINARY}.${process.pid}.tmp`;
  const cc = spawnSync(compiler, ['-O2', SOURCE, '-o', tmp, '-lrdkafka'], { encoding: 'utf8' });
  if (cc.status !== 0) {
    const err = cc.stderr ?? '';
    if (err.includes('rdkafka_mock.h') || err.includes('rdkafka.h')) return { ok: false, why: 'librdkafka headers (rdkafka_mock.h) not found' };
    if (err.includes('-lrdkafka')) return { ok: false, why: 'librdkafka library not found by the linker' };
    return { ok: false, why: `cc failed on native/kafka-mock.c: ${err.split('\n')[0]}` };
  }
  renameSync(tmp, BINARY);
  return { ok: true };
}

/**
 * Start a mock cluster (or attach to KAFKA_BROKERS).
 * @example const kafka = await startKafkaMock({ brokers: 3 }); await kafka.inject('err 1 3 6');
 */
export async function startKafkaMock(opts: { brokers?: number; topics?: string[] } = {}): Promise<KafkaMock> {
  const external = process.env.KAFKA_BROKERS;
  if (external) return externalCluster(external);
  const a = kafkaAvailability();
  if (!a.ok) throw new Error(`Kafka mock unavailable: ${a.why}; ${ENABLE}`);
  const args = [...(opts.brokers ? ['--brokers', String(opts.brokers)] : []), ...(opts.topics ?? [])];
  const child = spawn(BINARY, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = lineReader(child);
  const brokers = await lines.next(10_000).catch((e: Error) => {
    child.kill('SIGKILL');
    throw new Error(`kafka-mock did not start: ${e.message}; stderr: ${stderr}`);
  });
  const killOnExit = (): boolean => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let queue: Promise<void> = Promise.resolve();
  const inject = (command: string): Promise<void> => {
    const run = async (): Promise<void> => {
      child.stdin.write(`${command}\n`);
      const reply = await lines.next(10_000);
      if (reply !== 'ok') throw new Error(`kafka-mock '${command}': ${reply}`);
    };
    queue = queue.then(run, run);
    return queue;
  };
  return {
    brokers,
    external: false,
    inject,
    async createTopic(prefix, partitions) {
      const name = `${prefix}-${process.pid}-${++topicSeq}`;
      await inject(`topic ${name} ${partitions}`);
      return name;
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function externalCluster(brokers: string): KafkaMock {
  const kafka = new kafkajs.Kafka({ brokers: brokers.split(','), clientId: 'phantom-tests', logLevel: kafkajs.logLevel.ERROR });
  return {
    brokers,
    external: true,
    inject: () => Promise.reject(new Error('fault injection needs the mock broker (unset KAFKA_BROKERS)')),
    async createTopic(prefix, partitions) {
      const name = `${prefix}-${process.pid}-${Date.now().toString(36)}-${++topicSeq}`;
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: true });
      } finally {
        await admin.disconnect();
      }
      return name;
    },
    stop: async () => undefined,
  };
}

// Lines from the child's stdout, one awaited at a time.
function lineReader(child: ChildProcessWithoutNullStreams): { next(timeoutMs: number): Promise<string> } {
  const buffered: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let ended = false;
  const rl = createInterface({ input: child.stdout });
  rl.on('line', (line) => (waiting.length > 0 ? waiting.shift()!(line) : buffered.push(line)));
  rl.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w(null);
  });
  return {
    next(timeoutMs) {
      if (buffered.length > 0) return Promise.resolve(buffered.shift()!);
      if (ended) return Promise.reject(new Error('kafka-mock exited'));
      return new Promise((resolve, reject) => {
        const waiter = (line: string | null): void => {
          clearTimeout(timer);
          if (line === null) reject(new Error('kafka-mock exited'));
          else resolve(line);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`no reply within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(waiter);
      });
    },
  };
}
