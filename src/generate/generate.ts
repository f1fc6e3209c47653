/**
 * `phantom generate` as a library: plan the sessions, sample them in chunks, and stream them to
 * Parquet, JSON-lines or a console-envelope JSON file, plus the matching experiments CSV.
 */
import { extname } from 'node:path';
import type { EventsTable } from '../events/table.js';
import { UsageError } from '../errors.js';
import { atomicWriteFile } from '../io/atomic.js';
import type { CompressionName } from '../io/parquet.js';
import { writeTextStream } from '../io/text-out.js';
import { createRng } from '../stats/rng.js';
import { defaultCatalog, randomCatalog, type Product } from './catalog.js';
import { planSessions, type SessionPlan } from './plan.js';
import type { Profile } from './profile.js';
import { generateParquetParallel } from './parallel-parquet.js';
import { generateChunk } from './sessions.js';
import { EnvelopeWriter, experimentsCsv, flatEventJson } from './serialise.js';

export interface GenerateOptions {
  /** number of sessions (rows with --format impressions) */
  sessions: number;
  /** share of agent sessions (by experiment) */
  agentShare: number;
  seed: number;
  /** earliest session start, ms since the epoch (UTC) */
  startMs: number;
  /** sessions start uniformly over this many days */
  spanDays: number;
  /** products per store mode with random prices; null = the original study's catalog */
  products: number | null;
  sessionsPerExperiment: number;
  profiles: { human: Profile; agent: Profile };
  labels: boolean;
  /** sessions per generated chunk (memory holds one chunk) */
  chunkSessions?: number;
}

export interface GenerateSummary {
  sessions: number;
  agentSessions: number;
  events: number;
  experiments: number;
  seed: number;
  output: string;
  format: string;
  experimentsOut: string | null;
}

/** Catalogs for every store mode the profiles use. */
function catalogsFor(o: GenerateOptions): Map<string, Product[]> {
  const modes = [...new Set([...Object.keys(o.profiles.human.storeModes), ...Object.keys(o.profiles.agent.storeModes)])].sort();
  const rng = createRng(o.seed ^ 0x5eed);
  return new Map(modes.map((m) => [m, o.products === null ? defaultCatalog(m) : randomCatalog(m, o.products, rng)]));
}

/** Sessions per chunk unless `chunkSessions` says otherwise. */
export const DEFAULT_CHUNK_SESSIONS = 20_000;

/**
 * Plan and lazily generate the dataset, chunk by chunk. Chunk k holds sessions [k·step, (k+1)·step) and
 * depends on nothing but the options (every session has its own seed), so chunks can be made in any
 * order, on any thread, with the same result.
 */
export function generateDataset(o: GenerateOptions): { plan: SessionPlan; chunkCount: number; chunkAt: (k: number) => EventsTable; chunks: () => Generator<EventsTable> } {
  if (!(o.sessions >= 0)) throw new UsageError('--sessions must be >= 0');
  const plan = planSessions(o);
  const ctx = { seed: o.seed, plan, profiles: o.profiles, catalogs: catalogsFor(o), labels: o.labels };
  const step = o.chunkSessions ?? DEFAULT_CHUNK_SESSIONS;
  const chunkCount = Math.ceil(plan.n / step);
  const chunkAt = (k: number): EventsTable => generateChunk(ctx, k * step, Math.min(plan.n, (k + 1) * step));
  return {
    plan, chunkCount, chunkAt,
    chunks: function* () {
      for (let k = 0; k < chunkCount; k++) yield chunkAt(k);
    },
  };
}

export type OutputFormat = 'flat' | 'kafka-envelope';

/**
 * Generate and write. The output kind follows the extension: `.parquet`, `.jsonl`/`.ndjson` (one event or
 * envelope per line) or `.json` (a JSON array, as console exports are).
 */
export async function generateToFile(
  o: GenerateOptions,
  out: string,
  w: { format: OutputFormat; partitions: number; compression: CompressionName; experimentsOut: string | null; threads?: number; onChunk?: (events: number) => void },
): Promise<GenerateSummary> {
  const { plan, chunkCount, chunks } = generateDataset(o);
  const ext = extname(out).toLowerCase();
  let events = 0;
  const counted = function* () {
    for (const c of chunks()) {
      events += c.length;
      w.onChunk?.(events);
      yield c;
    }
  };
  if (ext === '.parquet') {
    if (w.format !== 'flat') throw new UsageError('--format kafka-envelope needs a .jsonl or .json output');
    // sampling and Parquet encoding on worker threads, one per core; chunks land in order
    const written = await generateParquetParallel(o, chunkCount, out, {
      compression: w.compression,
      metadata: { 'phantom.generate.seed': String(o.seed), 'phantom.generate.sessions': String(o.sessions), 'phantom.generate.agent_share': String(o.agentShare) },
      ...(w.threads === undefined ? {} : { threads: w.threads }),
      ...(w.onChunk === undefined ? {} : { onChunk: w.onChunk }),
    });
    events = written.events;
  } else if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') {
    const array = ext === '.json';
    const env = new EnvelopeWriter(w.partitions);
    const text = function* () {
      let first = true;
      if (array) yield '[\n';
      for (const c of counted()) {
        const lines: string[] = [];
        for (let i = 0; i < c.length; i++) lines.push(w.format === 'kafka-envelope' ? env.envelope(c, i, o.labels) : flatEventJson(c, i, o.labels));
        if (lines.length === 0) continue;
        yield (array && !first ? ',\n' : '') + lines.join(array ? ',\n' : '\n') + (array ? '' : '\n');
        first = false;
      }
      if (array) yield '\n]\n';
    };
    await writeTextStream(out, text());
  } else {
    throw new UsageError(`-o ${out}: unknown output type "${ext}" (use .parquet, .jsonl or .json)`);
  }
  if (w.experimentsOut) await atomicWriteFile(w.experimentsOut, experimentsCsv(plan.experiments()));
  let agentSessions = 0;
  for (let i = 0; i < plan.n; i++) agentSessions += plan.isAgent[i]!;
  return { sessions: plan.n, agentSessions, events, experiments: plan.experimentCount, seed: o.seed, output: out, format: ext === '.parquet' ? 'parquet' : w.format, experimentsOut: w.experimentsOut };
}
