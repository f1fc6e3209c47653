/**
 * What an input argument names, for every command that reads events (docs/contract.md §5): a file, a glob,
 * or a folder — a folder contributes its event files recursively, sorted, hidden and `_`-prefixed names
 * skipped (temp files, `_SUCCESS` markers). Several arguments are concatenated in the order given.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { expandGlob } from './glob.js';

/** Extensions of event files: events Parquet and the raw records of `export --from file`. */
export const EVENT_FILE_EXTENSIONS: ReadonlySet<string> = new Set(['.parquet', '.jsonl', '.ndjson', '.json', '.csv']);

/**
 * Expand globs and check every plain path is an existing file; the error names the pattern or path.
 * @example await expandFilePatterns(['data/*.jsonl']) // ['data/a.jsonl', 'data/b.jsonl']
 */
export async function expandFilePatterns(patterns: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) {
    if (/[*?[{]/.test(p)) {
      const matches = await expandGlob(p);
      if (matches.length === 0) throw new UsageError(`no file matches ${p}`);
      out.push(...matches);
    } else {
      const s = await stat(p).catch(() => null);
      if (s === null) throw new UsageError(`cannot read ${p}: no such file`);
      if (!s.isFile()) throw new UsageError(`${p} is not a file`);
      out.push(p);
    }
  }
  return out;
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && EVENT_FILE_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
  }
}

/**
 * The event files behind the given arguments: folders recursively (sorted), globs expanded, plain paths
 * checked. A folder with no event file is a usage error (exit 2).
 * @example await expandEventInputs(['out/events/'])  // ['out/events/src_partition=0/part-0.parquet', …]
 */
export async function expandEventInputs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (s?.isDirectory()) {
      const files: string[] = [];
      await walk(p, files);
      if (files.length === 0) throw new UsageError(`${p}: folder holds no .parquet, .jsonl, .json or .csv file`);
      out.push(...files);
    } else out.push(...(await expandFilePatterns([p])));
  }
  return out;
}
