/**
 * Kafka source (docs/export.md): yields batches of raw records with provenance from one or more topics.
 *
 *   const source = await openKafkaSource({ brokers: ['localhost:9092'], topics: ['user-interactions'],
 *     group: 'phantom-export', sinceMs: Date.parse('2024-05-01T00:00:00Z'), onWarning: console.error });
 *   const ledger = new OffsetLedger();
 *   try {
 *     for await (const batch of source.batches()) {   // one partition per batch, offsets ascending
 *       file.append(batch.records);                     // RawRecord[]: value text, key, provenance
 *       ledger.note(batch);                             // batch.nextOffset is its commit position
 *       if (file.full) { await file.writeAndRename(); await source.commit(ledger.drain()); }
 *     }
 *     await file.writeAndRename(); await source.commit(ledger.drain());
 *   } finally { await source.close(); }
 *
 * Modes. Batch (default): reads every partition up to the high watermark seen at start, then the
 * iterator ends. `follow: true`: keeps reading until `stop()` (the iterator then ends after the batch in
 * hand, and commits still work until `close()`). `group`: a consumer group, so runs resume from the
 * committed offsets and several processes split the partitions; nothing is committed except through
 * `commit()`. Without a group an ephemeral group id is used and `commit()` does nothing.
 * Where a partition starts with no committed offset: earliest, except `follow` without a group (latest);
 * `fromBeginning` overrides. `sinceMs`: offsets from the broker's time index, verified (the record before
 * the answer must be older), else one warning and a scan from the start skipping older records.
 * `untilMs`: a partition ends at its first record at or after it (half-open window). `maxMessages`: the
 * iterator ends once that many records were delivered. Delivery is at-least-once: after a rebalance or
 * a crash, records after the last commit are read again (the provenance key dedupes them); a partition
 * this consumer keeps across a rejoin continues from its own position, so only moved partitions repeat.
 * `commit()` during a rebalance is refused by the group: it then warns and returns 0.
 * Times are epoch ms (parse `--since ISO` with Date.parse); `batch.highWatermark − nextOffset` is the lag.
 * Helpers: kafka-client (connection), kafka-offsets (watermarks, ledger), kafka-since (verified --since),
 * kafka-records (batch → records), kafka-handoff (backpressure), kafka-fetch-decoder (record batches).
 * This file keeps the group state machine.
 */
import kafkajs from 'kafkajs';
import type { EachBatchPayload } from 'kafkajs';
import { EXIT, PhantomError, UsageError } from '../errors.js';
import { BatchHandoff } from './kafka-handoff.js';
import { type KafkaConnection, kafkaConfig } from './kafka-client.js';
import { fetchWatermarks, lookupSinceOffsets, type TopicPartitionOffset, tpKey } from './kafka-offsets.js';
import { installFetchDecoder } from './kafka-fetch-decoder.js';
import { takeRecords } from './kafka-records.js';
import { SinceProbes } from './kafka-since.js';
import { hasErrorType, lostGeneration } from './kafka-errors.js';
import type { RawBatch } from './types.js';

export interface KafkaSourceOptions extends KafkaConnection {
  topics: string[];
  group?: string;
  follow?: boolean;
  fromBeginning?: boolean;
  sinceMs?: number;
  untilMs?: number;
  maxMessages?: number;
  /** phantom's own warnings (e.g. an unusable time index, a commit lost to a rebalance), once each. */
  onWarning?: (message: string) => void;
  /** Longest a fetch waits for new data, ms (default 1000). */
  maxWaitMs?: number;
  /** Consumer-group session timeout, ms (default 30000). */
  sessionTimeoutMs?: number;
  /** Most bytes one fetch returns per partition (default 1 MiB): bounds memory per batch. */
  maxBytesPerPartition?: number;
}

export interface KafkaBatch {
  topic: string;
  partition: number;
  /** May be empty when every record was older than `sinceMs`; commit `nextOffset` anyway. */
  records: RawBatch;
  /** Commit position once these records are durable: last consumed offset + 1. */
  nextOffset: number;
  /** The partition's high watermark at fetch time; lag = highWatermark − nextOffset. */
  highWatermark: number;
}

export interface KafkaSource {
  /** The batches, in arrival order; iterate once. */
  batches(): AsyncIterable<KafkaBatch>;
  /**
   * Commit positions (from an OffsetLedger) to the group, with `metadata` stored beside each offset;
   * returns how many partitions were committed (0: the group refused, it is rebalancing).
   */
  commit(offsets: TopicPartitionOffset[], metadata?: string): Promise<number>;
  /** Topic-partitions this consumer currently owns: the same array until the assignment changes (do not mutate it). */
  assignment(): readonly { topic: string; partition: number }[];
  /**
   * Read owned partitions again from the given offsets (records delivered past them were not kept);
   * a finished batch-mode stream starts again. Returns how many partitions were rewound.
   */
  rewind(offsets: TopicPartitionOffset[]): number;
  /**
   * Batch mode in a group, once this consumer's own partitions are read and committed: the run is done
   * when the group's job is, not when this member's share is (docs/export.md, "Scale-out"). Waits until
   * every partition's committed offset reached the end this run saw at start (false), or a rebalance
   * moved a partition with records left here — its owner left, crashed or was evicted — (true: the
   * stream is open again). `onWaiting` hears the partitions waited for (`topic[n]`), when the set changes.
   * Without a group, in follow mode, with `untilMs` or `maxMessages`, or after `stop()`: false at once.
   */
  more(onWaiting?: (partitions: string[]) => void): Promise<boolean>;
  /** End the iterator after the batch in hand (SIGINT/SIGTERM in follow mode). */
  stop(): void;
  /** Leave the group and disconnect; call after the last commit. Idempotent. */
  close(): Promise<void>;
}

interface PartitionState {
  topic: string;
  partition: number;
  endOffset: number | null;
  /** Next offset to read in this group generation: from batches, else committed/start offset. */
  position: number | null;
  ended: boolean;
}

/**
 * Connect, read watermarks (and `--since` offsets), join the group and start fetching.
 * Throws UsageError when the brokers are unreachable or a topic does not exist.
 * @example const src = await openKafkaSource({ brokers: ['localhost:9092'], topics: ['price-logs'] });
 */
export async function openKafkaSource(opts: KafkaSourceOptions): Promise<KafkaSource> {
  validateOptions(opts);
  await installFetchDecoder(); // before the first fetch; kafkajs keeps its own decoder when the check fails
  const kafka = new kafkajs.Kafka(kafkaConfig(opts));
  const admin = kafka.admin();
  const where = `--brokers ${opts.brokers.join(',')}`;
  try {
    await admin.connect();
  } catch (e) {
    // a failed connect can leave a socket open that keeps the process alive: close it before failing
    await admin.disconnect().catch(() => undefined);
    throw new UsageError(`${where}: cannot connect (${(e as Error).message})`);
  }
  const states = new Map<string, PartitionState>();
  const lows = new Map<string, number>();
  const highs = new Map<string, number>();
  let lookups = new Map<string, number>();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = opts.topics.filter((t) => !existing.has(t));
    if (missing.length > 0) throw new UsageError(`--topic: no such topic on ${where}: ${missing.join(', ')}`);
    for (const w of await fetchWatermarks(admin, opts.topics)) {
      const key = tpKey(w.topic, w.partition);
      lows.set(key, w.low);
      highs.set(key, w.high);
      states.set(key, { topic: w.topic, partition: w.partition, endOffset: opts.follow ? null : w.high, position: null, ended: false });
    }
    if (opts.sinceMs !== undefined) lookups = await lookupSinceOffsets(admin, opts.topics, opts.sinceMs);
  } catch (e) {
    await admin.disconnect();
    throw e;
  }

  const fromBeginning = opts.fromBeginning ?? !(opts.follow && opts.group === undefined);
  const groupId = opts.group ?? `phantom-ephemeral-${process.pid}-${Date.now().toString(36)}`;
  const handoff = new BatchHandoff<KafkaBatch>();
  let restarts = 0;
  let raceRestarts = 0;
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: opts.maxWaitMs ?? 1000,
    sessionTimeout: opts.sessionTimeoutMs ?? 30_000,
    maxBytesPerPartition: opts.maxBytesPerPartition ?? 1_048_576,
    // kafkajs gives up on errors it deems fatal; the consumer restarts (rejoins) a few times first. A group
    // coordinator answering INVALID_REQUEST to a SyncGroup or Heartbeat that raced a rebalance (librdkafka's
    // mock does; a real broker answers REBALANCE_IN_PROGRESS) is a race, not a fault: more restarts.
    retry: { ...opts.retry, restartOnFailure: async (e: Error) => (isInvalidRequest(e) ? ++raceRestarts <= 20 : ++restarts <= 3) },
  });
  const since = new SinceProbes(opts.sinceMs, lookups, (tp, offset) => consumer.seek({ ...tp, offset: String(offset) }), opts.onWarning);
  let assigned: string[] | null = null;
  // assignment()'s answer, built once per assignment: callers ask for it on every batch
  let assignedView: readonly { topic: string; partition: number }[] | null = null;
  let generation = 0;
  let remaining = opts.maxMessages ?? Infinity;

  const state = (topic: string, partition: number): PartitionState => {
    const key = tpKey(topic, partition);
    let st = states.get(key);
    if (!st) {
      // A partition added after start: batch mode reads nothing of it (it held nothing at start).
      st = { topic, partition, endOffset: opts.follow ? null : 0, position: null, ended: false };
      states.set(key, st);
    }
    return st;
  };
  const isDone = (st: PartitionState): boolean =>
    st.ended || (st.endOffset !== null && st.position !== null && st.position >= st.endOffset);
  let final = false; // stopped by a signal or --max-messages: no rewind starts it again
  let crashed: unknown = null; // the consumer stopped for good (kept: an abort of a closed handoff is not)
  let wake: (() => void) | null = null; // ends more()'s wait early (stop)
  const finish = (): void => {
    handoff.close();
    consumer.pause(opts.topics.map((topic) => ({ topic })));
  };
  // A finished stream that has partitions to read again (rewind, or more() after a rebalance): fetch
  // every owned partition that is not done; those assigned while the stream was closed start from the
  // group's offsets.
  const reopen = (): void => {
    if (handoff.isClosed) handoff.reopen();
    consumer.resume(opts.topics.map((topic) => ({ topic })));
    const fresh: string[] = [];
    for (const key of assigned ?? []) {
      const st = states.get(key)!;
      if (isDone(st)) consumer.pause([{ topic: st.topic, partitions: [st.partition] }]);
      else if (st.position === null) fresh.push(key);
    }
    if (fresh.length > 0) void startPositions(generation, fresh).catch((e: unknown) => handoff.abort(e));
  };
  const checkDone = (): void => {
    if (assigned === null || handoff.isClosed) return;
    if (assigned.every((key) => isDone(states.get(key)!))) finish();
  };

  // kafkajs restarts every partition of a new generation from its committed offset. A partition this
  // consumer keeps (a rejoin after stale metadata, a restart, another member joining) continues from
  // where it was instead: what it delivered is still with the caller and will be committed by it.
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const gen = ++generation;
    const kept = new Set(assigned ?? []);
    const keys: string[] = [];
    const fresh: string[] = [];
    for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
      for (const partition of partitions) {
        const key = tpKey(topic, partition);
        const st = state(topic, partition);
        keys.push(key);
        if (kept.has(key) && st.position !== null && since.isReading(topic, partition)) {
          consumer.seek({ topic, partition, offset: String(st.position) });
        } else {
          st.position = null;
          st.ended = false;
          since.reset(topic, partition);
          fresh.push(key);
        }
      }
    }
    assigned = keys;
    assignedView = null;
    if (handoff.isClosed) return;
    consumer.resume(opts.topics.map((topic) => ({ topic })));
    for (const key of keys) {
      const st = states.get(key)!;
      if (st.ended) consumer.pause([{ topic: st.topic, partitions: [st.partition] }]);
    }
    void startPositions(gen, fresh).catch((e: unknown) => handoff.abort(e));
  });

  /** The group's committed offsets by tpKey (−1: none); empty without a group. */
  async function groupOffsets(): Promise<Map<string, number>> {
    const committed = new Map<string, number>();
    if (opts.group === undefined) return committed;
    for (const t of await admin.fetchOffsets({ groupId, topics: opts.topics })) {
      for (const p of t.partitions) committed.set(tpKey(t.topic, p.partition), Number(p.offset));
    }
    return committed;
  }

  // Where each newly assigned partition starts: its committed offset, else earliest/latest.
  async function startPositions(gen: number, keys: string[]): Promise<void> {
    const committed = await groupOffsets();
    if (gen !== generation) return;
    for (const key of keys) {
      const st = states.get(key)!;
      const c = committed.get(key) ?? -1;
      const start = c >= 0 ? c : fromBeginning ? (lows.get(key) ?? 0) : (highs.get(key) ?? 0);
      if (st.position === null) st.position = start;
    }
    checkDone();
  }

  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    // kafkajs never asks restartOnFailure about an error it deems not retriable, such as the mock
    // broker's INVALID_REQUEST to a join that raced a rebalance: rejoin here (kafkajs has disconnected;
    // what was delivered stays with the caller, and GROUP_JOIN continues kept partitions from there)
    if (isInvalidRequest(payload.error) && !final && ++raceRestarts <= 20) {
      opts.onWarning?.(`the group coordinator answered INVALID_REQUEST (a join that raced a rebalance): rejoining (${raceRestarts} of 20)`);
      void (async () => {
        await new Promise((r) => setTimeout(r, 200));
        await consumer.connect();
        await consumer.subscribe({ topics: opts.topics, fromBeginning });
        await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
      })().catch((e: unknown) => {
        crashed = new PhantomError(`Kafka consumer stopped: could not rejoin the group (${(e as Error).message})`, EXIT.internal);
        handoff.abort(crashed);
        wake?.();
      });
      return;
    }
    crashed = new PhantomError(`Kafka consumer stopped: ${payload.error.message} (the records of this run since the last commit are read again by the next run with this group)`, EXIT.internal);
    handoff.abort(crashed);
    wake?.();
  });

  // Batches of only control records never reach eachBatch; their end still moves the position.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.batchSize !== 0 || !since.isReading(payload.topic, payload.partition)) return;
    const st = state(payload.topic, payload.partition);
    st.position = Math.max(st.position ?? 0, Number(payload.lastOffset) + 1);
    checkDone();
  });

  async function eachBatch({ batch, resolveOffset, heartbeat, isStale, isRunning }: EachBatchPayload): Promise<void> {
    if (handoff.isClosed || !isRunning() || isStale() || batch.messages.length === 0) return;
    const { topic, partition } = batch;
    const st = state(topic, partition);
    if (isDone(st) || !since.admit(topic, partition, batch.messages)) return;
    const start = st.position ?? Number(batch.messages[0]!.offset);
    const took = takeRecords(topic, partition, batch.messages, start, {
      sinceMs: opts.sinceMs, untilMs: opts.untilMs, endOffset: st.endOffset, remaining,
    });
    if (took.lastConsumed !== null) resolveOffset(took.lastConsumed);
    remaining -= took.records.length;
    st.position = took.next;
    st.ended = took.ended;
    if (took.ended) consumer.pause([{ topic, partitions: [partition] }]);
    const moved = took.lastConsumed !== null;
    const released = moved
      ? handoff.put({ topic, partition, records: took.records, nextOffset: took.next, highWatermark: Number(batch.highWatermark) })
      : Promise.resolve();
    if (took.limitHit) {
      final = true;
      finish();
    }
    // the others were not all done before this batch (the stream would have ended): only this one moved
    else if (isDone(st)) checkDone();
    await whileHeartbeating(released, heartbeat);
  }

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: opts.topics, fromBeginning });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
  } catch (e) {
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    throw e;
  }

  let closing: Promise<void> | null = null;
  return {
    async *batches() {
      for (let b = await handoff.take(); b !== undefined; b = await handoff.take()) yield b;
    },
    async commit(offsets, metadata) {
      if (opts.group === undefined || offsets.length === 0) return 0;
      // The group fences a commit by generation only, not by owner: a member that rejoined while it
      // wrote a roll would commit, in its new generation, a partition now read by another member, after
      // that member took its start offset — the records would be exported twice. Commit only what this
      // generation owns (checked synchronously, just before kafkajs reads the generation it sends).
      const owned = new Set(assigned ?? []);
      const moved = offsets.filter((o) => !owned.has(tpKey(o.topic, o.partition)));
      if (moved.length > 0) {
        opts.onWarning?.(`commit skipped: ${moved.map((o) => `${o.topic}[${o.partition}]`).join(' ')} moved to another member in a rebalance; records since the last commit will be read again`);
        return 0;
      }
      const gen = generation;
      try {
        await consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset), metadata: metadata ?? null })));
        if (gen !== generation) {
          // kafkajs retries a commit that failed on the network; a retry after a rebalance carries the new generation
          const now = new Set(assigned ?? []);
          const gone = offsets.filter((o) => !now.has(tpKey(o.topic, o.partition)));
          if (gone.length > 0) {
            opts.onWarning?.(
              `a commit that was retried across a rebalance went through for ${gone.map((o) => `${o.topic}[${o.partition}]`).join(' ')}, now owned by another member: ` +
                'records of the roll may also be exported by that member (deduplicate on src_topic, src_partition, src_offset; docs/export.md)',
            );
          }
        }
        return offsets.length;
      } catch (e) {
        if (!lostGeneration(e)) throw e;
        opts.onWarning?.('commit skipped: the group is rebalancing; records since the last commit will be read again');
        return 0;
      }
    },
    assignment: () => (assignedView ??= (assigned ?? []).map((key) => {
      const st = states.get(key)!;
      return { topic: st.topic, partition: st.partition };
    })),
    rewind(offsets) {
      const owned = new Set(assigned ?? []);
      const todo = offsets.filter((o) => owned.has(tpKey(o.topic, o.partition)) && states.has(tpKey(o.topic, o.partition)));
      if (todo.length === 0 || final) return 0;
      for (const o of todo) {
        const st = states.get(tpKey(o.topic, o.partition))!;
        st.position = o.offset;
        st.ended = false;
        consumer.seek({ topic: o.topic, partition: o.partition, offset: String(o.offset) });
      }
      reopen();
      return todo.length;
    },
    async more(onWaiting) {
      if (opts.group === undefined || opts.follow || opts.untilMs !== undefined || opts.maxMessages !== undefined) return false;
      let told = '';
      for (;;) {
        if (crashed !== null) throw crashed;
        if (final) return false;
        const mine = new Set(assigned ?? []);
        if ([...mine].some((key) => !isDone(states.get(key)!))) {
          reopen();
          return true;
        }
        const committed = await groupOffsets();
        // another member's partition is done when the group's offset reached this run's end (an empty
        // partition, or one whose records expired, has nothing to read: its low watermark is the end)
        const left = [...states].filter(([key, st]) => !mine.has(key) && st.endOffset !== null && Math.max(committed.get(key) ?? -1, lows.get(key) ?? 0) < st.endOffset).map(([key]) => key);
        if (left.length === 0) return false;
        const names = left.map((key) => `${states.get(key)!.topic}[${states.get(key)!.partition}]`).sort();
        const text = names.join(' ');
        if (text !== told) onWaiting?.(names);
        told = text;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            wake = null;
            resolve();
          }, MORE_POLL_MS);
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
        });
      }
    },
    stop() {
      final = true;
      finish();
      wake?.();
    },
    close() {
      closing ??= (async () => {
        handoff.abort();
        await consumer.disconnect().catch(() => undefined);
        await admin.disconnect().catch(() => undefined);
      })();
      return closing;
    },
  };
}

function validateOptions(o: KafkaSourceOptions): void {
  if (o.topics.length === 0) throw new UsageError('--topic: give at least one topic');
  const { maxMessages: n, sinceMs, untilMs } = o;
  if (n !== undefined && !(Number.isInteger(n) && n > 0)) throw new UsageError(`--max-messages: expected a positive integer, got ${n}`);
  if (sinceMs !== undefined && !Number.isFinite(sinceMs)) throw new UsageError('--since: not a valid time');
  if (untilMs !== undefined && !Number.isFinite(untilMs)) throw new UsageError('--until: not a valid time');
  if (sinceMs !== undefined && untilMs !== undefined && sinceMs >= untilMs) {
    throw new UsageError('--since must be earlier than --until (the window is since <= t < until)');
  }
}

/** How often more() asks the group for its committed offsets while it waits. */
const MORE_POLL_MS = 1000;

const INVALID_REQUEST = new Set(['INVALID_REQUEST']);
const isInvalidRequest = (e: unknown): boolean => hasErrorType(e, INVALID_REQUEST);

// Hold the batch until the caller is done with it, heartbeating so the group keeps us meanwhile.
async function whileHeartbeating(released: Promise<void>, heartbeat: () => Promise<void>): Promise<void> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), 1000);
  try {
    await released;
  } finally {
    clearInterval(timer);
  }
}
