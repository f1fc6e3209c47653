/**
 * Labels from the experiments table (docs/contract.md §1, §2 `--experiments-from supabase|FILE.csv|FILE.json`):
 * experimentId → is_agent, where **is_agent = NOT xp_human_only**. Read from Postgres (direct URL), from
 * PostgREST, or from a CSV/JSON(-lines) export of the table. An experiment whose flag is null is left
 * out, so its sessions keep is_agent = null and are counted as unknown by the join.
 * A file may carry `is_agent` instead of `xp_human_only`, and `experimentId`/`experiment_id` instead of `id`.
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { PhantomError, UsageError } from '../errors.js';
import { printableHeader, readCsvRows } from '../io/csv.js';
import { readJsonArray, readJsonLines, sniffJsonKind } from '../io/json-input.js';
import { quoteTableName } from './event-columns.js';
// pg, @supabase/supabase-js and ws are loaded only when the labels come from them: every `phantom features` run
// imports this module, and those clients cost ~0.1 s of start-up CPU (docs/perf/features-speed.md)
import type { ConnectOptions } from './pg-connection.js';
import { SourceFailed } from './source-failed.js';

export type ExperimentsSource =
  | { kind: 'postgres'; databaseUrl: string; table?: string; env?: NodeJS.ProcessEnv; connect?: ConnectOptions }
  | { kind: 'supabase-rest'; supabaseUrl: string; keyEnv: string; table?: string; env?: NodeJS.ProcessEnv }
  | { kind: 'file'; path: string };

/** experimentId → is_agent. */
export type ExperimentLabels = Map<string, boolean>;

const TRUE = new Set(['true', 't', '1', 'yes', 'y']);
const FALSE = new Set(['false', 'f', '0', 'no', 'n']);

/** A boolean cell as Postgres, CSV exports or JSON write it; null when empty; undefined when not a boolean. */
export function parseFlag(value: unknown): boolean | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'null') return null;
  return TRUE.has(v) ? true : FALSE.has(v) ? false : undefined;
}

/**
 * Load the labels of every experiment.
 * @example const labels = await loadExperimentLabels({ kind: 'file', path: 'fixtures/experiments.csv' }); labels.get(id) // true = agent
 */
export async function loadExperimentLabels(source: ExperimentsSource): Promise<ExperimentLabels> {
  const labels: ExperimentLabels = new Map();
  const add = (id: unknown, flag: unknown, negate: boolean, where: string): void => {
    if (id === null || id === undefined || id === '') throw new UsageError(`${where}: experiment without an id`);
    const parsed = parseFlag(flag);
    if (parsed === undefined) throw new UsageError(`${where}: ${negate ? 'xp_human_only' : 'is_agent'} is ${JSON.stringify(flag).slice(0, 40)}, not a boolean`);
    if (parsed === null) return;
    const key = String(id);
    const isAgent = negate ? !parsed : parsed;
    if (labels.has(key) && labels.get(key) !== isAgent) throw new UsageError(`${where}: experiment ${key} appears twice with different labels`);
    labels.set(key, isAgent);
  };
  if (source.kind === 'file') await fromFile(source.path, add);
  else if (source.kind === 'postgres') await fromPostgres(source, add);
  else {
    const table = source.table ?? 'experiments';
    const { openSupabase, restPages } = await import('./supabase-client.js');
    const conn = openSupabase(source.supabaseUrl, source.keyEnv, source.env);
    for await (const rows of restPages(conn, { table, select: 'id,xp_human_only', orderBy: ['id'], pageSize: 1000, timeoutMs: 60_000, flag: '--experiments-table' })) {
      for (const r of rows) add(r['id'], r['xp_human_only'], true, `${conn.origin} ${table}`);
    }
  }
  return labels;
}

type Add = (id: unknown, flag: unknown, negate: boolean, where: string) => void;

async function fromPostgres(source: Extract<ExperimentsSource, { kind: 'postgres' }>, add: Add): Promise<void> {
  const table = source.table ?? 'experiments';
  const tableSql = quoteTableName(table, '--experiments-table');
  const { closeClient, connectClient, describePgError, resolveDatabaseUrl } = await import('./pg-connection.js');
  const db = resolveDatabaseUrl(source.databaseUrl, source.env);
  const client = await connectClient(db, source.connect);
  try {
    const res = await client.query({ text: `SELECT "id"::text, "xp_human_only" FROM ${tableSql}`, rowMode: 'array' });
    for (const [id, flag] of res.rows as [unknown, unknown][]) add(id, flag, true, `${db.label} ${table}`);
  } catch (err) {
    if (err instanceof PhantomError) throw err;
    const code = (err as { code?: string }).code;
    const what = describePgError(err, db);
    if (code === '42P01' || code === '3F000') throw new UsageError(`--experiments-table ${table}: no such table at ${db.label} (${what})`);
    if (code === '42703') throw new UsageError(`--experiments-table ${table} at ${db.label} needs columns id and xp_human_only (${what})`);
    throw new SourceFailed(`Postgres at ${db.label} failed while reading ${table}: ${what}`, 0);
  } finally {
    await closeClient(client);
  }
}

async function fromFile(path: string, add: Add): Promise<void> {
  const ext = extname(path).toLowerCase();
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
  } catch {
    throw new UsageError(`--experiments-from ${path}: no such file`);
  }
  if (ext === '.csv') {
    let header: string[] | null = null;
    let line = 0;
    let pick = { id: -1, flag: -1, negate: true };
    for await (const row of readCsvRows(path)) {
      line++;
      if (header === null) {
        header = row.map((h) => h.trim());
        const names = columnsOf(header, path);
        pick = { id: header.indexOf(names.id), flag: header.indexOf(names.flag), negate: names.negate };
        continue;
      }
      if (row.length === 1 && row[0] === '') continue;
      add(row[pick.id], row[pick.flag], pick.negate, `${path}:${line}`);
    }
    if (header === null) throw new UsageError(`${path}: empty file`);
  } else if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') {
    const kind = ext === '.json' ? await sniffJsonKind(path) : 'lines';
    for await (const item of kind === 'array' ? readJsonArray(path) : readJsonLines(path)) {
      const where = `${path}:${item.index + 1}`;
      let obj = item.value;
      if (typeof obj === 'string') {
        try {
          obj = JSON.parse(obj);
        } catch {
          throw new UsageError(`${where}: not valid JSON`);
        }
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new UsageError(`${where}: not a JSON object`);
      const o = obj as Record<string, unknown>;
      const { id, flag, negate } = columnsOf(Object.keys(o), where);
      add(o[id], o[flag], negate, where);
    }
  } else {
    throw new UsageError(`--experiments-from ${path}: use a .csv or .json export of the experiments table, or "supabase"`);
  }
}

// Which columns hold the id and the label: `id` + `xp_human_only` (the table), or the aliases a file may use.
function columnsOf(names: string[], where: string): { id: string; flag: string; negate: boolean } {
  const id = ['id', 'experimentId', 'experiment_id'].find((n) => names.includes(n));
  const flag = ['xp_human_only', 'is_agent'].find((n) => names.includes(n));
  if (id === undefined || flag === undefined) throw new UsageError(`${where}: needs an id column and xp_human_only (or is_agent); found ${printableHeader(names)}`);
  return { id, flag, negate: flag === 'xp_human_only' };
}
