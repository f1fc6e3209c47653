/**
 * `phantom features`: events → sessions.parquet, one row per session (docs/features.md). Options → library call
 * (src/features) → summary; the feature list and docs come from the registry.
 */
import type { Command } from 'commander';
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { featureListing, renderFeatureDocs } from '../features/docs.js';
import { OUTPUT_FORMATS, writeSessions, FEATURE_SETS, type FeatureSetName, type OutputFormat } from '../features/index.js';
import { featuresWarnings, FEATURES_DEFAULTS as D, runFeatures, sessionsFileMetadata, type FeaturesOptions } from '../features/run-features.js';
import { COMPRESSIONS } from '../io/parquet.js';
import { createProgress } from '../report/progress.js';
import { renderKeyValues, renderTable } from '../report/table.js';
import { action, choiceOption, info, intOption, numberOption, printJson, warn, withGlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, EVENTS_INPUT, refuseNoSessions } from './input-checks.js';
import { aliased, legacyOption } from './option-aliases.js';
import { parseArgv } from './parse-argv.js';
import { withOldConflictKey } from '../events/session-index.js';

/** What one `phantom features …` asks for: the inputs, the library options, and where and how to render. */
export interface FeaturesArgs {
  inputs: string[];
  /** -o (null only with --list) */
  out: string | null;
  /** --format, else from the -o extension, else parquet */
  format: OutputFormat;
  /** --list: print the feature registry instead (as docs/features.md with --markdown) */
  list: boolean;
  markdown: boolean;
  json: boolean;
  quiet: boolean;
  options: FeaturesOptions;
}

function outputFormat(format: OutputFormat | undefined, out: string | undefined): OutputFormat {
  if (format !== undefined) return format;
  const ext = extname(out ?? '').toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.json' ? 'json' : 'parquet';
}

function list(flags: { markdown: boolean; json: boolean; featureSet: FeatureSetName }): void {
  if (flags.markdown) process.stdout.write(renderFeatureDocs());
  else if (flags.json) printJson({ featureSet: flags.featureSet, features: featureListing(flags.featureSet, true) });
  else process.stdout.write(`${renderTable(['feature', 'group', 'type', 'missing', 'definition'], featureListing(flags.featureSet, true).map((f) => [f.name, f.context ? `${f.group} (context)` : f.group, f.dtype, f.missing, f.definition]))}\n`);
}

/** The flags of `features`, defaults from FEATURES_DEFAULTS. */
export function declareFeatures(cmd: Command): Command {
  return withGlobalOptions(cmd)
    .argument('[inputs...]', 'events.parquet files, partitioned folders, or raw .jsonl/.json/.csv events (globs allowed)')
    .option('-o, --out <file>', 'output file (sessions.parquet, .csv or .json)')
    .option('--price-logs <file>', 'price logs (.parquet, .jsonl, .json, .csv): adds shown_price_mean and shown_markup_mean')
    .option('--timeout-sec <s>', 'inactivity timeout T: longer gaps do not count toward session_duration_sec', numberOption('--timeout-sec', 0), D.timeoutSec)
    .option('--feature-set <set>', 'default, or original (the 27 columns of the original study)', choiceOption('--feature-set', FEATURE_SETS), D.featureSet)
    .option('--fill-missing <value>', 'replace null features with this number (0 reproduces the original fillna(0))', numberOption('--fill-missing'))
    .option('--format <fmt>', 'output format (default: from the -o extension, else parquet)', choiceOption('--format', OUTPUT_FORMATS))
    .option('--compression <codec>', 'Parquet compression', choiceOption('--compression', COMPRESSIONS), D.compression)
    .option('-w, --workers <n>', 'worker threads for several input files', intOption('--workers', 1, 256), D.workers)
    .option('--experiments-from <file>', 'experiments table (.csv/.json: id, xp_human_only) to label events: is_agent = NOT xp_human_only')
    .option('--label-value <class>', 'label for events still unlabelled (datasets labelled by folder): human or agent', choiceOption('--label-value', ['human', 'agent'] as const))
    .addOption(legacyOption('--label <class>', choiceOption('--label', ['human', 'agent'] as const)))
    .option('--strict', 'exit 3 if any raw input record is rejected')
    .option('--list', 'print the feature registry (name, group, type, missing policy, definition) and exit')
    .option('--markdown', 'with --list: print docs/features.md')
    .addHelpText('after', `
Examples:
  $ phantom features events.parquet -o sessions.parquet
  $ phantom features export/events/ -o sessions.parquet --workers 4   # the part files of export -o export/
  $ phantom features events.parquet --price-logs price-logs.parquet -o sessions.parquet
  $ phantom features events.parquet --feature-set original --fill-missing 0 -o original.csv
  $ phantom features fixtures/events.jsonl --experiments-from fixtures/experiments.csv -o sessions.parquet
  $ phantom features --list`);
}

/** Parsed flags → library options; refuses a missing input or output and a zero timeout (UsageError) unless --list. */
export function featuresArgs(cmd: Command, inputs: string[]): FeaturesArgs {
  const f = cmd.opts<{ out?: string; priceLogs?: string; timeoutSec: number; featureSet: FeatureSetName; fillMissing?: number; format?: OutputFormat; compression: FeaturesOptions['compression']; workers: number; experimentsFrom?: string; strict?: boolean; list?: boolean; markdown?: boolean; json?: boolean; quiet?: boolean }>();
  const listing = f.list === true;
  const labelValue = listing ? undefined : aliased<'human' | 'agent' | undefined>(cmd, 'labelValue', 'label', '--label-value', '--label');
  if (!listing) {
    if (inputs.length === 0) throw new UsageError('no input: give events.parquet files, folders or raw event files (see --help)');
    if (f.out === undefined) throw new UsageError('-o/--out is required: where to write the session features');
    if (!(f.timeoutSec > 0)) throw new UsageError(`--timeout-sec must be > 0, got ${f.timeoutSec}`);
  }
  return {
    inputs, out: f.out ?? null, format: outputFormat(f.format, f.out), list: listing, markdown: f.markdown === true, json: f.json === true, quiet: f.quiet === true,
    options: {
      featureSet: f.featureSet, timeoutSec: f.timeoutSec, fillMissing: f.fillMissing ?? null, priceLogs: f.priceLogs ?? null, experimentsFrom: f.experimentsFrom ?? null,
      labelValue: labelValue ?? null, workers: f.workers, strict: f.strict === true, compression: f.compression,
    },
  };
}

/** `phantom features` argv (after the command name) → its options, without running it. */
export function parseFeaturesArgs(argv: readonly string[]): FeaturesArgs {
  return parseArgv('features', declareFeatures, featuresArgs, argv);
}

export function define(cmd: Command): void {
  declareFeatures(cmd)
    .action(
      action('features', async (inputs: string[]) => {
        const a = featuresArgs(cmd, inputs);
        const o = a.options;
        if (a.list) return list({ ...a, featureSet: o.featureSet });
        const out = a.out!;
        const flags = a;
        await checkInputs(inputs, EVENTS_INPUT, 'features needs');
        await checkInputs([o.priceLogs], ['price-logs', 'raw-events', 'table'], '--price-logs must be');
        await checkOutputs({ files: { '-o': out } });
        const t0 = Date.now();
        const progress = createProgress({ quiet: flags.quiet || flags.json });
        const run = await runFeatures(inputs, { ...o, onStage: (s) => progress.update(s) });
        const { table, summary, rejected } = run;
        refuseNoSessions(table.nSessions, { rejected, events: summary.events });
        const format = a.format;
        progress.update(`features: writing ${table.nSessions.toLocaleString('en-US')} sessions`);
        await writeSessions(out, table, { format, compression: o.compression, metadata: sessionsFileMetadata(o, summary) });
        progress.done();
        const seconds = (Date.now() - t0) / 1000;
        const agents = run.agentSessions;
        for (const w of featuresWarnings(run)) warn(w);
        const result = { ...withOldConflictKey(summary), agentSessions: agents, rejectedRecords: rejected, featureSet: o.featureSet, columns: table.features.length, output: out, format, seconds };
        if (flags.json) return printJson(result);
        process.stdout.write(`${renderKeyValues([
          ['input files', summary.files],
          ['events', summary.events],
          ['sessions', summary.sessions],
          ['agent / human / unlabelled', `${agents} / ${summary.sessions - agents - summary.unlabeledSessions} / ${summary.unlabeledSessions}`],
          ['sessions split across files (merged)', summary.splitSessions],
          ['unknown events', summary.unknownEvents],
          ['feature set', `${o.featureSet} (${table.features.length} features)`],
          ['output', `${out} (${format})`],
        ])}\n`);
        info(flags, `computed ${summary.sessions.toLocaleString('en-US')} sessions from ${summary.events.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s`);
      }),
    );
}
