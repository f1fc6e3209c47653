/**
 * Helpers for export tests: read every part file an export wrote back into plain rows, and run the real
 * binary asynchronously (so a test can watch its stderr, signal it or SIGKILL it mid-run).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import { rowAt } from '../../src/events/table.js';
import type { EventRow } from '../../src/events/normalise.js';
import { ROOT } from '../support/cli.js';

/** Every `.parquet` file under a directory (recursively), temp files (dot-prefixed) excluded. */
export function parquetFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...parquetFiles(p));
    else if (e.name.endsWith('.parquet')) out.push(p);
  }
  return out.sort();
}

/** Hidden temporary files left under a directory (a crash may leave them; never under a final name). */
export function tempFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tempFiles(p));
    else if (e.name.startsWith('.') && e.name.includes('.tmp-')) out.push(p);
  }
  return out;
}

export interface FileRow extends EventRow {
  file: string;
}

/** All rows of all event files under `dir` (or of one file), in file order. */
export async function readRows(pathOrDir: string): Promise<FileRow[]> {
  const files = pathOrDir.endsWith('.parquet') ? [pathOrDir] : parquetFiles(join(pathOrDir, 'events'));
  const rows: FileRow[] = [];
  for (const file of files) {
    const t = await readEventsParquet(file);
    for (let i = 0; i < t.length; i++) rows.push({ ...rowAt(t, i), file });
  }
  return rows;
}

/** `partition:offset` keys of rows (Kafka provenance). */
export const offsetKeys = (rows: readonly EventRow[]): string[] => rows.map((r) => `${r.srcPartition}:${r.srcOffset}`);

/** Keys that appear more than once. */
export function duplicatesOf(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const k of keys) (seen.has(k) ? dups.push(k) : seen.add(k));
  return dups;
}

/** Lines of a JSON-lines file as objects. */
export function readJsonLines<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}

export interface RunningPhantom {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr matches (or rejects after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `phantom <args>` (the built binary) without waiting for it. */
export function startPhantom(args: string[], env: Record<string, string> = {}): RunningPhantom {
  const child = spawn(process.execPath, [resolve(ROOT, 'bin/phantom.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  const listeners: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const l of listeners.slice()) l();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, ms = 30_000) {
      return new Promise((res, rej) => {
        const check = (): boolean => {
          const m = err.match(pattern);
          if (m === null) return false;
          clearTimeout(timer);
          listeners.splice(listeners.indexOf(check), 1);
          res(m);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.splice(listeners.indexOf(check), 1);
          rej(new Error(`stderr did not match ${pattern} within ${ms} ms:\n${err.slice(-2000)}`));
        }, ms);
        listeners.push(check);
        if (!check()) void exited.then(() => setTimeout(check, 0));
      });
    },
  };
}
