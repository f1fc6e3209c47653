/**
 * The export loop (docs/export.md), source-agnostic: batches → record stage → sink; rolls by records or by
 * time. Directory output stages each roll, commits its Kafka offsets with the roll id as metadata, and
 * only then publishes it (staging.ts): a roll is in the output exactly when its offsets are committed,
 * across crashes and rebalances. A rebalance gives up the held rows of partitions that moved away; a
 * refused commit discards the roll and reads its partitions again; an abort signal ends it gracefully.
 * A one-shot export (no group, no --follow) stages every roll and publishes them together at the end,
 * under a run record (staging.ts): a run that fails, is killed or is stopped by a signal (unless
 * `drain`) leaves nothing under a final name, so running it again exports every record once.
 *
 *   const source = await kafkaExportSource({ brokers, topics: ['user-interactions'], group: 'g' });
 *   const summary = await runExport(source, { out: 'export/', partitionBy: 'none', compression: 'zstd',
 *     rowGroupSize: 250_000, flushRecords: 500_000, flushIntervalMs: null });
 */
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EXIT, PhantomError, UsageError } from '../errors.js';
import { removeStaleTemps } from '../io/atomic.js';
import { OffsetLedger, type TopicPartitionOffset, tpKey } from '../sources/kafka-offsets.js';
import { lostGeneration } from '../sources/kafka-errors.js'; // not kafka.ts: kafkajs only for a Kafka export
import { ExportCounts } from './counts.js';
import { IdenticalEvents, OffsetFilter } from './dedupe.js';
import type { ExportedOffsets } from './exported-offsets.js';
import { exportFaultHooks } from './fault-hooks.js';
import { FileSink } from './file-sink.js';
import { resolveLayout, runId } from './layout.js';
import { RecordStage } from './record-stage.js';
import type { RollingSink } from './rolling-sink.js';
import type { ExportSink, RollResult } from './sink.js';
import { Staging } from './staging.js';
import { exportSummary } from './summary.js';
import type { CommittedOffset, ExportOptions, ExportSource, ExportSummary, SourceBatch, TopicPartition } from './types.js';

interface Position extends TopicPartition {
  next: number;
  /** The group's committed offset (-1: none yet). */
  committed: number;
  /** Where this partition's uncommitted records begin: a discarded roll reads again from here. */
  base: number;
}

/** How a roll ended: published, nothing to do, or discarded (its commit was refused). */
type RollOutcome = 'published' | 'empty' | 'discarded' | 'rewound';

/** A one-shot export stopped by a signal before it finished: exit 128 + the signal's number. */
export class ExportInterrupted extends PhantomError {
  constructor(readonly signalName: string) {
    super(
      `stopped by ${signalName} before the export finished: nothing was written under a final name; run it again, or give --drain to have a signal write the records read so far`,
      signalName === 'SIGINT' ? 130 : 143,
    );
  }
}

const TIMEOUT = Symbol('timeout');
const ASSIGNMENT_POLL_MS = 1000;

/**
 * Run one export to completion (or until `opts.signal` aborts). Closes the source.
 * @example const summary = await runExport(streamSource('file', [{ stream: 'events', open: () => readFiles(paths) }]), opts);
 */
export async function runExport(source: ExportSource, options: ExportOptions): Promise<ExportSummary> {
  const opts: ExportOptions = source.metadata === undefined ? options : { ...options, metadata: { ...options.metadata, ...source.metadata } };
  const now = opts.now ?? Date.now;
  const started = now();
  const layout = resolveLayout(opts.out, opts.deadLetter);
  const refuse = async (message: string): Promise<never> => {
    await source.close(); // an open Kafka consumer would keep the process alive
    throw new UsageError(message);
  };
  if (layout.kind === 'file' && source.resumable) await refuse(`--out ${opts.out}: a --group export writes incremental part files; give --out a directory`);
  if (layout.kind === 'dir' && opts.deadLetter?.toLowerCase().endsWith('.jsonl')) await refuse(`--dead-letter ${opts.deadLetter}: a directory output writes one dead-letter file per roll; give --dead-letter a folder (default ${join(layout.out, 'dead-letters')})`);
  if (layout.kind === 'file' && opts.partitionBy !== 'none') await refuse(`--partition-by ${opts.partitionBy} needs --out to be a directory`);
  const staging = layout.kind === 'dir' ? new Staging(layout.out) : null;
  // one-shot: a signal means "stop, write nothing" (unless drain); a directory output publishes at the end
  const oneShot = !source.resumable && opts.follow !== true;
  const deferPublish = oneShot && layout.kind === 'dir';
  const deferred: RollResult[] = [];
  let runRecorded = false;
  let active: AsyncIterator<SourceBatch> | null = null;
  const group = source.resumable ? (opts.group ?? 'group') : null;
  // a directory output's modules (rolling sink, its Parquet writer, the part-file reader) load only for one:
  // a single-file export (the writer in its own thread) never needs them in this thread
  const Rolling: typeof RollingSink | null = layout.kind === 'dir' ? (await import('./rolling-sink.js')).RollingSink : null;
  const Exported: typeof ExportedOffsets | null = layout.kind === 'dir' && source.resumable ? (await import('./exported-offsets.js')).ExportedOffsets : null;
  const sink: ExportSink =
    Rolling === null ? new FileSink(layout, opts, opts.withPrices === true) : new Rolling(layout.out, runId(started), opts, layout.deadLetter, now, staging!, group);
  const counts = new ExportCounts();
  const offsets = new OffsetFilter();
  const exported = Exported === null ? null : new Exported(layout.out);
  const stage = new RecordStage(
    { label: opts.label ?? null, experiments: opts.experiments ?? null, identical: opts.dedupe ? new IdenticalEvents() : null, offsets, sinceMs: opts.sinceMs ?? -Infinity, untilMs: opts.untilMs ?? Infinity, sessionLabels: opts.sessionLabels ?? null },
    counts,
    sink,
  );
  const positions = new Map<string, Position>();
  const rolls: ExportSummary['rolls'] = { published_for_others: 0, discarded: 0 };
  const lag = new Map<string, number>();
  const files: string[] = [];
  let priceRows = 0;
  let commits = 0;
  let owned: Set<string> | null = null;
  let stoppedBy: ExportSummary['stopped_by'] = 'end';
  let finishing = false; // a one-shot export read its source to the end and is writing its output
  const onAbort = (): void => {
    const sig = typeof opts.signal?.reason === 'string' ? opts.signal.reason : 'a signal';
    if (finishing) {
      opts.onWarning?.(`${sig}: the source was already read to its end, so the export finishes (a second signal stops it at once, with nothing new under a final name)`);
      return;
    }
    stoppedBy = 'signal';
    if (oneShot && opts.drain !== true) opts.onWarning?.(`${sig}: stopping; nothing will be written (--drain would write the records read so far)`);
    else opts.onInfo?.(`${sig}: stopping: finishing the current file${source.resumable ? ' and committing' : ''}…`);
    source.stop();
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  // Rolls left behind by dead processes of this host: published when the group's commit names them.
  const sweep = async (): Promise<void> => {
    const stale = layout.kind === 'file'
      ? [...new Set([dirname(layout.out), dirname(layout.priceFile), dirname(layout.deadLetter)])].map((d) => removeStaleTemps(d, [basename(layout.out), basename(layout.priceFile), basename(layout.deadLetter)]))
      : [removeStaleTemps(layout.deadLetter)];
    const removed = (await Promise.all(stale)).flat();
    if (removed.length > 0) opts.onWarning?.(`removed ${removed.length} temporary file(s) left by processes of this host that died: ${removed.join(', ')}`);
    if (staging === null) return;
    let committed: Map<string, CommittedOffset> | null = null; // asked once, and only when a dead process left a roll
    const swept = await staging.sweep(async (m) => {
      if (!source.resumable) return false;
      committed ??= await source.committed();
      return m.lanes.some((l) => committed!.get(tpKey(l.topic, l.partition))?.metadata === m.id);
    });
    files.push(...swept.files);
    rolls.published_for_others += swept.published.length;
    if (swept.undone.length > 0) opts.onWarning?.(`staging: undid ${swept.undone.length} one-shot run(s) that died while publishing (their files were removed; each such run is redone in full by running it again)`);
    if (swept.published.length + swept.discarded.length > 0) {
      opts.onWarning?.(`staging: published ${swept.published.length} committed roll(s) and discarded ${swept.discarded.length} uncommitted one(s) left by processes that died`);
    }
  };

  // Compare the group's assignment with ours: give up lanes that moved away; for lanes we gained,
  // publish a roll their previous owner committed but did not live to publish, and learn what output
  // files already hold past the committed offset (files written by earlier versions of phantom).
  let synced: readonly TopicPartition[] | null = null; // the assignment last compared (sources keep the array until it changes)
  const syncAssignment = async (): Promise<void> => {
    const current = source.assignment();
    if (current === null || current === synced) return; // asked on every batch: comparing all partitions each time was O(partitions) per batch
    const keys = new Set(current.map((tp) => tpKey(tp.topic, tp.partition)));
    const before = owned ?? new Set<string>();
    const lost = [...before].filter((k) => !keys.has(k));
    const gained = [...keys].filter((k) => !before.has(k));
    if (lost.length === 0 && gained.length === 0) {
      synced = current;
      return;
    }
    for (const lane of lost) {
      counts.withdraw(stage.takeTally(lane), sink.dropLanes([lane]));
      offsets.forget(lane);
      positions.delete(lane);
      lag.delete(lane);
    }
    if (lost.length > 0) opts.onWarning?.(`rebalance: gave up ${lost.length} partition(s); their records since the last commit are read again by their new owner`);
    if (gained.length > 0 && staging !== null && source.resumable) {
      const committed = await source.committed();
      const recovered = await staging.recoverNamed(gained.map((k) => committed.get(k)?.metadata ?? '').filter((m) => m !== ''));
      files.push(...recovered.files);
      rolls.published_for_others += recovered.rolls;
      if (recovered.rolls > 0) opts.onWarning?.(`staging: published ${recovered.rolls} roll(s) whose commit went through but whose writer stopped before publishing`);
      const offsetsOnly = new Map([...committed].map(([k, c]) => [k, c.offset]));
      const found = await exported!.beyond(new Set(gained), offsetsOnly);
      for (const lane of gained) offsets.setExported(lane, found.get(lane) ?? new Set());
    }
    owned = keys;
    synced = current;
    opts.onInfo?.(`partitions: ${current.map((tp) => `${tp.topic}[${tp.partition}]`).sort().join(' ') || '(none)'}`);
  };

  /** Commit a staged roll's offsets with its id; 'committed' also when a refused-looking commit went through. */
  const commitRoll = async (due: TopicPartitionOffset[], id: string): Promise<'committed' | 'refused'> => {
    let done = 0;
    let failure: unknown = null;
    try {
      done = await source.commit(due, id);
    } catch (e) {
      if (!lostGeneration(e)) failure = e;
    }
    if (done === due.length) return 'committed';
    // refused or failed: a retried request may still have gone through, so ask the group
    let named: boolean;
    try {
      const committed = await source.committed();
      named = due.some((o) => committed.get(tpKey(o.topic, o.partition))?.metadata === id);
    } catch (e) {
      throw new PhantomError(
        `committing Kafka offsets failed (${(failure as Error | null)?.message ?? 'refused'}) and the group cannot be asked whether it went through (${(e as Error).message}); ` +
          `the roll stays staged in ${staging!.root}: the next run with this group publishes it if the commit went through, else discards it`,
        EXIT.internal,
      );
    }
    if (named) return 'committed';
    if (failure !== null) {
      await staging!.discard(id);
      throw new PhantomError(`committing Kafka offsets failed (${(failure as Error).message}); the roll was discarded, so nothing of it is in the output, and the next run with this group reads those records again`, EXIT.internal);
    }
    return 'refused';
  };

  const publish = async (r: RollResult): Promise<void> => {
    const placed = r.staged === undefined ? r.files : await staging!.publish(r.staged.id);
    if (placed === null) throw new PhantomError(`staged roll ${r.staged!.id} disappeared before it was published`, EXIT.internal);
    files.push(...placed);
    counts.written += r.eventRows;
    priceRows += r.priceRows;
    sink.published(r.deadLines);
    stage.rolled();
    if (placed.length > 0) opts.onInfo?.(`wrote ${placed.length} file(s), ${r.eventRows + r.priceRows} rows`);
  };

  // The group refused the roll's commit (it is rebalancing): nothing of the roll is published. Its
  // partitions are read again from where the roll began: here for those this process keeps, by the
  // new owner for the others.
  const discard = async (r: RollResult, due: TopicPartitionOffset[]): Promise<boolean> => {
    await staging!.discard(r.staged!.id);
    rolls.discarded++;
    const again: TopicPartitionOffset[] = [];
    for (const o of due) {
      const lane = tpKey(o.topic, o.partition);
      const p = positions.get(lane);
      counts.withdraw(stage.takeTally(lane), (r.staged!.laneRows.get(lane) ?? 0) + sink.dropLanes([lane]));
      offsets.rewound(lane);
      if (p === undefined) continue;
      const from = p.committed >= 0 ? p.committed : p.base;
      p.next = from;
      p.base = from;
      again.push({ topic: p.topic, partition: p.partition, offset: from });
    }
    const rewound = source.rewind(again);
    opts.onWarning?.(`rebalance: the group refused the commit of a roll, so it was discarded (nothing of it is in the output); ${rewound} partition(s) kept here are read again from their committed offsets, the others by their new owner`);
    return rewound > 0;
  };

  const roll = async (final: boolean): Promise<RollOutcome> => {
    await syncAssignment();
    const ledger = new OffsetLedger();
    for (const p of positions.values()) if (p.next > p.committed) ledger.note({ topic: p.topic, partition: p.partition, nextOffset: p.next });
    const due = source.resumable ? ledger.drain() : [];
    if (sink.rolls && sink.pending === 0 && due.length === 0) return 'empty';
    const r = final ? await sink.finish(due) : await sink.roll(due);
    if (r.staged !== undefined && due.length > 0) {
      await exportFaultHooks.beforeCommit?.();
      const outcome = await commitRoll(due, r.staged.id);
      if (outcome === 'refused') return (await discard(r, due)) ? 'rewound' : 'discarded';
      exportFaultHooks.afterCommit?.(++commits);
      for (const o of due) {
        const p = positions.get(tpKey(o.topic, o.partition));
        if (p !== undefined) p.committed = p.base = o.offset;
      }
    }
    if (deferPublish) {
      if (r.staged !== undefined) deferred.push(r);
      stage.rolled();
    } else await publish(r);
    return 'published';
  };

  // The one atomic step of a one-shot directory export: record the run, put every roll in place, forget the record.
  const publishRun = async (): Promise<void> => {
    const finals = deferred.flatMap((r) => [...r.files, ...(r.deadLetterFile === undefined ? [] : [r.deadLetterFile])]);
    await staging!.beginRun(runId(started), deferred.map((r) => r.staged!.id), finals);
    runRecorded = true;
    exportFaultHooks.afterRunRecorded?.();
    let n = 0;
    for (const r of deferred) {
      await publish(r);
      exportFaultHooks.afterRunRoll?.(++n);
    }
    // a drained run holds only what it read before the signal: not noted, so the export can be run again
    const drained = (stoppedBy as ExportSummary['stopped_by']) === 'signal';
    await staging!.endRun(runId(started), drained ? null : (opts.identity ?? null));
    runRecorded = false;
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
      const first = batch.records[0]?.provenance.offset ?? k.nextOffset;
      position = positions.get(lane) ?? { topic: k.topic, partition: k.partition, next: -1, committed: -1, base: first };
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
        const outcome = await roll(false);
        if (outcome === 'discarded' || outcome === 'rewound') return; // the rest of the batch is read again
        if (owned !== null && lane !== '' && !owned.has(lane)) return; // the roll saw a rebalance take it
      }
    }
    if (position !== null) position.next = Math.max(position.next, batch.kafka!.nextOffset);
    await sink.afterBatch();
    const seconds = Math.max(1e-3, (now() - started) / 1000);
    // lag is built only when read: a batch of one partition of hundreds must not cost O(partitions)
    if (opts.onProgress !== undefined) opts.onProgress({ recordsRead: counts.read, recordsWritten: counts.accepted, recordsPerSecond: counts.read / seconds, get lag() { return Object.fromEntries(lag); } });
  };

  try {
    await sweep();
    const done = deferPublish && opts.identity !== undefined ? await staging!.completed(opts.identity) : null;
    if (done !== null) {
      // the same one-shot export already completed into this directory (perhaps killed right after): doing it again would duplicate it
      opts.onWarning?.(`this export already completed into ${opts.out} (run ${done.run}, ${done.at}): nothing to do; export into a new directory to export again`);
      source.stop();
      finishing = true;
      stoppedBy = 'already-exported';
    }
    // a final roll whose commit was refused reads kept partitions again: go round once more
    for (let outcome: RollOutcome = done === null ? 'rewound' : 'empty'; outcome === 'rewound'; ) {
      const iterator = source.batches()[Symbol.asyncIterator]();
      active = iterator;
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
      if ((stoppedBy as ExportSummary['stopped_by']) === 'signal' && oneShot && opts.drain !== true) throw new ExportInterrupted(typeof opts.signal?.reason === 'string' ? opts.signal.reason : 'SIGTERM');
      finishing = oneShot;
      outcome = await roll(true);
      if (stoppedBy !== 'end') break;
      // batch mode in a group: this member's share is done and committed; the run ends when the group's
      // job is — a partition whose owner crashed or left comes here and is read on (docs/export.md)
      if (outcome !== 'rewound' && (await source.more((left) => opts.onInfo?.(`waiting for ${left.join(' ')}: other members of the group are reading them (they come here if their owner leaves)`)))) outcome = 'rewound';
    }
    if (deferPublish && done === null) await publishRun();
  } catch (err) {
    await sink.abort(err);
    if (deferPublish) {
      // nothing of a failed one-shot run stays: neither staged rolls nor files already put in place
      if (runRecorded) await staging!.undoRun(runId(started)).catch(() => undefined);
      for (const r of deferred) await staging!.discard(r.staged!.id).catch(() => false);
      files.length = 0;
    }
    if (!source.resumable && files.length > 0) {
      // a one-shot export that failed leaves no partial output (a group export keeps what it committed)
      await Promise.all(files.map((f) => rm(f, { force: true })));
      opts.onWarning?.(`removed ${files.length} part file(s) of this failed export`);
      files.length = 0;
    }
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    // a failure left the batch stream open (a database cursor and its connection would keep the process alive)
    if (active?.return !== undefined) await raceTimer(active.return(undefined).catch(() => undefined), 2000);
    await source.close();
  }
  if (stoppedBy === 'end' && opts.maxMessages !== undefined && counts.read + counts.withdrawn >= opts.maxMessages) stoppedBy = 'max-messages';
  const committed: TopicPartitionOffset[] = [...positions.values()].filter((p) => p.committed >= 0).map((p) => ({ topic: p.topic, partition: p.partition, offset: p.committed }));
  return exportSummary({ source: source.name, output: opts.out, counts, files, priceRows, deadLetterFile: sink.deadLetterFile(), committed, rolls, stoppedBy, seconds: (now() - started) / 1000 });
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
