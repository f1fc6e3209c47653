/**
 * Atomic file output (docs/contract.md §6): write under a temporary name beside the target, fsync, rename into place.
 * A crash leaves at most a `.tmp-*` file, never a truncated file under the final name; the temporary
 * name carries the writer's host and pid, so a later run can remove those of processes that are gone.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ensureDir } from './ensure-dir.js';

/** A host name as it appears in temporary names, run ids and claims (letters and digits, at most 24). */
export function hostTag(host = hostname()): string {
  return host.replace(/[^A-Za-z0-9]+/g, '').slice(0, 24) || 'host';
}

/** Is process `pid` of host `host` gone? (Another host's processes cannot be asked: treated as alive.) */
export function processGone(host: string, pid: number): boolean {
  if (host !== hostTag()) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A temporary path in the same directory as `finalPath` (same filesystem, so rename is atomic). */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.tmp-${hostTag()}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

// `.<final name>.tmp-<host>-<pid>-<hex>`; names from before the host was added (`.tmp-<pid>-<hex>`) count as this host's
const TEMP_NAME = /^\.(.+)\.tmp-(?:([A-Za-z0-9]+)-)?(\d+)-[0-9a-f]{8}$/;

/**
 * Remove temporary files that processes of this host left in `dir` before they died (SIGKILL, power
 * loss); only those for the final names in `finals` when given. Returns the paths removed.
 * @example await removeStaleTemps('out', ['events.parquet', 'events.dead-letter.jsonl'])
 */
export async function removeStaleTemps(dir: string, finals?: readonly string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // no folder, no leftovers
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (m === null) continue;
    let final = m[1]!; // a temp file of a temp file (a writer handed a temp path) belongs to the outer final name
    for (let inner = TEMP_NAME.exec(final); inner !== null; inner = TEMP_NAME.exec(final)) final = inner[1]!;
    if (finals !== undefined && !finals.includes(final)) continue;
    if (!processGone(m[2] ?? hostTag(), Number(m[3]))) continue;
    await rm(join(dir, name), { force: true, recursive: true });
    removed.push(join(dir, name));
  }
  return removed;
}

/** fsync a file and rename it over `finalPath`, then fsync the directory so the rename is durable. */
export async function commitTemp(tempPath: string, finalPath: string): Promise<void> {
  const fh = await open(tempPath, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tempPath, finalPath);
  const dir = await open(dirname(finalPath), 'r');
  try {
    await dir.sync();
  } catch {
    // some filesystems refuse fsync on directories; the rename itself is still atomic
  } finally {
    await dir.close();
  }
}

/**
 * Write `data` to `finalPath` atomically.
 * @example await atomicWriteFile('out/summary.json', JSON.stringify(summary))
 */
export async function atomicWriteFile(finalPath: string, data: string | Uint8Array): Promise<void> {
  await ensureDir(dirname(finalPath));
  const tmp = tempPathFor(finalPath);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
    } finally {
      await fh.close();
    }
    await commitTemp(tmp, finalPath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
