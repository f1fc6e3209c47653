// The pipeline's artefacts reduced to what a run computes: every Parquet row, every JSON document, with
// provenance (paths, command lines, versions, start times, durations, file hashes) taken out. A digest of
// each is compared with test/golden/pipeline/*.json, captured from `phantom pipeline` before the stages
// were composed in memory (test/pipeline/pipeline-golden.test.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readParquet } from '../../src/io/parquet.js';

type Json = Record<string, unknown>;

/** Every artefact compared: name → normalised content. */
export const DIGESTED = [
  'events.parquet', 'sessions.parquet', 'scores.parquet', 'kernels.json', 'separability.json', 'model.json', 'metrics.json', 'rules.json', 'rules.txt', 'summary.json',
] as const;

const cell = (v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

/** A Parquet file's rows, column by column (footer metadata — command line, counts — left out; src_topic, the input path as given, by its file name). */
async function parquetRows(path: string): Promise<Json> {
  const t = await readParquet(path);
  const columns: Json = {};
  for (const f of t.schema.fields) {
    const v = t.getChild(f.name)!;
    columns[f.name] = Array.from({ length: t.numRows }, (_, i) => (f.name === 'src_topic' ? basenames(v.get(i)) : cell(v.get(i))));
  }
  return { rows: t.numRows, columns };
}

const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;
const del = (o: unknown, ...keys: string[]): void => {
  if (typeof o === 'object' && o !== null) for (const k of keys) delete (o as Json)[k];
};
/** Paths in the echoed config: only their file names (the working directory and output folder vary). */
function basenames(o: unknown): unknown {
  if (typeof o === 'string') return o.includes('/') ? basename(o) : o;
  if (Array.isArray(o)) return o.map(basenames);
  if (typeof o === 'object' && o !== null) return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, basenames(v)]));
  return o;
}

/** One artefact's normalised content. */
export async function normalised(dir: string, name: (typeof DIGESTED)[number]): Promise<unknown> {
  const path = join(dir, name);
  if (name.endsWith('.parquet')) return parquetRows(path);
  if (name === 'rules.txt') return readFileSync(path, 'utf8');
  const doc = readJson(path);
  if (name === 'kernels.json') del(doc, 'input');
  if (name === 'metrics.json') del(doc, 'model');
  if (name === 'model.json') {
    const attrs = (doc.learner as Json).attributes as Json;
    const meta = JSON.parse(attrs.phantom as string) as Json;
    del(meta, 'phantomVersion');
    attrs.phantom = meta;
  }
  if (name === 'rules.json') {
    del(doc, 'command', 'phantomVersion');
    del(doc.data, 'path', 'sha256');
    del((doc.teacher as Json).pAgent, 'path', 'sha256');
  }
  if (name === 'summary.json') {
    del(doc, 'startedAt', 'phantomVersion', 'configFile', 'timingsSec', 'started_at', 'phantom_version', 'config_file', 'timings_sec');
    del(doc.config, 'out');
    doc.config = basenames(doc.config);
  }
  return doc;
}

/** sha256 of each artefact's normalised content, plus the headline numbers by their camelCase names (readable in a failing diff). */
export async function artefactDigests(dir: string): Promise<{ digests: Record<string, string>; headline: Record<string, unknown> }> {
  const digests: Record<string, string> = {};
  for (const name of DIGESTED) digests[name] = createHash('sha256').update(JSON.stringify(await normalised(dir, name))).digest('hex');
  const headline = Object.fromEntries(Object.entries(readJson(join(dir, 'summary.json')).headline as Record<string, Json>)
    .filter(([k]) => !k.includes('_')).map(([k, h]) => [k, h.value])); // the snake_case twins (one release) aside
  return { digests, headline };
}
