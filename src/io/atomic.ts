/**
 * Atomic file output (SPEC §9): write under a temporary name beside the target, fsync, rename into place.
 * A crash leaves at most a `.tmp-*` file, never a truncated file under the final name.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ensureDir } from './ensure-dir.js';

/** A temporary path in the same directory as `finalPath` (same filesystem, so rename is atomic). */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
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
