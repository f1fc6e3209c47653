/**
 * Labels for events that carry none: `--experiments-from FILE.csv|json` joins is_agent = NOT xp_human_only
 * per experimentId (SPEC §1.1), then `--label human|agent` fills what is still null. A label already in
 * the events always wins.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { readCsvRows } from '../io/csv.js';
import type { FeatureEvents } from './feature-events.js';

function humanOnly(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : null;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === 't' || s === '1') return true;
    if (s === 'false' || s === 'f' || s === '0') return false;
  }
  return null;
}

/**
 * experimentId → is_agent from an experiments table exported as CSV or JSON (array or JSON-lines) with
 * columns `id` and `xp_human_only`. Rows with an unreadable xp_human_only are skipped.
 * @example const labels = await loadExperimentLabels('fixtures/experiments.csv') // Map { '2b3c…' => true, … }
 */
export async function loadExperimentLabels(path: string): Promise<Map<string, boolean>> {
  const rows: Record<string, unknown>[] = [];
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.csv') {
      let header: string[] | null = null;
      for await (const r of readCsvRows(path)) {
        if (header === null) header = r;
        else if (!(r.length === 1 && r[0] === '')) rows.push(Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])));
      }
    } else if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') {
      const text = (await readFile(path, 'utf8')).trim();
      const parsed: unknown = text.startsWith('[') ? JSON.parse(text) : text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
      if (!Array.isArray(parsed)) throw new UsageError(`--experiments-from ${path}: expected a JSON array of experiment rows`);
      for (const r of parsed) if (typeof r === 'object' && r !== null) rows.push(r as Record<string, unknown>);
    } else {
      throw new UsageError(`--experiments-from ${path}: unsupported file type "${ext}" (use .csv or .json)`);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--experiments-from ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (rows.length > 0 && !('id' in rows[0]! && 'xp_human_only' in rows[0]!)) throw new UsageError(`--experiments-from ${path}: needs columns id and xp_human_only`);
  const out = new Map<string, boolean>();
  for (const r of rows) {
    const h = humanOnly(r['xp_human_only']);
    if (typeof r['id'] === 'string' && h !== null) out.set(r['id'], !h);
  }
  return out;
}

export interface LabelOptions {
  /** experimentId → is_agent */
  experiments: Map<string, boolean> | null;
  /** label for events still unlabelled after the join (`--label`) */
  label: boolean | null;
}

/**
 * Fill null is_agent values in place; returns how many events got a label from each source.
 * @example applyLabels(events, { experiments: await loadExperimentLabels('experiments.csv'), label: null })
 */
export function applyLabels(ev: FeatureEvents, opts: LabelOptions): { fromExperiments: number; fromLabel: number } {
  let fromExperiments = 0, fromLabel = 0;
  const byCode = new Int8Array(ev.experimentId.dict.length).fill(-1);
  if (opts.experiments !== null) {
    ev.experimentId.dict.forEach((id, c) => {
      const v = opts.experiments!.get(id);
      if (v !== undefined) byCode[c] = v ? 1 : 0;
    });
  }
  const fill = opts.label === null ? -1 : opts.label ? 1 : 0;
  for (let i = 0; i < ev.length; i++) {
    if (ev.isAgent[i] !== -1) continue;
    const c = ev.experimentId.codes[i]!;
    const v = c >= 0 ? byCode[c]! : -1;
    if (v >= 0) {
      ev.isAgent[i] = v;
      fromExperiments++;
    } else if (fill >= 0) {
      ev.isAgent[i] = fill;
      fromLabel++;
    }
  }
  return { fromExperiments, fromLabel };
}
