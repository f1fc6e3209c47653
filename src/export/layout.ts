/**
 * Where an export writes. `--out FILE.parquet`: one events file (+ `price-logs.parquet` beside it) and a
 * dead-letter file beside it, replaced by each run. `--out DIR`: rolling part files that never collide
 * across runs or workers (`part-<UTC start>-<host>-<pid>-<seq>.parquet`), under `DIR/events/` and
 * `DIR/price-logs/`, Hive-style subfolders for `--partition-by`, dead letters in one file per roll,
 * `DIR/dead-letters/<roll id>.jsonl` (`--dead-letter` names that folder instead).
 */
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { formatIsoMs } from '../io/timestamp.js';
import { hostTag } from './staging.js';
import type { PartitionBy, StreamKind } from './types.js';

export interface OutputLayout {
  kind: 'file' | 'dir';
  /** The events file (kind 'file') or the output directory (kind 'dir'). */
  out: string;
  /** kind 'file': the price-logs file. */
  priceFile: string;
  /** kind 'file': the dead-letter file; kind 'dir': the folder of per-roll dead-letter files. */
  deadLetter: string;
}

/**
 * Decide the layout from `--out` and `--dead-letter`.
 * @example resolveLayout('out/events.parquet') // { kind: 'file', priceFile: 'out/price-logs.parquet', deadLetter: 'out/events.dead-letter.jsonl', … }
 */
export function resolveLayout(out: string, deadLetter?: string): OutputLayout {
  if (out.toLowerCase().endsWith('.parquet')) {
    const stem = basename(out).slice(0, -'.parquet'.length);
    const priceName = stem === 'events' ? 'price-logs.parquet' : `${stem}.price-logs.parquet`;
    return { kind: 'file', out, priceFile: join(dirname(out), priceName), deadLetter: deadLetter ?? join(dirname(out), `${stem}.dead-letter.jsonl`) };
  }
  return { kind: 'dir', out, priceFile: '', deadLetter: deadLetter ?? join(out, 'dead-letters') };
}

/** A run id unique across runs and workers: start time (UTC, seconds), host and process id. */
export function runId(nowMs: number, host = hostname(), pid = process.pid): string {
  const t = formatIsoMs(nowMs).replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${t}-${hostTag(host)}-${pid}`;
}

/** Hive-style folder for a row under `--partition-by` ('' for none). */
export function partitionFolder(by: PartitionBy, ts: number, srcPartition: number | null): string {
  if (by === 'date') return `date=${formatIsoMs(ts).slice(0, 10)}`;
  if (by === 'src_partition') return `src_partition=${srcPartition ?? 'none'}`;
  return '';
}

/** Path of one part file of a roll. */
export function partPath(dir: string, stream: StreamKind, folder: string, run: string, seq: number): string {
  const table = stream === 'events' ? 'events' : 'price-logs';
  return join(dir, table, folder, `part-${run}-${String(seq).padStart(5, '0')}.parquet`);
}
