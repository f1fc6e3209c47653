/**
 * The one guarded path for reading Parquet. parquet-wasm panics on some corrupt pages ("RuntimeError:
 * unreachable"): inside a synchronous call that is an exception, but inside its streaming reader it is
 * thrown outside any promise and would end the process with a WebAssembly stack. Every read names its
 * file here first, so either way the user sees one line naming the file and exit 2.
 */
import { UsageError } from '../errors.js';

const reading = new Map<string, number>();

/** The files being decoded now (most recent last). */
export function parquetFilesBeingRead(): string[] {
  return [...reading.keys()];
}

/** True for a WebAssembly trap (a parquet-wasm panic), whatever realm the error came from. */
export function isWasmPanic(err: unknown): boolean {
  return err instanceof Error && err.name === 'RuntimeError';
}

/** The usage error for a Parquet file that cannot be decoded. */
export function unreadableParquet(path: string, err: unknown): UsageError {
  const [firstLine = ''] = String((err as Error | null)?.message ?? err).split('\n', 1);
  const why = isWasmPanic(err) ? 'decoding failed: the file is corrupt or truncated' : firstLine.slice(0, 200);
  return new UsageError(`${path} is not a readable Parquet file (${why})`);
}

/**
 * Mark `path` as being read until `release()` (for streams that outlive one call).
 * @example const release = beginParquetRead(path); try { … } finally { release(); }
 */
export function beginParquetRead(path: string): () => void {
  reading.set(path, (reading.get(path) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (reading.get(path) ?? 1) - 1;
    if (n <= 0) reading.delete(path);
    else reading.set(path, n);
  };
}

/**
 * Run a Parquet decode of `path`: a panic or a decoder error becomes a UsageError naming the file;
 * UsageErrors pass through.
 * @example const table = await guardParquet(path, async () => pw.readParquet(bytes));
 */
export async function guardParquet<T>(path: string, decode: () => Promise<T> | T): Promise<T> {
  const release = beginParquetRead(path);
  try {
    return await decode();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw unreadableParquet(path, err);
  } finally {
    release();
  }
}

/**
 * Async-iterate a Parquet stream under the guard: the file stays marked while batches are pulled, and
 * errors thrown by the decoder become a UsageError naming it.
 */
export async function* guardParquetStream<T>(path: string, stream: () => AsyncIterable<T> | Promise<AsyncIterable<T>>): AsyncGenerator<T> {
  const release = beginParquetRead(path);
  try {
    for await (const item of await stream()) yield item;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw unreadableParquet(path, err);
  } finally {
    release();
  }
}
