/**
 * `phantom generate`: synthetic labelled sessions from behaviour profiles (docs/generate.md).
 */
import type { Command } from 'commander';
import { writeImpressions } from '../auction/impressions.js';
import { GENERATE_DEFAULTS as D, GENERATE_FORMATS, isoText, runGenerate, type GenerateRunOptions } from '../generate/run-generate.js';
import { parseIsoMs } from '../io/timestamp.js';
import { UsageError } from '../errors.js';
import { COMPRESSIONS, type CompressionName } from '../io/parquet.js';
import { createProgress } from '../report/progress.js';
import { renderKeyValues } from '../report/table.js';
import { action, choiceOption, info, intOption, numberOption, printJson, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { checkOutputs } from './input-checks.js';
import { aliased, legacyOption } from './option-aliases.js';
import { parseArgv } from './parse-argv.js';

interface GenerateFlags extends GlobalOptions {
  sessions: number;
  agentShare: number;
  seed: number;
  start: string;
  spanDays: number;
  products?: number;
  sessionsPerExperiment: number;
  out: string;
  format: GenerateRunOptions['format'];
  labelsOut?: string;
  partitions: number;
  compression: CompressionName;
  threads?: number;
  experimentsOut?: string;
  profileHuman: string;
  profileAgent: string;
  labels: boolean;
}

/** What one `phantom generate …` asks for: the output, the library options, and how to render. */
export interface GenerateArgs {
  out: string;
  json: boolean;
  quiet: boolean;
  options: GenerateRunOptions;
}

/** The flags of `generate`, defaults from GENERATE_DEFAULTS. */
export function declareGenerate(cmd: Command): Command {
  return withGlobalOptions(cmd)
    .requiredOption('-o, --out <file>', 'output: .parquet, .jsonl (one per line) or .json (array)')
    .option('-n, --sessions <n>', 'number of sessions', intOption('--sessions', 0), D.sessions)
    .option('-a, --agent-share <alpha>', 'share of agent sessions (by experiment)', numberOption('--agent-share', 0, 1), D.agentShare)
    .option('-s, --seed <n>', 'random seed (same seed, same bytes)', intOption('--seed'), D.seed)
    .option('--start <iso>', 'earliest session start (UTC)', isoText(D.startMs))
    .option('--span-days <d>', 'sessions start uniformly over this many days', numberOption('--span-days', 0), D.spanDays)
    .option('--products <n>', 'products per store mode with random prices (default: the original study catalog)', intOption('--products', 1))
    .option('--sessions-per-experiment <n>', 'sessions per experiment row', intOption('--sessions-per-experiment', 1), D.sessionsPerExperiment)
    .option('--format <fmt>', 'flat events, kafka-envelope (console export records), access-log (combined-format web server log + labels CSV) or impressions (an ad-impressions CSV for phantom auction --ctr-data; -n counts rows)', choiceOption('--format', GENERATE_FORMATS), D.format)
    .option('--labels-out <file.csv>', 'access-log: where the labels go (default: beside the log, access.log → access-labels.csv)')
    .option('--partitions <n>', 'partitions for kafka-envelope keys', intOption('--partitions', 1, 10_000), D.partitions)
    .option('--compression <codec>', 'Parquet compression', choiceOption('--compression', COMPRESSIONS), D.compression)
    .option('-w, --workers <n>', 'worker threads sampling and encoding Parquet (default: one per core, at most 8); the file is the same for any count', intOption('--workers', 1, 64))
    .addOption(legacyOption('--threads <n>', intOption('--threads', 1, 64)))
    .option('--experiments-out <file.csv>', 'also write the experiments table (id, xp_human_only, …)')
    .option('--profile-human <file>', 'human behaviour profile (JSON)', D.profileHuman)
    .option('--profile-agent <file>', 'agent behaviour profile (JSON)', D.profileAgent)
    .option('--no-labels', 'leave is_agent out of every output format (join labels from experiments instead)')
    .addHelpText('after', `
Examples:
  $ phantom generate --sessions 2000 --seed 7 -o events.parquet
  $ phantom generate -n 300 -a 0.3 -o events.jsonl --experiments-out experiments.csv
  $ phantom generate -n 50 --format kafka-envelope -o console-export.json
  $ phantom generate -n 1000 --profile-agent my-agents.json -o events.parquet --json   # my-agents.json: an edited copy of fixtures/profiles/agent.json
  $ phantom generate -n 300 --format access-log -o access.log   # + access-labels.csv (docs/access-logs.md)
  $ phantom generate -n 200000 --format impressions -o impressions.csv   # clicks from a known CTR function (docs/auction.md)`);
}

/** Parsed flags → library options; refuses an unreadable --start and --threads beside --workers (UsageError). */
export function generateArgs(cmd: Command): GenerateArgs {
  const f = cmd.opts<GenerateFlags>();
  const workers = aliased<number | undefined>(cmd, 'workers', 'threads', '--workers', '--threads');
  const startMs = parseIsoMs(f.start);
  if (!Number.isFinite(startMs)) throw new UsageError(`--start: cannot parse "${f.start}" as an ISO-8601 time`);
  return {
    out: f.out, json: f.json === true, quiet: f.quiet === true,
    options: {
      sessions: f.sessions, agentShare: f.agentShare, seed: f.seed, startMs, spanDays: f.spanDays, products: f.products ?? null, sessionsPerExperiment: f.sessionsPerExperiment,
      format: f.format, labelsOut: f.labelsOut ?? null, partitions: f.partitions, compression: f.compression, workers: workers ?? null, experimentsOut: f.experimentsOut ?? null,
      profileHuman: f.profileHuman, profileAgent: f.profileAgent, labels: f.labels,
    },
  };
}

/** `phantom generate` argv (after the command name) → its options, without running it. */
export function parseGenerateArgs(argv: readonly string[]): GenerateArgs {
  return parseArgv('generate', declareGenerate, generateArgs, argv);
}

export function define(cmd: Command): void {
  declareGenerate(cmd)
    .action(
      action('generate', async () => {
        const { out, options: o, ...flags } = generateArgs(cmd);
        await checkOutputs({ files: { '-o': out, '--experiments-out': o.experimentsOut ?? undefined, '--labels-out': o.labelsOut ?? undefined } });
        const progress = createProgress({ quiet: flags.quiet || flags.json });
        const t0 = Date.now();
        if (o.format === 'impressions') {
          // Avazu-style impressions with clicks drawn from the known CTR function of docs/auction.md
          const r = await writeImpressions(out, o.sessions, o.seed);
          if (flags.json) printJson({ format: 'impressions', output: out, ...r, seed: o.seed, seconds: (Date.now() - t0) / 1000 });
          else process.stdout.write(`${renderKeyValues([['impressions', r.rows], ['clicks', r.clicks], ['seed', o.seed], ['output', `${out} (impressions CSV)`]])}\n`);
          return;
        }
        const run = await runGenerate(out, { ...o, format: o.format }, (n) => progress.update(`generating: ${n.toLocaleString('en-US')} events`));
        const seconds = (Date.now() - t0) / 1000;
        if (run.kind === 'access-log') {
          const s = run.summary;
          if (flags.json) printJson({ ...s, format: 'access-log', profiles: { human: o.profileHuman, agent: o.profileAgent }, seconds });
          else process.stdout.write(`${renderKeyValues([['sessions', s.sessions], ['agent sessions', s.agentSessions], ['events', s.events], ['log lines', s.lines], ['seed', s.seed], ['output', `${s.output} (access-log, combined)`], ['labels', s.labelsOut]])}\n`);
          return;
        }
        const summary = run.summary;
        progress.done();
        if (flags.json) {
          printJson({ ...summary, profiles: { human: o.profileHuman, agent: o.profileAgent }, seconds });
          return;
        }
        process.stdout.write(`${renderKeyValues([
          ['sessions', summary.sessions],
          ['agent sessions', summary.agentSessions],
          ['events', summary.events],
          ['experiments', summary.experiments],
          ['seed', summary.seed],
          ['output', `${summary.output} (${summary.format})`],
          ['experiments table', summary.experimentsOut ?? '–'],
        ])}\n`);
        info(flags, `generated ${summary.events.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s`);
      }),
    );
}
