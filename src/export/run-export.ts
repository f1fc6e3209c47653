/**
 * The export loop (SPEC §2), source-agnostic: batches → record stage → sink; rolls by records or by
 * time; Kafka offsets committed only after the roll holding those records is renamed into place; a
 * rebalance gives up the held rows of partitions that moved away; an abort signal ends it gracefully.
 *
 *   const source = await kafkaExportSource({ brokers, topics: ['user-interactions'], group: 'g' });
 *   const summary = await runExport(source, { out: 'export/', partitionBy: 'none', compression: 'zstd',
 *     rowGroupSize: 250_000, flushRecords: 500_000, flushIntervalMs: null });
 */
import { rm } from 'node:fs/promises';
import { EXIT, PhantomError, UsageError } from '../errors.js';
import { OffsetLedger, type TopicPartitionOffset, tpKey } from '../sources/kafka-offsets.js';
import { ExportCounts } from './counts.js';
import { IdenticalEvents, OffsetFilter } from './dedupe.js';
import { ExportedOffsets } from './exported-offsets.js';
import { FileSink } from './file-sink.js';
import { resolveLayout, runId } from './layout.js';
import { RecordStage } from './record-stage.js';
import { RollingSink } from './rolling-sink.js';
import type { ExportSink } from './sink.js';
import { exportSummary } from './summary.js';
import type { ExportOptions, ExportSource, ExportSummary, SourceBatch, TopicPartition } from './types.js';

interface Position extends TopicPartition {
  next: number;
  committed: number;
  /** `next` at the last roll: offsets below it are in renamed files. */
  written: number;
}

const REBALANCE_ERRORS = new Set(['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID']);

// A commit refused because the group moved on; kafkajs may wrap the protocol error (retries exceeded).
function isRebalanceRefusal(e: unknown): boolean {
  for (let cur = e, depth = 0; cur !== null && typeof cur === 'object' && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    if (REBALANCE_ERRORS.has(String((cur as { type?: unknown }).type))) return true;
  }
  return false;
}

const TIMEOUT = Symbol('timeout');
const ASSIGNMENT_POLL_MS = 1000;

/**
 * Run one export to completion (or until `opts.signal` aborts). Closes the source.
 * @example const summary = await runExport(streamSource('file', [{ stream: 'events', open: () => readFiles(paths) }]), opts);
 */
export async function runExport(source: ExportSource, opts: ExportOptions): Promise<ExportSummary> {
  const now = opts.now ?? Date.now;
  const started = now();
  const layout = resolveLayout(opts.out, opts.deadLetter);
  if (layout.kind === 'file' && source.resumable) throw new UsageError(`--out ${opts.out}: a --group export writes incremental part files; give --out a directory`);
  if (layout.kind === 'file' && opts.partitionBy !== 'none') throw new UsageError(`--partition-by ${opts.partitionBy} needs --out to be a directory`);
  const sink: ExportSink = layout.kind === 'file' ? new FileSink(layout, opts, opts.withPrices === true) : new RollingSink(layout.out, runId(started), opts, layout.deadLetter, now);
  const counts = new ExportCounts();
  const offsets = new OffsetFilter();
  const exported = layout.kind === 'dir' && source.resumable ? new ExportedOffsets(layout.out) : null;
  const stage = new RecordStage(
    { label: opts.label ?? null, experiments: opts.experiments ?? null, identical: opts.dedupe ? new IdenticalEvents() : null, offsets, sinceMs: opts.sinceMs ?? -Infinity, untilMs: opts.untilMs ?? Infinity },
    counts,
    sink,
  );
  const positions = new Map<string, Position>();
  const uncommitted: ExportSummary['uncommitted_on_rebalance'] = [];
  const lag = new Map<string, number>();
  const files: string[] = [];
  let priceRows = 0;
  let owned: Set<string> | null = null;
  let stoppedBy: ExportSummary['stopped_by'] = 'end';
  const onAbort = (): void => {
    stoppedBy = 'signal';
    source.stop();
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  // Compare the group's assignment with ours: give up lanes that moved away, learn what output files
  // already hold for lanes we gained (crash recovery, or a file renamed by their previous owner).
  const syncAssignment = async (): Promise<void> => {
    const current = source.assignment();
    if (current === null) return;
    const keys = new Set(current.map((tp) => tpKey(tp.topic, tp.partition)));
    const before = owned ?? new Set<string>();
    const lost = [...before].filter((k) => !keys.has(k));
    const gained = [...keys].filter((k) => !before.has(k));
    if (lost.length === 0 && gained.length === 0) return;
    for (const lane of lost) {
      const p = positions.get(lane);
      if (p !== undefined && p.written > Math.max(p.committed, 0)) {
        // renamed but not committed (the commit was refused): the new owner reads these again
        uncommitted.push({ topic: p.topic, partition: p.partition, from: p.committed >= 0 ? p.committed : null, to: p.written });
        opts.onWarning?.(`rebalance: ${p.topic}[${p.partition}] offsets ${p.committed >= 0 ? p.committed : 'start'}..${p.written - 1} are in files written here but were not committed; the partition's new owner exports them again (dedupe on src_topic, src_partition, src_offset)`);
      }
      counts.withdraw(stage.takeTally(lane), sink.dropLanes([lane]));
      offsets.forget(lane);
      positions.delete(lane);
      lag.delete(lane);
    }
    if (lost.length > 0) opts.onWarning?.(`rebalance: gave up ${lost.length} partition(s); their records since the last commit are read again by their new owner`);
    if (gained.length > 0 && exported !== null) {
      const found = await exported.beyond(new Set(gained), await source.committed());
      for (const lane of gained) offsets.setExported(lane, found.get(lane) ?? new Set());
    }
    owned = keys;
    opts.onInfo?.(`partitions: ${current.map((tp) => `${tp.topic}[${tp.partition}]`).sort().join(' ') || '(none)'}`);
  };

  const commitPositions = async (): Promise<void> => {
    const ledger = new OffsetLedger();
    for (const p of positions.values()) if (p.next > p.committed) ledger.note({ topic: p.topic, partition: p.partition, nextOffset: p.next });
    const due = ledger.drain();
    if (due.length === 0 || !source.resumable) return;
    let done: number;
    try {
      done = await source.commit(due);
    } catch (e) {
      if (isRebalanceRefusal(e)) done = 0;
      else throw new PhantomError(`committing Kafka offsets failed (${(e as Error).message}); the files written are kept, and the next run with this group skips the records they hold`, EXIT.internal);
    }
    if (done !== due.length) {
      opts.onWarning?.('offsets not committed: the group is rebalancing (kept partitions are committed with the next file)');
      return;
    }
    for (const o of due) positions.get(tpKey(o.topic, o.partition))!.committed = o.offset;
  };

  const roll = async (final: boolean): Promise<void> => {
    await syncAssignment();
    const r = final ? await sink.finish() : await sink.roll();
    files.push(...r.files);
    for (const p of positions.values()) p.written = p.next;
    counts.written += r.eventRows;
    priceRows += r.priceRows;
    stage.rolled();
    if (r.files.length > 0) opts.onInfo?.(`wrote ${r.files.length} file(s), ${r.eventRows + r.priceRows} rows`);
    await commitPositions();
  };

  // A batch is cut where the roll size is reached, so files hold exactly --flush-records records (rows
  // and dead letters); the cut's commit position is the offset after its last record.
  const consume = async (batch: SourceBatch): Promise<void> => {
    await syncAssignment();
    let lane = '';
    let position: Position | null = null;
    if (batch.kafka) {
      const k = batch.kafka;
      lane = tpKey(k.topic, k.partition);
      if (owned !== null && !owned.has(lane)) return; // fetched before a rebalance took the partition
      position = positions.get(lane) ?? { topic: k.topic, partition: k.partition, next: -1, committed: -1, written: -1 };
      positions.set(lane, position);
      lag.set(`${k.topic}[${k.partition}]`, Math.max(0, k.highWatermark - k.nextOffset));
    }
    const records = batch.records;
    for (let i = 0; i < records.length; ) {
      const room = sink.rolls ? Math.max(1, opts.flushRecords - sink.pending) : records.length;
      const end = Math.min(records.length, i + room);
      stage.process(i === 0 && end === records.length ? batch : { ...batch, records: records.slice(i, end) }, lane);
      i = end;
      if (i < records.length && sink.rolls) {
        const last = records[i - 1]!.provenance.offset;
        if (position !== null && last !== null) position.next = Math.max(position.next, last + 1);
        await roll(false);
        if (owned !== null && lane !== '' && !owned.has(lane)) return; // the roll saw a rebalance take it
      }
    }
    if (position !== null) position.next = Math.max(position.next, batch.kafka!.nextOffset);
    await sink.afterBatch();
    const seconds = Math.max(1e-3, (now() - started) / 1000);
    opts.onProgress?.({ recordsRead: counts.read, recordsWritten: counts.accepted, recordsPerSecond: counts.read / seconds, lag: Object.fromEntries(lag) });
  };

  const iterator = source.batches()[Symbol.asyncIterator]();
  try {
    let next: Promise<IteratorResult<SourceBatch>> | null = null;
    for (;;) {
      next ??= iterator.next();
      const dueIn = sink.rolls && opts.flushIntervalMs !== null && sink.pendingSince !== null ? sink.pendingSince + opts.flushIntervalMs - now() : Infinity;
      // while idle, look at the group's assignment every second (rebalances happen without batches)
      const wait = Math.min(dueIn, source.assignment() === null ? Infinity : ASSIGNMENT_POLL_MS);
      const result = wait === Infinity ? await next : await raceTimer(next, wait);
      if (result === TIMEOUT) {
        await syncAssignment();
        if (sink.pendingSince !== null && opts.flushIntervalMs !== null && now() - sink.pendingSince >= opts.flushIntervalMs) await roll(false);
        continue;
      }
      next = null; // asking for the next batch releases this one to the source: finish with it first
      if (result.done) break;
      await consume(result.value);
      const intervalDue = opts.flushIntervalMs !== null && sink.pendingSince !== null && now() - sink.pendingSince >= opts.flushIntervalMs;
      if (sink.rolls && (sink.pending >= opts.flushRecords || intervalDue)) await roll(false);
    }
    await roll(true);
  } catch (err) {
    await sink.abort(err);
    if (!source.resumable && files.length > 0) {
      // a one-shot export that failed leaves no partial output (a group export keeps what it committed)
      await Promise.all(files.map((f) => rm(f, { force: true })));
      opts.onWarning?.(`removed ${files.length} part file(s) of this failed export`);
      files.length = 0;
    }
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await source.close();
  }
  if (stoppedBy === 'end' && opts.maxMessages !== undefined && counts.read + counts.withdrawn >= opts.maxMessages) stoppedBy = 'max-messages';
  const committed: TopicPartitionOffset[] = [...positions.values()].filter((p) => p.committed >= 0).map((p) => ({ topic: p.topic, partition: p.partition, offset: p.committed }));
  return exportSummary({ source: source.name, output: opts.out, counts, files, priceRows, deadLetterFile: sink.deadLetterFile(), committed, uncommitted, stoppedBy, seconds: (now() - started) / 1000 });
}

async function raceTimer<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), Math.max(0, ms))));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}
