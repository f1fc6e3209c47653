/**
 * The conventions every command shares (docs/contract.md §6), implemented once: `--json` and `--quiet`, option
 * parsers that turn bad values into usage errors, progress on an interactive stderr only, and the
 * mapping of errors to exit codes with a one-line message and no stack trace for expected failures.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { EXIT, PhantomError } from '../errors.js';
import { maskSecrets } from '../io/mask-secrets.js';

export interface GlobalOptions {
  json?: boolean;
  quiet?: boolean;
}

/** Adds `--json` and `--quiet` to a command. */
export function withGlobalOptions(cmd: Command): Command {
  return cmd.option('--json', 'print a machine-readable JSON result on stdout').option('-q, --quiet', 'no progress or informational output on stderr');
}

/** Option parser for integers within [min, max]. @example .option('--seed <n>', 'seed', intOption('--seed'), 42) */
export function intOption(flag: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${flag} takes a whole number, got "${value}"`);
    if (n < min || n > max) throw new InvalidArgumentError(`${flag} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

/** Option parser for finite numbers within [min, max]. */
export function numberOption(flag: string, min = -Infinity, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} takes a number, got "${value}"`);
    if (n < min || n > max) throw new InvalidArgumentError(`${flag} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

/** Option parser for one of a fixed set of choices. */
export function choiceOption<T extends string>(flag: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`${flag} must be one of ${choices.join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** Writes informational lines to stderr unless quiet. */
export function info(opts: GlobalOptions, message: string): void {
  if (!opts.quiet) process.stderr.write(`${maskSecrets(message)}\n`);
}

/** Warnings go to stderr even with --quiet: they change how a result should be read. */
export function warn(message: string): void {
  process.stderr.write(`warning: ${maskSecrets(message)}\n`);
}

/** Print a JSON result on stdout (numbers as they are; NaN/Infinity become null). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
}

// File-system refusals caused by the paths a user gave (a file where a folder is needed, no permission, a
// read-only or full disk): reported in one line, not as a bug. A full disk is not a usage error (exit 1).
const PATH_ERRORS: Record<string, number> = { ENOTDIR: EXIT.usage, EEXIST: EXIT.usage, EISDIR: EXIT.usage, EACCES: EXIT.usage, EPERM: EXIT.usage, EROFS: EXIT.usage, ENOENT: EXIT.usage, ELOOP: EXIT.usage, ENAMETOOLONG: EXIT.usage, EADDRINUSE: EXIT.usage, ENOSPC: EXIT.internal };

/**
 * Wrap a command's action: expected failures (PhantomError) print `phantom <cmd>: message` and set their
 * exit code; so do file-system refusals of a given path (PATH_ERRORS); anything else is an internal error
 * (exit 1) with its stack for a bug report.
 */
export function action<A extends unknown[]>(name: string, fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      const pathExit = typeof code === 'string' && Object.hasOwn(PATH_ERRORS, code) ? PATH_ERRORS[code] : undefined;
      if (err instanceof PhantomError) {
        process.stderr.write(`phantom ${name}: ${maskSecrets(err.message)}\n`);
        process.exitCode = err.exitCode;
      } else if (pathExit !== undefined) {
        process.stderr.write(`phantom ${name}: the file system refused (${maskSecrets((err as Error).message).replace(/\/\.([^/'"]+?)(?:\.tmp-[0-9a-f-]+)+/g, '/$1').split('\n')[0]}); check the paths given\n`);
        process.exitCode = pathExit;
      } else {
        process.stderr.write(`phantom ${name}: internal error: ${maskSecrets(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
        process.exitCode = EXIT.internal;
      }
    }
  };
}
