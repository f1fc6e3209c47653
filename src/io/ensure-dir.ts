/**
 * Output folders and files, checked before any work. Node's `mkdir(…, { recursive: true })` loops forever
 * under /proc (each step reports ENOENT and it retries); `ensureDir` walks the path itself, one component
 * at a time, bounded by the path's depth, and turns every refusal into a one-line UsageError naming the
 * path. `prepareOutputFile` / `prepareOutputDir` also prove the folder takes a new file (a probe file
 * created and removed), so read-only, full-permission-denied and pseudo file systems fail in a second,
 * before hours of computing, and an existing output is never touched.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'this location does not take new files',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  EISDIR: 'it is a folder',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EINVAL: 'the file system refused the name',
};

/** A short reason for a file-system error code. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const reason = code !== undefined && Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
  if (reason !== undefined) return `${reason} (${code})`;
  const [firstLine = ''] = String((err as Error | null)?.message ?? err).split('\n', 1);
  return firstLine;
}

/** `under-file`: a path below a file (ENOTDIR); the file itself is the one to name. */
async function kindOf(path: string): Promise<'dir' | 'other' | 'missing' | 'under-file'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'other';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'under-file';
    throw new UsageError(`cannot use folder ${path}: ${fsReason(err)}`);
  }
}

/**
 * Create `dir` and its missing parents; never loops (at most one mkdir per path component).
 * @example await ensureDir('out/figures')
 */
export async function ensureDir(dir: string): Promise<void> {
  const target = resolve(dir);
  const missing: string[] = [];
  let cur = target;
  for (;;) {
    const k = await kindOf(cur);
    if (k === 'dir') break;
    if (k === 'other') throw new UsageError(`cannot create folder ${dir}: ${cur} is a file, not a folder`);
    if (k !== 'under-file') missing.push(cur);
    const up = dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && (await kindOf(d)) === 'dir') continue;
      throw new UsageError(`cannot create folder ${dir}: ${fsReason(err)}`);
    }
  }
}

/** Create and remove a probe file in `dir`: the only reliable test that it takes new files (root ignores modes). */
async function probeWritable(dir: string, what: string): Promise<void> {
  const probe = join(dir, `.phantom-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fh = await open(probe, 'wx');
    await fh.close();
  } catch (err) {
    throw new UsageError(`cannot write ${what}: ${fsReason(err)}`);
  }
  await rm(probe, { force: true });
}

/**
 * Check that `path` can be written as a file (its folder exists or is created, takes new files, and
 * `path` is not a folder), before any work. `flag` names the option in the message.
 * @example await prepareOutputFile(flags.out, '-o')
 */
export async function prepareOutputFile(path: string, flag = '-o'): Promise<void> {
  if (path.trim() === '') throw new UsageError(`${flag}: the output path is empty`);
  if ((await kindOf(path).catch(() => 'other')) === 'dir') throw new UsageError(`${flag} ${path}: is a folder; give a file name`);
  try {
    await ensureDir(dirname(path));
  } catch (err) {
    throw err instanceof UsageError ? new UsageError(`${flag} ${path}: ${err.message}`) : err;
  }
  await probeWritable(dirname(path), `${flag} ${path}`);
}

/**
 * Check that `dir` can hold outputs (created if missing), before any work.
 * @example await prepareOutputDir(flags.plot, '--plot')
 */
export async function prepareOutputDir(dir: string, flag: string): Promise<void> {
  if (dir.trim() === '') throw new UsageError(`${flag}: the output folder is empty`);
  try {
    await ensureDir(dir);
  } catch (err) {
    throw err instanceof UsageError ? new UsageError(`${flag} ${dir}: ${err.message}`) : err;
  }
  await probeWritable(dir, `${flag} ${dir}`);
}
