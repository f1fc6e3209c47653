/**
 * What kind of file an input is, recognised by its content, not its name: Parquet by its schema and the
 * `phantom.kind` footer key every phantom writer sets; JSON by its top-level shape (an XGBoost model's
 * `learner`, a kernels or rules document's `format`); CSV by its header. Every command checks its inputs
 * here before computing (`expectKind`), so the wrong kind of file is one line naming what it is and which
 * command makes the right one, instead of a confident wrong result.
 */
import { openAsBlob } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { guardParquet } from './parquet-guard.js';
import { parquetFooterSummary } from './parquet-read-flat.js';

export type TableKind =
  | 'events' | 'raw-events' | 'sessions' | 'table' | 'scores' | 'separability-scores' | 'price-logs'
  | 'model' | 'kernels' | 'rules' | 'profile' | 'json' | 'empty' | 'folder' | 'unknown';

/** How each kind is named in messages, and which command makes it. */
export const KIND_INFO: Record<TableKind, { what: string; madeBy?: string }> = {
  events: { what: 'an events table (one row per event)', madeBy: 'phantom generate or phantom export' },
  'raw-events': { what: 'raw event records (.jsonl/.json/.csv)', madeBy: 'phantom generate or phantom export' },
  sessions: { what: 'a sessions table (one row per session)', madeBy: 'phantom features' },
  table: { what: 'a table without event columns' },
  scores: { what: 'a scores file (one probability per session)', madeBy: 'phantom predict' },
  'separability-scores': { what: 'a gap-scores file', madeBy: 'phantom separability -o' },
  'price-logs': { what: 'a price-logs table', madeBy: 'phantom export --price-topic' },
  model: { what: 'a classifier model (XGBoost JSON)', madeBy: 'phantom train-classifier' },
  kernels: { what: 'a kernels file', madeBy: 'phantom kernels -o' },
  rules: { what: 'a pricing-rules file', madeBy: 'phantom distill' },
  profile: { what: 'a behaviour profile' },
  json: { what: 'a JSON document of no kind phantom reads' },
  empty: { what: 'an empty file' },
  folder: { what: 'a folder' },
  unknown: { what: 'a file of no kind phantom reads' },
};

export interface InputDescription {
  path: string;
  kind: TableKind;
  /** column names (tables) or top-level keys (JSON objects) */
  columns: string[];
  /** Parquet footer key/value metadata */
  metadata: Record<string, string>;
}

const PARQUET_KINDS = new Set<TableKind>(['events', 'sessions', 'scores', 'separability-scores', 'price-logs']);
/** JSON documents up to this size are parsed whole to recognise them; larger ones are event streams. */
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

async function head(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function tail(path: string, size: number, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(bytes, size));
    await fh.read(buf, 0, buf.length, size - buf.length);
    return buf;
  } finally {
    await fh.close();
  }
}

/** Kind of a table from its columns when no phantom writer marked it. */
function kindFromColumns(columns: string[]): TableKind {
  const has = (c: string) => columns.includes(c);
  if ((has('eventName') || has('event_name')) && (has('sessionId') || has('session_id'))) return 'events';
  return 'table';
}

async function describeParquet(path: string, size: number): Promise<InputDescription> {
  const magic = (b: Buffer) => b.length >= 4 && b.toString('latin1', b.length - 4) === 'PAR1';
  if (size < 12 || !magic(await head(path, 4)) || !magic(await tail(path, size, 4))) {
    throw new UsageError(`${path} is not a readable Parquet file (${size < 12 || !magic(await head(path, 4)) ? 'no Parquet header: not Parquet, or empty' : 'truncated: the footer is missing'})`);
  }
  // the footer alone, parsed here (≈ 0.14 s of CPU less than loading parquet-wasm for it:
  // docs/perf/distill-read.md); parquet-wasm below for any footer this parser declines
  const length = (await tail(path, size, 8)).readUInt32LE(0);
  if (length <= size - 12) {
    const summary = parquetFooterSummary((await tail(path, size, length + 8)).subarray(0, length));
    if (summary !== null) {
      const marked = summary.metadata['phantom.kind'] as TableKind | undefined;
      return { path, kind: marked !== undefined && PARQUET_KINDS.has(marked) ? marked : kindFromColumns(summary.columns), ...summary };
    }
  }
  // loaded here, not at the top: commands that check only JSON or CSV inputs (simulate --kernels) skip
  // ~0.2 s of CPU compiling Arrow and the Parquet WebAssembly module before their work starts
  const [arrow, pw] = await Promise.all([import('./arrow.js'), import('parquet-wasm/node')]);
  const file = await guardParquet(path, async () => pw.ParquetFile.fromFile(await openAsBlob(path)));
  try {
    const schema = await guardParquet(path, () => arrow.tableFromIPC(file.schema().intoIPCStream()).schema);
    const metadata = Object.fromEntries(schema.metadata);
    const columns = schema.fields.map((f) => f.name);
    const marked = metadata['phantom.kind'] as TableKind | undefined;
    return { path, kind: marked !== undefined && PARQUET_KINDS.has(marked) ? marked : kindFromColumns(columns), columns, metadata };
  } finally {
    file.free();
  }
}

function kindOfJsonValue(v: unknown): { kind: TableKind; columns: string[] } {
  if (Array.isArray(v)) return { kind: 'raw-events', columns: [] };
  if (v === null || typeof v !== 'object') return { kind: 'json', columns: [] };
  const o = v as Record<string, unknown>, columns = Object.keys(o);
  if (typeof o['learner'] === 'object') return { kind: 'model', columns };
  if (o['format'] === 'phantom.kernels') return { kind: 'kernels', columns };
  if (o['format'] === 'phantom.distill') return { kind: 'rules', columns };
  if ('eventName' in o || 'event_name' in o || 'value' in o) return { kind: 'raw-events', columns };
  if (typeof o['class'] === 'string' && typeof o['name'] === 'string') return { kind: 'profile', columns };
  return { kind: 'json', columns };
}

async function describeJson(path: string, size: number): Promise<InputDescription> {
  const start = (await head(path, 4096)).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[')) return { path, kind: 'raw-events', columns: [], metadata: {} };
  // JSON lines are judged record by record (bad lines are rejected and counted); a .json is one document
  if (!start.startsWith('{')) return { path, kind: extname(path).toLowerCase() === '.json' ? 'unknown' : 'raw-events', columns: [], metadata: {} };
  if (size > MAX_DOCUMENT_BYTES) return { path, kind: 'raw-events', columns: [], metadata: {} };
  try {
    return { path, ...kindOfJsonValue(JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''))), metadata: {} };
  } catch {
    return { path, kind: 'raw-events', columns: [], metadata: {} }; // several values: JSON lines
  }
}

async function describeCsv(path: string): Promise<InputDescription> {
  const first = (await head(path, 65_536)).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const columns = first.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  const kind = kindFromColumns(columns);
  return { path, kind: kind === 'events' ? 'raw-events' : kind, columns, metadata: {} };
}

/**
 * Recognise an input file. A missing path is a UsageError; a Parquet file that cannot be read is one too.
 * @example (await describeInput('sessions.parquet')).kind // 'sessions'
 */
export async function describeInput(path: string): Promise<InputDescription> {
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) return { path, kind: 'folder', columns: [], metadata: {} };
    size = s.size;
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (size === 0) return { path, kind: 'empty', columns: [], metadata: {} };
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq' || (await head(path, 4)).toString('latin1') === 'PAR1') return describeParquet(path, size);
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') return describeJson(path, size);
  if (ext === '.csv') return describeCsv(path);
  return { path, kind: 'unknown', columns: [], metadata: {} };
}

function phrase(kinds: readonly TableKind[]): string {
  const named = kinds.filter((k) => k !== 'folder' && k !== 'table');
  const made = [...new Set(named.map((k) => KIND_INFO[k].madeBy).filter((m): m is string => m !== undefined))];
  const what = named.map((k) => KIND_INFO[k].what.replace(/ \(.*\)$/, '')).join(' or ');
  return made.length > 0 ? `${what} (made by ${made.join('; ')})` : what;
}

/**
 * Refuse an input that is not one of `accepted` kinds: exit 2 naming what it is and which command makes
 * the right one. `role` names the argument in the message (e.g. 'kernels' or '--kernels').
 * @example await expectKind('sessions.parquet', ['events', 'raw-events', 'folder'], 'kernels needs')
 */
export async function expectKind(path: string, accepted: readonly TableKind[], needs: string): Promise<InputDescription> {
  const d = await describeInput(path);
  if (accepted.includes(d.kind)) return d;
  const info = KIND_INFO[d.kind];
  const it = `${path} is ${info.what}${info.madeBy ? `, made by ${info.madeBy}` : ''}`;
  if (d.kind === 'empty') throw new UsageError(`${path} is empty; ${needs} ${phrase(accepted)}`);
  throw new UsageError(`${it}; ${needs} ${phrase(accepted)}`);
}
