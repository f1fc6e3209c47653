/**
 * `phantom export`: Kafka, Supabase/Postgres or files → events.parquet (+ price-logs.parquet), docs/export.md.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { DataError, UsageError } from '../errors.js';
import { parseIsoMs } from '../io/timestamp.js';
import { commandLine } from '../io/provenance.js';
import { exportIdentity, loadLabels, openExportSource, type SourceSpec } from '../export/open-source.js';
import type { SessionLabels } from '../events/session-labels.js';
import { runExport } from '../export/lazy-sources.js';
import { exportSummaryJson, renderExportSummary } from '../export/summary.js';
import { EXPORT_DEFAULTS as D } from '../export/export-defaults.js';
import type { ExportOptions, ExportSummary } from '../export/types.js';
import { PARTITION_BY, type PartitionBy } from '../export/types.js';
import { COMPRESSIONS, type CompressionName } from '../io/compressions.js';
import type { SaslMechanism } from '../sources/kafka-client.js';
import { createProgress } from '../report/progress.js';
import { action, choiceOption, info, intOption, printJson, warn, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, EVENTS_INPUT, refuseNoSessions, refuseOptions } from './input-checks.js';
import { aliased, legacyOption } from './option-aliases.js';
import { kafkaConnectProgress, postgresConnectProgress } from './connect-progress.js';
import type { ConnectOptions } from '../sources/pg-connection.js';
import { PG_CONNECT_DEFAULTS, resolveDatabaseUrl } from '../sources/pg-url.js'; // without pg: loaded only by a Postgres export
import { parseArgv } from './parse-argv.js';

export interface ExportFlags extends GlobalOptions {
  from: 'kafka' | 'supabase' | 'file' | 'access-log';
  logFormat: string; sessionBy?: string; inactivity?: number; sessionKeyEnv?: string; timezone: string; eventRules?: string; resourceRules?: string;
  keepClientAddress?: boolean; labels?: string;
  out: string;
  brokers?: string; topic: string; priceTopic?: string; group?: string; follow?: boolean; fromBeginning?: boolean;
  since?: string; until?: string; maxMessages?: number; sessionTimeout?: number; flushRecords: number; flushInterval?: number;
  saslMechanism?: SaslMechanism; saslUsername?: string; saslPasswordEnv?: string;
  ssl?: boolean; sslCa?: string; sslCert?: string; sslKey?: string;
  databaseUrl?: string; connectTimeout?: number; supabaseUrl?: string; supabaseKeyEnv?: string; table?: string; columns?: string; experimentsTable?: string;
  priceFrom?: string[]; experimentsFrom?: string; label?: 'human' | 'agent'; dedupe?: boolean;
  partitionBy: PartitionBy; compression: CompressionName; rowGroupSize: number; deadLetter?: string; strict?: boolean; drain?: boolean;
}

/** `60s`, `5m`, `1h`, `500ms` or plain seconds → milliseconds. */
function durationOption(flag: string) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
    if (m === null || Number(m[1]) <= 0) throw new InvalidArgumentError(`${flag} takes a duration like 60s, 5m or 1h, got "${value}"`); // commander: exit 2, one line
    return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  };
}

function isoFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseIsoMs(value);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag}: cannot parse "${value}" as an ISO-8601 time`);
  return ms;
}

function sourceSpec(f: ExportFlags, inputs: string[], sinceMs?: number, untilMs?: number, labels: SessionLabels | null = null, signal?: AbortSignal): SourceSpec {
  const window = { ...(sinceMs !== undefined ? { sinceMs } : {}), ...(untilMs !== undefined ? { untilMs } : {}) };
  const limit = f.maxMessages !== undefined ? { maxMessages: f.maxMessages } : {};
  if (f.from === 'file') return { from: 'file', inputs, ...(f.priceFrom ? { priceInputs: f.priceFrom } : {}), ...limit };
  if (f.from === 'access-log') {
    return {
      from: 'access-log', inputs, logFormat: f.logFormat, timezone: f.timezone, labels, ...limit,
      ...pick(f, ['sessionBy', 'sessionKeyEnv', 'eventRules', 'resourceRules', 'keepClientAddress']), ...(f.inactivity !== undefined ? { inactivityMs: f.inactivity } : {}),
    };
  }
  if (f.from === 'supabase') return { from: 'supabase', ...pick(f, ['databaseUrl', 'supabaseUrl', 'supabaseKeyEnv', 'table', 'columns']), ...window, ...limit, connect: pgConnect(f, signal) };
  if (f.brokers === undefined) throw new UsageError('--from kafka needs --brokers host:port[,host:port…]');
  if (f.saslMechanism !== undefined && (f.saslUsername === undefined || f.saslPasswordEnv === undefined)) throw new UsageError('--sasl-mechanism needs --sasl-username and --sasl-password-env VAR (the password is read from that environment variable)');
  const sslFiles = f.sslCa !== undefined || f.sslCert !== undefined || f.sslKey !== undefined;
  const ssl = sslFiles ? { ssl: { ...pick({ caFile: f.sslCa, certFile: f.sslCert, keyFile: f.sslKey }, ['caFile', 'certFile', 'keyFile']) } } : f.ssl ? { ssl: true } : {};
  return {
    onClientLog: kafkaConnectProgress(f.brokers, (m) => info(f, m)),
    from: 'kafka', brokers: f.brokers.split(','), topic: f.topic, ...pick(f, ['priceTopic', 'group', 'follow', 'fromBeginning']), ...window, ...limit,
    ...(f.sessionTimeout !== undefined ? { sessionTimeoutMs: f.sessionTimeout } : {}),
    ...(f.saslMechanism ? { sasl: { mechanism: f.saslMechanism, username: f.saslUsername!, passwordEnv: f.saslPasswordEnv! } } : {}),
    ...ssl,
  };
}

/** --connect-timeout and retry progress for a --database-url server (named without its password). */
function pgConnect(f: ExportFlags, signal?: AbortSignal): ConnectOptions {
  let server = 'the database';
  try { server = f.databaseUrl === undefined ? server : resolveDatabaseUrl(f.databaseUrl).label; } catch { /* the source reports a bad URL */ }
  return { timeoutMs: f.connectTimeout ?? PG_CONNECT_DEFAULTS.timeoutMs, onRetry: postgresConnectProgress(server, (m) => info(f, m)), ...(signal ? { signal } : {}) };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

// The command line for file footers, with any password inside a URL masked.
/** The progress line is rebuilt at most this often: it names every partition's lag, and batches come by the thousand. */
const PROGRESS_TEXT_MS = 200;

function throttled<A>(ms: number, fn: (a: A) => void): (a: A) => void {
  let last = -Infinity;
  return (a) => {
    const now = Date.now();
    if (now - last < ms) return;
    last = now;
    fn(a);
  };
}

const redactedCommandLine = (): string => commandLine().replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@');

/** The options that only one source reads: given with another source they are refused, not ignored. */
const SOURCE_OPTIONS: Record<'kafka' | 'supabase' | 'file' | 'access-log', string[]> = {
  kafka: ['brokers', 'topic', 'priceTopic', 'group', 'follow', 'fromBeginning', 'sessionTimeout', 'saslMechanism', 'saslUsername', 'saslPasswordEnv', 'ssl', 'sslCa', 'sslCert', 'sslKey'],
  supabase: ['databaseUrl', 'connectTimeout', 'supabaseUrl', 'supabaseKeyEnv', 'table', 'columns'],
  file: ['priceFrom'],
  'access-log': ['logFormat', 'sessionBy', 'inactivity', 'sessionKeyEnv', 'timezone', 'eventRules', 'resourceRules', 'keepClientAddress'],
};

/** The library options of one export, without what only exists at run time (signal, callbacks, loaded labels, identity). */
export type ExportRunOptions = Omit<ExportOptions, 'signal' | 'onInfo' | 'onWarning' | 'onProgress' | 'now' | 'identity' | 'experiments' | 'sessionLabels' | 'metadata' | 'finalMetadata'>;

/** What one `phantom export …` asks for: the source flags, the time window, and the library options. */
export interface ExportArgs {
  inputs: string[];
  /** the parsed flags the source is opened from (`sourceSpec`) */
  flags: ExportFlags;
  /** the --since / --until window in ms (undefined: open) */
  sinceMs: number | undefined;
  untilMs: number | undefined;
  /** -o names a directory (rolling part files), not a .parquet file */
  toDir: boolean;
  options: ExportRunOptions;
}

/** The flags of `export`, defaults from EXPORT_DEFAULTS. */
export function declareExport(cmd: Command): Command {
  return withGlobalOptions(cmd)
    .argument('[inputs...]', 'input files or globs (--from file; --from access-log also .gz and - for stdin)')
    .requiredOption('--from <source>', 'kafka | supabase | file | access-log', choiceOption('--from', ['kafka', 'supabase', 'file', 'access-log'] as const))
    .requiredOption('-o, --out <path>', 'a .parquet file, or a directory for rolling part files (required with --group/--follow)')
    .option('--brokers <list>', 'Kafka bootstrap servers, host:port[,host:port…]')
    .option('--topic <name>', 'events topic', D.topic)
    .option('--price-topic <name>', 'price-logs topic → price-logs.parquet')
    .option('--group <id>', 'consumer group: resumable exports, partitions shared with other processes')
    .option('--from-beginning', 'partitions without a committed offset start at the earliest offset')
    .option('--follow', 'keep consuming, rolling files, until SIGINT/SIGTERM')
    .option('--since <iso>', 'only records at or after this time').option('--until <iso>', 'only records before this time')
    .option('--session-timeout <duration>', 'consumer-group session timeout (default 30s): how long a dead worker holds its partitions', durationOption('--session-timeout'))
    .option('--max-messages <n>', 'stop after this many records', intOption('--max-messages', 1))
    .option('--flush-records <n>', 'directory output: roll a file every N records', intOption('--flush-records', 1), D.flushRecords)
    .option('--flush-interval <duration>', 'directory output: roll a file at least this often (default 60s with --follow)', durationOption('--flush-interval'))
    .option('--sasl-mechanism <m>', 'plain | scram-sha-256 | scram-sha-512', choiceOption('--sasl-mechanism', ['plain', 'scram-sha-256', 'scram-sha-512'] as const))
    .option('--sasl-username <name>', 'SASL user').option('--sasl-password-env <VAR>', 'environment variable holding the SASL password')
    .option('--ssl', 'TLS with the system CAs').option('--ssl-ca <file>', 'CA bundle (PEM)').option('--ssl-cert <file>', 'client certificate (PEM)').option('--ssl-key <file>', 'client key (PEM)')
    .option('--database-url <url|VAR>', 'Postgres URL, or the name of an environment variable holding it')
    .option('--connect-timeout <duration>', `--database-url: keep retrying an unreachable server this long, with progress lines (default ${PG_CONNECT_DEFAULTS.timeoutMs / 1000}s), then exit 2`, durationOption('--connect-timeout'))
    .option('--supabase-url <url>', 'Supabase project URL (PostgREST)').option('--supabase-key-env <VAR>', 'environment variable holding the API key')
    .option('--table <name>', 'events table (default events)').option('--columns <map>', 'column names, e.g. sessionId=session_id,ts=created_at')
    .option('--experiments-table <name>', 'experiments table (default experiments)')
    .option('--experiments-from <src>', 'label sessions: supabase | FILE.csv | FILE.json (is_agent = NOT xp_human_only)')
    .option('--price-from <files...>', 'price-log files (--from file)')
    .option('--label-value <class>', 'label for every record: human | agent', choiceOption('--label-value', ['human', 'agent'] as const))
    .addOption(legacyOption('--label <class>', choiceOption('--label', ['human', 'agent'] as const)))
    .option('--labels <file>', 'session labels, CSV or JSON lines: sessionId (or client_address[,user_agent] for access logs) + label human|agent or is_agent; other columns reach sessions.parquet')
    .option('--log-format <fmt>', 'access-log: combined | common | vhost_combined | an Apache LogFormat | an nginx log_format string', D.logFormat)
    .option('--session-by <field>', 'access-log: the field that names a session, e.g. %{PHPSESSID}C or $cookie_sid (default: the format\'s only cookie, else client address + user agent)')
    .option('--inactivity <duration>', 'access-log: a session ends after this long without a request (default 30m)', durationOption('--inactivity'))
    .option('--session-key-env <VAR>', 'access-log: environment variable holding the key of the hashed session ids (default: a random key per run)')
    .option('--timezone <zone>', 'access-log: zone of times logged without one (UTC, ±HH:MM or an IANA name)', D.timezone)
    .option('--event-rules <file>', 'access-log: ordered URL rules → eventName, JSON [{"match": "^/product/(?<productId>[^/?]+)", "event": "view_item_page"}]')
    .option('--resource-rules <file>', 'access-log: ordered URL rules → resource_kind, JSON [{"match": "^/media/", "kind": "asset"}]')
    .option('--keep-client-address', 'access-log: write client IP addresses to client_address (default: never written)')
    .option('--dedupe', 'drop identical events (same content, any provenance)')
    .option('--partition-by <key>', 'none | date | src_partition', choiceOption('--partition-by', PARTITION_BY), D.partitionBy)
    .option('--compression <codec>', 'Parquet compression', choiceOption('--compression', COMPRESSIONS), D.compression)
    .option('--row-group-size <n>', 'rows per Parquet row group', intOption('--row-group-size', 1), D.rowGroupSize)
    .option('--dead-letter <path>', 'rejected records, JSON lines: a file beside a .parquet output; a folder of one file per roll for a directory (default DIR/dead-letters)')
    .option('--drain', 'a one-shot export stopped by SIGINT/SIGTERM writes what it read so far (default: writes nothing, exits 130/143)')
    .option('--strict', 'exit 3 when any record was rejected (good records are still written)')
    .addHelpText('after', `
Examples:
  $ phantom export --from file fixtures/events.jsonl --experiments-from fixtures/experiments.csv -o events.parquet
  $ phantom export --from kafka --brokers localhost:9092 --group phantom-export -o export/ --price-topic price-logs
  $ phantom export --from kafka --brokers b:9092 --group g --follow --flush-interval 5m -o export/ --partition-by date
  $ phantom export --from supabase --database-url DATABASE_URL --since 2025-01-01 --experiments-from supabase -o events.parquet
  $ phantom export --from access-log fixtures/access.log --labels fixtures/access-labels.csv --event-rules fixtures/access-event-rules.json -o events.parquet
  $ zcat /var/log/nginx/access.log.*.gz | phantom export --from access-log - --log-format '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$cookie_sid"' -o events.parquet
  (access logs: docs/access-logs.md)`);
}

/** Parsed flags → library options; refuses flags of another source, a bad window and a rolling export into a file (UsageError). */
export function exportArgs(cmd: Command, inputs: string[]): ExportArgs {
  const f = cmd.opts<ExportFlags>();
  f.label = aliased<'human' | 'agent' | undefined>(cmd, 'labelValue', 'label', '--label-value', '--label');
  for (const [source, keys] of Object.entries(SOURCE_OPTIONS)) if (source !== f.from) refuseOptions(cmd, keys, `with --from ${f.from}`);
  if (f.from !== 'file' && f.from !== 'access-log' && inputs.length > 0) throw new UsageError(`unexpected arguments ${inputs.join(' ')} (input files go with --from file or --from access-log)`);
  const sinceMs = isoFlag('--since', f.since), untilMs = isoFlag('--until', f.until);
  if (sinceMs !== undefined && untilMs !== undefined && sinceMs >= untilMs) throw new UsageError('--since must be earlier than --until');
  const toDir = !f.out.toLowerCase().endsWith('.parquet');
  if ((f.follow || f.flushInterval !== undefined) && !toDir) throw new UsageError('--follow and --flush-interval roll part files: give --out a directory');
  const options: ExportRunOptions = {
    out: f.out, partitionBy: f.partitionBy, compression: f.compression, rowGroupSize: f.rowGroupSize, flushRecords: f.flushRecords,
    flushIntervalMs: f.flushInterval ?? (f.follow ? D.followFlushIntervalMs : null), ...pick(f, ['deadLetter', 'dedupe', 'maxMessages', 'group']),
    label: f.label === undefined ? null : f.label === 'agent',
    ...(f.from === 'file' || f.from === 'access-log' ? { ...(sinceMs !== undefined ? { sinceMs } : {}), ...(untilMs !== undefined ? { untilMs } : {}) } : {}),
    withPrices: f.priceTopic !== undefined || (f.priceFrom?.length ?? 0) > 0, drain: f.drain === true, follow: f.follow === true,
  };
  return { inputs, flags: f, sinceMs, untilMs, toDir, options };
}

/** `phantom export` argv (after the command name) → its options, without running it. */
export function parseExportArgs(argv: readonly string[]): ExportArgs {
  return parseArgv('export', declareExport, exportArgs, argv);
}

export function define(cmd: Command): void {
  declareExport(cmd)
    .action(
      action('export', async (inputs: string[]) => {
        const { flags: f, sinceMs, untilMs, toDir, options } = exportArgs(cmd, inputs);
        const labels = f.labels === undefined ? null : await (await import('../events/session-labels.js')).SessionLabels.load(f.labels); // its CSV reader only for --labels
        if (labels?.hasClientRows && f.from !== 'access-log') throw new UsageError(`--labels ${f.labels}: rows keyed by client_address work only with --from access-log; name sessions by sessionId`);
        if (f.from === 'file') await checkInputs(inputs, EVENTS_INPUT, 'export --from file needs');
        if (f.from === 'access-log' && inputs.length === 0) throw new UsageError('export --from access-log needs log files (globs, .gz, or - for stdin)');
        await checkOutputs(toDir ? { dirs: { '-o': f.out }, files: { '--dead-letter': f.deadLetter } } : { files: { '-o': f.out, '--dead-letter': f.deadLetter } });
        const experiments = f.experimentsFrom === undefined ? null : await loadLabels(f.experimentsFrom, f.from === 'supabase' ? { ...f, connect: pgConnect(f) } : f);
        const progress = createProgress({ quiet: f.quiet });
        const ac = new AbortController(); // SIGINT/SIGTERM: also stops a Postgres connection still being retried
        const spec = sourceSpec(f, inputs, sinceMs, untilMs, labels, ac.signal);
        // stdin has no identity: the same '-' may carry other lines next time, so it is never 'already done'
        const identity = inputs.includes('-') ? undefined : exportIdentity(spec, { sinceMs, untilMs, label: f.label, experimentsFrom: f.experimentsFrom, dedupe: f.dedupe, partitionBy: f.partitionBy, priceTopic: f.priceTopic });
        const source = await openExportSource(spec, warn);
        const onSignal = (sig: NodeJS.Signals): void => {
          process.off('SIGINT', onSignal).off('SIGTERM', onSignal); // a second signal ends the process
          ac.abort(sig); // runExport says what it does: finish and commit, drain, or write nothing
        };
        process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
        let summary: ExportSummary;
        try {
          summary = await runExport(source, {
            ...options, metadata: { 'phantom.command': redactedCommandLine() }, experiments, sessionLabels: labels,
            ...(labels === null ? {} : { finalMetadata: () => labels.footer() }),
            signal: ac.signal, identity,
            onInfo: (m) => info(f, m), onWarning: warn,
            onProgress: f.quiet ? undefined : throttled(PROGRESS_TEXT_MS, (p) => progress.update(`exporting: ${p.recordsRead.toLocaleString('en-US')} records (${Math.round(p.recordsPerSecond).toLocaleString('en-US')}/s)${Object.keys(p.lag).length ? `, lag ${Object.entries(p.lag).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`)),
          });
        } finally {
          process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
          progress.done();
        }
        // a one-shot export that wrote nothing is refused; a consumer group finding nothing new is a normal run
        if (!f.follow && f.group === undefined && summary.records_written === 0 && summary.stopped_by !== 'already-exported') {
          const rejected = summary.dead_lettered.total;
          refuseNoSessions(0, { rejected, events: 0, deadLetter: summary.dead_letter_file });
        }
        if (labels !== null && labels.matchedEvents === 0 && summary.records_written > 0) {
          warn(`--labels ${f.labels}: none of its ${labels.size.toLocaleString('en-US')} rows names a session of this input, so no session took a label from it; key it by this input's sessionId${f.from === 'access-log' ? ' or client_address' : ''}`);
        }
        if (f.json) printJson(exportSummaryJson(summary)); // camelCase, snake_case kept one release (docs/contract.md)
        else process.stdout.write(`${renderExportSummary(summary)}\n`);
        if (f.strict && summary.dead_lettered.total > 0) {
          throw new DataError(`--strict: ${summary.dead_lettered.total} record(s) rejected (${Object.entries(summary.dead_lettered.by_reason).map(([r, n]) => `${r} ${n}`).join(', ')}); the good records were written; see ${summary.dead_letter_file}`);
        }
      }),
    );
}
