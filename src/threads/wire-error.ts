/**
 * An error as it crosses a thread boundary: structured clone keeps neither an Error's class nor its own
 * fields, so the worker sends name, message, exit code and errno code as plain data and the main thread
 * rebuilds the same class (`UsageError` stays a `UsageError`, exit 2; `DataError` exit 3; …).
 */
import { DataError, GateFailed, PhantomError, UsageError } from '../errors.js';

/** The plain-data form of a thrown value. */
export interface WireError {
  /** the error's class name (`DataError`, `TypeError`, …) */
  name: string;
  message: string;
  /** a PhantomError's exit code; null for anything else (an internal error) */
  exitCode: number | null;
  /** a Node system error's code (`ENOENT`, …), so path refusals are still reported as such */
  code: string | null;
  stack: string | null;
}

const CLASSES: Record<string, new (message: string) => PhantomError> = { UsageError, DataError, GateFailed };
const BY_EXIT: Record<number, new (message: string) => PhantomError> = { 2: UsageError, 3: DataError, 4: GateFailed };

/**
 * The plain-data form of anything thrown in a worker.
 * @example parentPort.postMessage({ failed: toWireError(err) })
 */
export function toWireError(err: unknown): WireError {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  return { name: e.name, message: e.message, exitCode: e instanceof PhantomError ? e.exitCode : null, code: typeof code === 'string' ? code : null, stack: e.stack ?? null };
}

/**
 * The error to throw on this thread: a PhantomError comes back as the same class (a subclass this layer
 * does not know, such as `ConnectAborted`, as its exit-code class with its own name); anything else as an
 * Error named like the original, its message prefixed by `context`, with the worker's stack.
 * @example throw fromWireError(reply.error, 'simulation worker')
 */
export function fromWireError(w: WireError, context: string): Error {
  if (w.exitCode !== null) {
    const Known = w.name === 'PhantomError' ? undefined : (CLASSES[w.name] ?? BY_EXIT[w.exitCode]);
    const err = Known !== undefined ? new Known(w.message) : new PhantomError(w.message, w.exitCode);
    if (err.name !== w.name) err.name = w.name;
    return err;
  }
  const err: Error & { code?: string } = new Error(`${context}: ${w.message}`);
  err.name = w.name;
  if (w.code !== null) err.code = w.code;
  if (w.stack !== null) err.stack = `${w.name}: ${context}: ${w.stack.startsWith(`${w.name}: `) ? w.stack.slice(w.name.length + 2) : w.stack}`;
  return err;
}
