/**
 * One flag vocabulary across commands (docs/contract.md §6): `--label-column` names a column,
 * `--label-value` gives a class (human | agent), `--workers` counts threads. The older spellings
 * (`--label` for either, `--threads`) still work for one release as hidden aliases.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';

/**
 * A hidden option kept for compatibility: same argument and parser as the current flag, not in --help.
 * @example cmd.addOption(legacyOption('--label <column>'))
 */
export function legacyOption(flags: string, parse?: (value: string) => unknown): Option {
  const o = new Option(flags).hideHelp();
  return parse ? o.argParser(parse) : o;
}

/**
 * The value of a flag that has a legacy alias: the alias when it was given on the command line (and the
 * current flag was not, or agrees), else the current flag's value (or its default).
 * @example const column = aliased(cmd, 'labelColumn', 'label', '--label-column', '--label')
 */
export function aliased<T>(cmd: Command, current: string, legacy: string, currentFlag: string, legacyFlag: string): T {
  const opts = cmd.opts<Record<string, T>>();
  const legacyGiven = cmd.getOptionValueSource(legacy) === 'cli';
  if (!legacyGiven) return opts[current]!;
  if (cmd.getOptionValueSource(current) === 'cli' && opts[current] !== opts[legacy]) {
    throw new UsageError(`${legacyFlag} is the old name of ${currentFlag}; give one of them`);
  }
  return opts[legacy]!;
}
