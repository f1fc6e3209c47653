/**
 * `generate` as one library call (what the command runs): typed options in, the events file (Parquet,
 * JSON-lines, a console-envelope JSON, or a combined-format access log with its labels CSV) written,
 * its summary out. Prints nothing. Impressions for `auction` are written by auction/impressions.ts.
 */
import type { CompressionName } from '../io/parquet.js';
import { defaultLabelsPath, generateAccessLog, type AccessLogSummary } from './access-log.js';
import { generateToFile, type GenerateOptions, type GenerateSummary } from './generate.js';
import { loadProfile } from './profile.js';

/** What `generate --format` can write; `impressions` is the ad-impressions CSV of docs/auction.md. */
export const GENERATE_FORMATS = ['flat', 'kafka-envelope', 'access-log', 'impressions'] as const;
export type GenerateFormat = (typeof GENERATE_FORMATS)[number];

/** The dataset's options (generate.ts, without the loaded profiles), and what to write where. */
export interface GenerateRunOptions extends Omit<GenerateOptions, 'profiles' | 'labels' | 'chunkSessions'> {
  format: GenerateFormat;
  /** access-log: where the labels go; null = beside the log (access.log → access-labels.csv) */
  labelsOut: string | null;
  /** kafka-envelope: partitions of the keys */
  partitions: number;
  compression: CompressionName;
  /** worker threads; null = one per core, at most 8 (the file is the same for any count) */
  workers: number | null;
  /** also write the experiments table here */
  experimentsOut: string | null;
  /** behaviour profiles (bundled names or files) */
  profileHuman: string;
  profileAgent: string;
  /** write is_agent into every output format */
  labels: boolean;
}

/** Defaults of every option (the command's flag defaults come from here). */
export const GENERATE_DEFAULTS = {
  sessions: 300, agentShare: 0.3, seed: 42, startMs: Date.parse('2025-01-06T00:00:00Z'), spanDays: 7, products: null, sessionsPerExperiment: 1,
  format: 'flat' as GenerateFormat, labelsOut: null, partitions: 3, compression: 'zstd' as CompressionName, workers: null, experimentsOut: null,
  profileHuman: 'human', profileAgent: 'agent', labels: true,
} satisfies GenerateRunOptions;

/** What was written: an events file (flat or kafka-envelope) or an access log with its labels. */
export type GenerateRun = { kind: 'events'; summary: GenerateSummary } | { kind: 'access-log'; summary: AccessLogSummary };

/**
 * Sample the sessions and write them to `out` (events formats only; not `impressions`).
 * @example const s = await runGenerate('events.parquet', { ...GENERATE_DEFAULTS, sessions: 2000, seed: 7 })
 */
export async function runGenerate(out: string, o: GenerateRunOptions & { format: Exclude<GenerateFormat, 'impressions'> }, onChunk?: (events: number) => void): Promise<GenerateRun> {
  const profiles = { human: await loadProfile(o.profileHuman), agent: await loadProfile(o.profileAgent) };
  const base = { sessions: o.sessions, agentShare: o.agentShare, seed: o.seed, startMs: o.startMs, spanDays: o.spanDays, products: o.products, sessionsPerExperiment: o.sessionsPerExperiment, profiles, labels: o.labels };
  if (o.format === 'access-log') return { kind: 'access-log', summary: await generateAccessLog(base, out, o.labelsOut ?? defaultLabelsPath(out)) };
  const summary = await generateToFile(base, out, {
    format: o.format, partitions: o.partitions, compression: o.compression, experimentsOut: o.experimentsOut, ...(o.workers === null ? {} : { threads: o.workers }), ...(onChunk ? { onChunk } : {}),
  });
  return { kind: 'events', summary };
}

/** An ISO time as the --start flag writes it (no milliseconds when whole seconds). */
export function isoText(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
