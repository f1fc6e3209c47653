/**
 * `phantom generate`: synthetic labelled sessions from behaviour profiles (docs/generate.md).
 */
import type { Command } from 'commander';
import { writeImpressions } from '../auction/impressions.js';
import { defaultLabelsPath, generateAccessLog } from '../generate/access-log.js';
import { generateToFile, type OutputFormat } from '../generate/generate.js';
import { loadProfile } from '../generate/profile.js';
import { parseIsoMs } from '../io/timestamp.js';
import { UsageError } from '../errors.js';
import { COMPRESSIONS, type CompressionName } from '../io/parquet.js';
import { createProgress } from '../report/progress.js';
import { renderKeyValues } from '../report/table.js';
import { action, choiceOption, info, intOption, numberOption, printJson, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { checkOutputs } from './input-checks.js';
import { aliased, legacyOption } from './option-aliases.js';

interface GenerateFlags extends GlobalOptions {
  sessions: number;
  agentShare: number;
  seed: number;
  start: string;
  spanDays: number;
  products?: number;
  sessionsPerExperiment: number;
  out: string;
  format: OutputFormat | 'access-log' | 'impressions';
  labelsOut?: string;
  partitions: number;
  compression: CompressionName;
  threads?: number;
  experimentsOut?: string;
  profileHuman: string;
  profileAgent: string;
  labels: boolean;
}

export function define(cmd: Command): void {
  withGlobalOptions(cmd)
    .requiredOption('-o, --out <file>', 'output: .parquet, .jsonl (one per line) or .json (array)')
    .option('-n, --sessions <n>', 'number of sessions', intOption('--sessions', 0), 300)
    .option('-a, --agent-share <alpha>', 'share of agent sessions (by experiment)', numberOption('--agent-share', 0, 1), 0.3)
    .option('-s, --seed <n>', 'random seed (same seed, same bytes)', intOption('--seed'), 42)
    .option('--start <iso>', 'earliest session start (UTC)', '2025-01-06T00:00:00Z')
    .option('--span-days <d>', 'sessions start uniformly over this many days', numberOption('--span-days', 0), 7)
    .option('--products <n>', 'products per store mode with random prices (default: the original study catalog)', intOption('--products', 1))
    .option('--sessions-per-experiment <n>', 'sessions per experiment row', intOption('--sessions-per-experiment', 1), 1)
    .option('--format <fmt>', 'flat events, kafka-envelope (console export records), access-log (combined-format web server log + labels CSV) or impressions (an ad-impressions CSV for phantom auction --ctr-data; -n counts rows)', choiceOption('--format', ['flat', 'kafka-envelope', 'access-log', 'impressions'] as const), 'flat')
    .option('--labels-out <file.csv>', 'access-log: where the labels go (default: beside the log, access.log → access-labels.csv)')
    .option('--partitions <n>', 'partitions for kafka-envelope keys', intOption('--partitions', 1, 10_000), 3)
    .option('--compression <codec>', 'Parquet compression', choiceOption('--compression', COMPRESSIONS), 'zstd')
    .option('-w, --workers <n>', 'worker threads sampling and encoding Parquet (default: one per core, at most 8); the file is the same for any count', intOption('--workers', 1, 64))
    .addOption(legacyOption('--threads <n>', intOption('--threads', 1, 64)))
    .option('--experiments-out <file.csv>', 'also write the experiments table (id, xp_human_only, …)')
    .option('--profile-human <file>', 'human behaviour profile (JSON)', 'human')
    .option('--profile-agent <file>', 'agent behaviour profile (JSON)', 'agent')
    .option('--no-labels', 'leave is_agent out of every output format (join labels from experiments instead)')
    .addHelpText('after', `
Examples:
  $ phantom generate --sessions 2000 --seed 7 -o events.parquet
  $ phantom generate -n 300 -a 0.3 -o events.jsonl --experiments-out experiments.csv
  $ phantom generate -n 50 --format kafka-envelope -o console-export.json
  $ phantom generate -n 1000 --profile-agent my-agents.json -o events.parquet --json
  $ phantom generate -n 300 --format access-log -o access.log   # + access-labels.csv (docs/access-logs.md)
  $ phantom generate -n 200000 --format impressions -o impressions.csv   # clicks from a known CTR function (docs/auction.md)`)
    .action(
      action('generate', async (flags: GenerateFlags) => {
        flags.threads = aliased<number | undefined>(cmd, 'workers', 'threads', '--workers', '--threads');
        const startMs = parseIsoMs(flags.start);
        if (!Number.isFinite(startMs)) throw new UsageError(`--start: cannot parse "${flags.start}" as an ISO-8601 time`);
        await checkOutputs({ files: { '-o': flags.out, '--experiments-out': flags.experimentsOut } });
        const profiles = { human: await loadProfile(flags.profileHuman), agent: await loadProfile(flags.profileAgent) };
        const progress = createProgress({ quiet: flags.quiet || flags.json });
        const t0 = Date.now();
        const base = { sessions: flags.sessions, agentShare: flags.agentShare, seed: flags.seed, startMs, spanDays: flags.spanDays, products: flags.products ?? null, sessionsPerExperiment: flags.sessionsPerExperiment, profiles, labels: flags.labels };
        if (flags.format === 'impressions') {
          // Avazu-style impressions with clicks drawn from the known CTR function of docs/auction.md
          const r = await writeImpressions(flags.out, flags.sessions, flags.seed);
          if (flags.json) printJson({ format: 'impressions', output: flags.out, ...r, seed: flags.seed, seconds: (Date.now() - t0) / 1000 });
          else process.stdout.write(`${renderKeyValues([['impressions', r.rows], ['clicks', r.clicks], ['seed', flags.seed], ['output', `${flags.out} (impressions CSV)`]])}\n`);
          return;
        }
        if (flags.format === 'access-log') {
          const s = await generateAccessLog(base, flags.out, flags.labelsOut ?? defaultLabelsPath(flags.out));
          if (flags.json) printJson({ ...s, format: 'access-log', profiles: { human: flags.profileHuman, agent: flags.profileAgent }, seconds: (Date.now() - t0) / 1000 });
          else process.stdout.write(`${renderKeyValues([['sessions', s.sessions], ['agent sessions', s.agentSessions], ['events', s.events], ['log lines', s.lines], ['seed', s.seed], ['output', `${s.output} (access-log, combined)`], ['labels', s.labelsOut]])}\n`);
          return;
        }
        const format = flags.format;
        const summary = await generateToFile(
          { sessions: flags.sessions, agentShare: flags.agentShare, seed: flags.seed, startMs, spanDays: flags.spanDays, products: flags.products ?? null, sessionsPerExperiment: flags.sessionsPerExperiment, profiles, labels: flags.labels },
          flags.out,
          { format, partitions: flags.partitions, compression: flags.compression, experimentsOut: flags.experimentsOut ?? null, ...(flags.threads === undefined ? {} : { threads: flags.threads }), onChunk: (n) => progress.update(`generating: ${n.toLocaleString('en-US')} events`) },
        );
        const seconds = (Date.now() - t0) / 1000;
        progress.done();
        if (flags.json) {
          printJson({ ...summary, profiles: { human: flags.profileHuman, agent: flags.profileAgent }, seconds });
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
