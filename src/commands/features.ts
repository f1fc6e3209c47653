/**
 * `phantom features`: events → sessions.parquet, one row per session (docs/features.md). Options → library call
 * (src/features) → summary; the feature list and docs come from the registry.
 */
import type { Command } from 'commander';
import { extname } from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { featureListing, renderFeatureDocs } from '../features/docs.js';
import { expandFeatureInputs, featuresFromFiles, loadExperimentLabels, loadPriceLogs, OUTPUT_FORMATS, writeSessions, FEATURE_SETS, type FeatureSetName, type OutputFormat } from '../features/index.js';
import { COMPRESSIONS, type CompressionName } from '../io/parquet.js';
import { createProgress } from '../report/progress.js';
import { renderKeyValues, renderTable } from '../report/table.js';
import { action, choiceOption, info, intOption, numberOption, printJson, warn, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, EVENTS_INPUT, refuseNoSessions } from './input-checks.js';
import { aliased, legacyOption } from './option-aliases.js';
import { conflictingLabelsWarning } from '../events/session-index.js';

interface FeaturesFlags extends GlobalOptions {
  out?: string;
  priceLogs?: string;
  timeoutSec: number;
  featureSet: FeatureSetName;
  fillMissing?: number;
  format?: OutputFormat;
  compression: CompressionName;
  workers: number;
  experimentsFrom?: string;
  label?: 'human' | 'agent';
  strict?: boolean;
  list?: boolean;
  markdown?: boolean;
}

function outputFormat(flags: FeaturesFlags, out: string): OutputFormat {
  if (flags.format !== undefined) return flags.format;
  const ext = extname(out).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.json' ? 'json' : 'parquet';
}

function list(flags: FeaturesFlags): void {
  if (flags.markdown) process.stdout.write(renderFeatureDocs());
  else if (flags.json) printJson({ featureSet: flags.featureSet, features: featureListing(flags.featureSet, true) });
  else process.stdout.write(`${renderTable(['feature', 'group', 'type', 'missing', 'definition'], featureListing(flags.featureSet, true).map((f) => [f.name, f.context ? `${f.group} (context)` : f.group, f.dtype, f.missing, f.definition]))}\n`);
}

export function define(cmd: Command): void {
  withGlobalOptions(cmd)
    .argument('[inputs...]', 'events.parquet files, partitioned folders, or raw .jsonl/.json/.csv events (globs allowed)')
    .option('-o, --out <file>', 'output file (sessions.parquet, .csv or .json)')
    .option('--price-logs <file>', 'price logs (.parquet, .jsonl, .json, .csv): adds shown_price_mean and shown_markup_mean')
    .option('--timeout-sec <s>', 'inactivity timeout T: longer gaps do not count toward session_duration_sec', numberOption('--timeout-sec', 0), 900)
    .option('--feature-set <set>', 'default, or original (the 27 columns of the original study)', choiceOption('--feature-set', FEATURE_SETS), 'default')
    .option('--fill-missing <value>', 'replace null features with this number (0 reproduces the original fillna(0))', numberOption('--fill-missing'))
    .option('--format <fmt>', 'output format (default: from the -o extension, else parquet)', choiceOption('--format', OUTPUT_FORMATS))
    .option('--compression <codec>', 'Parquet compression', choiceOption('--compression', COMPRESSIONS), 'zstd')
    .option('-w, --workers <n>', 'worker threads for several input files', intOption('--workers', 1, 256), 1)
    .option('--experiments-from <file>', 'experiments table (.csv/.json: id, xp_human_only) to label events: is_agent = NOT xp_human_only')
    .option('--label-value <class>', 'label for events still unlabelled (datasets labelled by folder): human or agent', choiceOption('--label-value', ['human', 'agent'] as const))
    .addOption(legacyOption('--label <class>', choiceOption('--label', ['human', 'agent'] as const)))
    .option('--strict', 'exit 3 if any raw input record is rejected')
    .option('--list', 'print the feature registry (name, group, type, missing policy, definition) and exit')
    .option('--markdown', 'with --list: print docs/features.md')
    .addHelpText('after', `
Examples:
  $ phantom features events.parquet -o sessions.parquet
  $ phantom features out/events/ -o sessions.parquet --workers 4
  $ phantom features events.parquet --price-logs price-logs.parquet -o sessions.parquet
  $ phantom features events.parquet --feature-set original --fill-missing 0 -o original.csv
  $ phantom features fixtures/events.jsonl --experiments-from fixtures/experiments.csv -o sessions.parquet
  $ phantom features --list`)
    .action(
      action('features', async (inputs: string[], flags: FeaturesFlags) => {
        if (flags.list) return list(flags);
        flags.label = aliased<'human' | 'agent' | undefined>(cmd, 'labelValue', 'label', '--label-value', '--label');
        if (inputs.length === 0) throw new UsageError('no input: give events.parquet files, folders or raw event files (see --help)');
        if (flags.out === undefined) throw new UsageError('-o/--out is required: where to write the session features');
        if (!(flags.timeoutSec > 0)) throw new UsageError(`--timeout-sec must be > 0, got ${flags.timeoutSec}`);
        await checkInputs(inputs, EVENTS_INPUT, 'features needs');
        await checkInputs([flags.priceLogs], ['price-logs', 'raw-events', 'table'], '--price-logs must be');
        await checkOutputs({ files: { '-o': flags.out } });
        const t0 = Date.now();
        const paths = await expandFeatureInputs(inputs);
        const progress = createProgress({ quiet: flags.quiet || flags.json });
        progress.update(`features: reading ${paths.length} file${paths.length > 1 ? 's' : ''}`);
        const priceLogs = flags.priceLogs === undefined ? null : await loadPriceLogs(flags.priceLogs);
        const experiments = flags.experimentsFrom === undefined ? null : await loadExperimentLabels(flags.experimentsFrom);
        const opts = {
          featureSet: flags.featureSet, timeoutSec: flags.timeoutSec, fillMissing: flags.fillMissing ?? null, priceLogs,
          labels: { experiments, label: flags.label === undefined ? null : flags.label === 'agent' },
        };
        const { table, summary } = await featuresFromFiles(paths, opts, flags.workers, (done) => progress.update(`features: ${done}/${paths.length} files`));
        const rejected = Object.values(summary.raw?.rejected ?? {}).reduce((a: number, b) => a + (b ?? 0), 0);
        if (flags.strict && rejected > 0) throw new DataError(`${rejected} raw record${rejected > 1 ? 's' : ''} rejected (${JSON.stringify(summary.raw!.rejected)}); nothing written`);
        refuseNoSessions(table.nSessions, { rejected, events: summary.events });
        const format = outputFormat(flags, flags.out);
        progress.update(`features: writing ${table.nSessions.toLocaleString('en-US')} sessions`);
        await writeSessions(flags.out, table, {
          format, compression: flags.compression,
          metadata: { 'phantom.timeout_sec': String(flags.timeoutSec), 'phantom.fill_missing': flags.fillMissing === undefined ? 'none' : String(flags.fillMissing), 'phantom.events': String(summary.events) },
        });
        progress.done();
        const seconds = (Date.now() - t0) / 1000;
        let agents = 0;
        for (let s = 0; s < table.nSessions; s++) if (table.isAgent[s] === 1) agents++;
        if (summary.conflictingLabels > 0) warn(conflictingLabelsWarning(summary.conflictingLabels));
        if (summary.unknownEvents > 0) warn(`${summary.unknownEvents} event(s) with names outside the vocabulary (kept, counted in unknown_events)`);
        if (summary.rowsWithoutSession > 0) warn(`${summary.rowsWithoutSession} row(s) without a sessionId were skipped`);
        if (rejected > 0) warn(`${rejected} raw record(s) rejected: ${JSON.stringify(summary.raw!.rejected)}`);
        const result = { ...summary, labelConflicts: summary.conflictingLabels /* old name, one release */, agentSessions: agents, rejectedRecords: rejected, featureSet: flags.featureSet, columns: table.features.length, output: flags.out, format, seconds };
        if (flags.json) return printJson(result);
        process.stdout.write(`${renderKeyValues([
          ['input files', summary.files],
          ['events', summary.events],
          ['sessions', summary.sessions],
          ['agent / human / unlabelled', `${agents} / ${summary.sessions - agents - summary.unlabeledSessions} / ${summary.unlabeledSessions}`],
          ['sessions split across files (merged)', summary.splitSessions],
          ['unknown events', summary.unknownEvents],
          ['feature set', `${flags.featureSet} (${table.features.length} features)`],
          ['output', `${flags.out} (${format})`],
        ])}\n`);
        info(flags, `computed ${summary.sessions.toLocaleString('en-US')} sessions from ${summary.events.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s`);
      }),
    );
}
