/**
 * argv → a command's typed, defaulted library options without running it: the command's own flag
 * declarations, parsed by commander with exitOverride, handed to the command's own flags → options step.
 * Each command exports `parseXArgs(argv)` built on this, so argv handling is unit-tested without spawning
 * the binary; the command's action runs the same step, then the library call, then renders.
 */
import { Command } from 'commander';

/**
 * Parse `argv` (the words after the command name) with `declare`'s flags and return `toArgs`' result.
 * Bad values throw commander's error (a CommanderError whose message is the documented one-line error);
 * inconsistent flags throw the UsageError the command would print.
 * @example const a = parseArgv('kernels', declareKernels, kernelsArgs, ['events.parquet', '--seed', '7'])
 */
export function parseArgv<P extends unknown[], T>(name: string, declare: (cmd: Command) => Command, toArgs: (cmd: Command, ...positional: P) => T, argv: readonly string[]): T {
  const cmd = new Command(name).exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  let parsed: { value: T } | null = null;
  declare(cmd).action((...a: unknown[]) => {
    parsed = { value: toArgs(cmd, ...(a.slice(0, -2) as P)) };
  });
  cmd.parse([...argv], { from: 'user' });
  if (parsed === null) throw new Error(`${name}: the arguments did not reach the command's action`);
  return (parsed as { value: T }).value;
}
