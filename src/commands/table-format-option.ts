/**
 * `--format table|csv|tsv|markdown|json` for the tables a command prints (docs/contract.md §6). Commands
 * whose `--format` already names an output file format (features, generate) do not take it.
 */
import type { Command } from 'commander';
import { setTableFormat, TABLE_FORMATS, type TableFormat } from '../report/table.js';
import { choiceOption } from './runtime.js';

/**
 * Add `--format` and apply it before the action runs.
 * @example tableFormatOption(withGlobalOptions(cmd)).argument(…)
 */
export function tableFormatOption(cmd: Command): Command {
  return cmd
    .option('--format <fmt>', `printed tables as ${TABLE_FORMATS.join(', ')} (numbers unrounded in csv/tsv/markdown/json)`, choiceOption('--format', TABLE_FORMATS), 'table')
    .hook('preAction', (_this, action) => setTableFormat((action.opts() as { format?: TableFormat }).format ?? 'table'));
}
