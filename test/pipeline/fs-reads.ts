// Counting file reads in this process: test files mock node:fs and node:fs/promises with these wrappers
// (vi.mock), so every module of the library that opens a file for reading — readFile, createReadStream,
// openAsBlob (parquet-wasm), open/openSync with a read flag — is recorded with its path.
import { resolve } from 'node:path';

export interface FsRead { api: string; path: string }

/** Every read recorded since the last `reads.length = 0`. */
export const reads: FsRead[] = [];

const readFlag = (flags: unknown): boolean => flags === undefined || flags === 'r' || flags === 0;
const pathOf = (p: unknown): string | null => (typeof p === 'string' ? resolve(p) : p instanceof URL ? resolve(p.pathname) : null);

function record(api: string, p: unknown): void {
  const path = pathOf(p);
  if (path !== null) reads.push({ api, path });
}

/** The module with its read functions wrapped (open*: only when opened for reading). */
export function countingFs<T extends Record<string, unknown>>(mod: T): T {
  const wrapped: Record<string, unknown> = { ...mod };
  for (const api of ['readFile', 'readFileSync', 'createReadStream', 'openAsBlob', 'open', 'openSync']) {
    const fn = mod[api];
    if (typeof fn !== 'function') continue;
    wrapped[api] = (...args: unknown[]) => {
      if (!api.startsWith('open') || api === 'openAsBlob' || readFlag(args[1])) record(api, args[0]);
      return (fn as (...a: unknown[]) => unknown)(...args);
    };
  }
  return wrapped as T;
}

/** Reads per path, for the paths under `dir`. */
export function readsUnder(dir: string): Record<string, number> {
  const root = resolve(dir);
  const out: Record<string, number> = {};
  for (const r of reads) if (r.path.startsWith(`${root}/`)) out[r.path.slice(root.length + 1)] = (out[r.path.slice(root.length + 1)] ?? 0) + 1;
  return out;
}
