/**
 * `--from access-log` as an export source: resolve the format, session field, key, zone and URL rules
 * (every usage mistake reported before a line is read), then stream `readAccessLogs`.
 */
import { compileFormat, formatFields } from '../access-log/format.js';
import { resolveZone } from '../access-log/log-time.js';
import { sessionKey } from '../access-log/sessionise.js';
import { loadEventRules, loadResourceRules, UrlClassifier } from '../access-log/url-rules.js';
import { UsageError } from '../errors.js';
import { readAccessLogs, resolveSessionField } from '../sources/access-log.js';
import { expandInputs } from '../sources/files.js';
import type { SessionLabels } from '../events/session-labels.js';
import { streamSource } from './stream-source.js';
import type { ExportSource } from './types.js';

export interface AccessLogSpec {
  /** files, globs, or `-` for standard input */
  inputs: string[];
  /** preset (combined, common, vhost_combined), Apache LogFormat or nginx log_format; default combined */
  logFormat?: string;
  /** `%{NAME}C`, `$cookie_NAME`, … */
  sessionBy?: string;
  /** default 30 minutes */
  inactivityMs?: number;
  /** environment variable holding the session-id key; default a random key per run */
  sessionKeyEnv?: string;
  /** zone for times written without one; default UTC */
  timezone?: string;
  eventRules?: string;
  resourceRules?: string;
  keepClientAddress?: boolean;
  labels?: SessionLabels | null;
}

export const DEFAULT_INACTIVITY_MS = 30 * 60_000;

/**
 * @example const src = await openAccessLogSource({ inputs: ['/var/log/nginx/access.log*'], logFormat: 'combined' });
 */
export async function openAccessLogSource(spec: AccessLogSpec, maxMessages?: number): Promise<ExportSource> {
  if (spec.inputs.length === 0) throw new UsageError('--from access-log: name at least one log file (globs, .gz, or - for standard input)');
  if (spec.inputs.filter((p) => p === '-').length > 1) throw new UsageError('--from access-log: standard input (-) can be read only once');
  const format = compileFormat(spec.logFormat ?? 'combined');
  if (!formatFields(format).some((f) => f.kind.startsWith('time') || f.kind === 'epoch_msec')) {
    throw new UsageError(`--log-format ${format.text}: no time field (%t, %{…}t, $time_local, $time_iso8601 or $msec); events need a time`);
  }
  const sessionBy = resolveSessionField(format, spec.sessionBy);
  const inputs: string[] = [];
  for (const p of spec.inputs) inputs.push(...(p === '-' ? ['-'] : await expandInputs([p])));
  const key = sessionKey(spec.sessionKeyEnv);
  const zone = resolveZone(spec.timezone ?? 'UTC');
  const classifier = new UrlClassifier(spec.resourceRules ? await loadResourceRules(spec.resourceRules) : [], spec.eventRules ? await loadEventRules(spec.eventRules) : []);
  const inactivityMs = spec.inactivityMs ?? DEFAULT_INACTIVITY_MS;
  const source = streamSource('access-log', [{
    stream: 'events',
    open: () => readAccessLogs({ inputs, format, sessionBy, inactivityMs, key, zone, classifier, keepClientAddress: spec.keepClientAddress === true, labels: spec.labels ?? null }),
  }], maxMessages);
  source.metadata = {
    'phantom.access_log.format': format.text,
    'phantom.access_log.session_by': sessionBy === null ? 'client address + user agent' : sessionBy.spelling,
    'phantom.access_log.inactivity_ms': String(inactivityMs),
    'phantom.access_log.timezone': zone.name,
    'phantom.session_key.fingerprint': key.fingerprint,
    'phantom.session_key.source': key.source,
  };
  return source;
}
