/**
 * Process-wide guards of the CLI, installed once by the entry point:
 * - a parquet-wasm panic thrown outside any promise (its streaming reader) becomes the one-line usage
 *   error naming the file being read, exit 2, instead of a WebAssembly stack (io/parquet-guard.ts);
 * - the first SIGINT/SIGTERM always ends the process within a few seconds: commands that stop gracefully
 *   (export, serve) get `SIGNAL_GRACE_MS` to finish, then the process exits 130/143. Commands without a
 *   handler keep the default (immediate) behaviour, which a listener registered here would disable.
 */
import { EXIT } from '../errors.js';
import { isWasmPanic, parquetFilesBeingRead, unreadableParquet } from '../io/parquet-guard.js';

/** How long a graceful stop may take after the first signal (a group export commits and publishes its last roll; on a loaded 2-core machine that took over 3 s). */
export const SIGNAL_GRACE_MS = 10_000;

const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

function armDeadline(signal: 'SIGINT' | 'SIGTERM', command: string): void {
  let armed = false;
  process.on(signal, () => {
    if (armed) {
      process.exit(SIGNAL_EXIT[signal]); // a second signal: stop now
    }
    armed = true;
    // unref: a graceful stop that finishes first ends the process by itself
    setTimeout(() => {
      process.stderr.write(`phantom ${command}: still stopping ${SIGNAL_GRACE_MS / 1000} s after ${signal}; exiting\n`);
      process.exit(SIGNAL_EXIT[signal]);
    }, SIGNAL_GRACE_MS).unref();
  });
}

/**
 * Install the guards for `command` (the subcommand name, for messages).
 * @example installProcessGuards('features')
 */
export function installProcessGuards(command: string): void {
  process.on('uncaughtException', (err) => {
    if (isWasmPanic(err)) {
      const last = parquetFilesBeingRead().at(-1);
      const msg = last !== undefined ? unreadableParquet(last, err).message : 'a Parquet file could not be decoded (corrupt or truncated)';
      process.stderr.write(`phantom ${command}: ${msg}\n`);
      process.exit(EXIT.usage);
    }
    process.stderr.write(`phantom ${command}: internal error: ${err.stack ?? err.message}\n`);
    process.exit(EXIT.internal);
  });
  const pending = new Set<'SIGINT' | 'SIGTERM'>(['SIGINT', 'SIGTERM']);
  // arm the deadline only once a command installs its own graceful handler
  process.on('newListener', (event) => {
    if ((event === 'SIGINT' || event === 'SIGTERM') && pending.delete(event)) armDeadline(event, command);
  });
}
