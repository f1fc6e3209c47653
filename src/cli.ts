/**
 * The `phantom` command line: builds the commander program from the command registry, loading only the
 * command being run. The single place that maps errors to exit codes (docs/contract.md §6).
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from './errors.js';
import { COMMANDS } from './commands/registry.js';
import { installProcessGuards } from './commands/process-guards.js';
import { phantomVersion } from './io/provenance.js';


/** Build the program; `argv` decides which command module is loaded. */
export async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('phantom')
    .description('Tell human shoppers from automated agents in e-commerce interaction logs, and turn that into pricing decisions.')
    .version(phantomVersion(), '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  program.addHelpText('after', '\nExamples:\n  $ phantom pipeline                      # run everything on the bundled fixtures\n  $ phantom generate --sessions 2000 --seed 7 -o events.parquet\n  $ phantom <command> --help              # options and examples of one command\n');
  const args = argv.slice(2);
  const wanted = args[0] === 'help' ? args[1] : args[0];
  for (const entry of COMMANDS) {
    const cmd = program.command(entry.name).description(entry.summary).exitOverride();
    if (entry.name === wanted) (await entry.load()).define(cmd);
  }
  return program;
}

/** `phantom … | head` closes stdout early: stop quietly, as Unix tools do, instead of crashing on EPIPE. */
function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
    throw err;
  });
}

/** Run the CLI and return the exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  exitQuietlyOnBrokenPipe();
  installProcessGuards(argv[2] ?? 'phantom');
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    throw err;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
}
