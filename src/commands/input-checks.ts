/**
 * The checks every command runs on what it was given, before computing (docs/contract.md): the kind of
 * each input file (io/table-kind.ts), outputs that can be written (io/ensure-dir.ts), a sessions table
 * with one row per session, and a refusal of empty results that would replace good output.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Command } from 'commander';
import { DataError, UsageError } from '../errors.js';
import { removeStaleTemps } from '../io/atomic.js';
import { expandEventInputs } from '../io/input-paths.js';
import { maskSecrets } from '../io/mask-secrets.js';
import { prepareOutputDir, prepareOutputFile } from '../io/ensure-dir.js';
import type { TableKind } from '../io/table-kind.js';
import type { DataTable } from '../models/dataset/index.js';

/** What the commands read. */
export const EVENTS_INPUT: readonly TableKind[] = ['events', 'raw-events', 'folder'];
export const SESSIONS_INPUT: readonly TableKind[] = ['sessions', 'table'];
export const MODEL_INPUT: readonly TableKind[] = ['model'];
export const KERNELS_INPUT: readonly TableKind[] = ['kernels'];
export const RULES_INPUT: readonly TableKind[] = ['rules'];

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Check the kind of every input that names an existing file or folder, and of every event file in a folder
 * (globs and missing paths are left to the reader, which expands or refuses them).
 * @example await checkInputs(['sessions.parquet'], EVENTS_INPUT, 'kernels needs')
 */
export async function checkInputs(paths: readonly (string | undefined | null)[], accepted: readonly TableKind[], needs: string): Promise<void> {
  for (const p of paths) {
    if (typeof p !== 'string' || !(await exists(p))) continue;
    const { expectKind } = await import('../io/table-kind.js'); // its Parquet/CSV readers only when there are inputs
    const d = await expectKind(p, accepted, needs);
    // a folder: every file the events loader would read from it, so a sessions table or a kernels.json
    // lying among the part files is refused by name instead of being read as events
    if (d.kind === 'folder') for (const f of await expandEventInputs([p])) await expectKind(f, accepted, needs);
  }
}

/**
 * Outputs to check before any work: files (`-o x.parquet`) and folders (`--plot dir`), keyed by flag. The
 * temporary files an interrupted earlier run of this host left for them (Ctrl-C, a kill: io/atomic.ts) are
 * removed here, so an interruption leaves nothing behind for longer than the next run.
 */
export async function checkOutputs(outputs: { files?: Record<string, string | undefined>; dirs?: Record<string, string | undefined | false> }): Promise<void> {
  for (const [flag, path] of Object.entries(outputs.files ?? {})) {
    if (typeof path !== 'string') continue;
    await prepareOutputFile(path, flag);
    await removeStaleTemps(dirname(path), [basename(path)]);
  }
  for (const [flag, dir] of Object.entries(outputs.dirs ?? {})) {
    if (typeof dir !== 'string') continue;
    await prepareOutputDir(dir, flag);
    await removeStaleTemps(dir);
  }
}

/** The session-id column of a table, when it has one. */
function sessionIdColumn(t: DataTable) {
  return t.columns.find((c) => c.name === 'sessionId' || c.name === 'session_id');
}

/**
 * A sessions table has one row per session: repeated ids mean event rows or a concatenation, which
 * would put one session on both sides of a cross-validation split. Exit 2 with the first repeat.
 */
export function refuseRepeatedSessions(t: DataTable, path: string): void {
  const c = sessionIdColumn(t);
  if (c === undefined) return;
  const seen = new Set<number | string>();
  let repeats = 0, first: string | null = null;
  for (let i = 0; i < t.nRows; i++) {
    const key = c.kind === 'category' ? c.codes[i]! : c.values[i]!;
    if (key === -1 || Number.isNaN(key)) continue;
    if (seen.has(key)) {
      repeats++;
      first ??= c.kind === 'category' ? c.dict[key as number]! : String(key);
    } else seen.add(key);
  }
  if (repeats > 0) {
    throw new UsageError(`${path} repeats session ids (${repeats.toLocaleString('en-US')} repeated rows, first '${first}'): a sessions table has one row per session; make it with phantom features`);
  }
}

/**
 * Exit 3 when nothing usable is left, before any output is written (an existing output stays as it was).
 * @example refuseNoSessions(0, { rejected: 12 })
 */
export function refuseNoSessions(sessions: number, records: { rejected: number; events?: number; deadLetter?: string | null }): void {
  if (sessions > 0) return;
  const where = records.deadLetter ? `, see the dead-letter file ${records.deadLetter}` : '';
  if (records.rejected > 0 && (records.events ?? 0) === 0) throw new DataError(`no sessions: all ${records.rejected.toLocaleString('en-US')} records were rejected${where}; nothing written`);
  throw new DataError(`no sessions: the input holds ${records.events ?? 0} usable events${records.rejected > 0 ? ` (${records.rejected.toLocaleString('en-US')} records rejected${where})` : ''}; nothing written`);
}

/**
 * A Redis URL must parse as redis://host[:port][/db] or rediss://…: a typo is a usage error, not a
 * server that starts "degraded" and never connects.
 * @example checkRedisUrl('redis://127.0.0.1:6379')
 */
export function checkRedisUrl(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--redis: cannot parse "${maskSecrets(text)}" as a URL; give redis://host:port`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new UsageError(`--redis: expected a redis:// or rediss:// URL, got ${url.protocol}//…`);
  if (url.hostname === '') throw new UsageError('--redis: the URL names no host; give redis://host:port');
  if (url.port !== '' && !(Number(url.port) > 0 && Number(url.port) < 65536)) throw new UsageError(`--redis: port ${url.port} is not a port number`);
}

/** `--price-from` from the option key `priceFrom`. */
function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Refuse options given on the command line that do not apply in this run (`keys` are commander's option
 * keys), instead of ignoring them silently.
 * @example refuseOptions(cmd, ['brokers', 'topic'], 'with --from file')
 */
export function refuseOptions(cmd: Command, keys: readonly string[], context: string): void {
  const given = keys.filter((k) => cmd.getOptionValueSource(k) === 'cli');
  if (given.length > 0) throw new UsageError(`${given.map(flagName).join(', ')} ${given.length > 1 ? 'do' : 'does'} not apply ${context}`);
}
