/**
 * From a config file (or none) and the command-line overrides to the effective pipeline config: defaults
 * filled, stage seeds resolved, paths resolved against the config file's folder (as tsconfig does), and
 * every problem — schema, cross-field and missing input files — reported together, each with its path.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { pipelineConfigSchema, type LabelsConfig, type PipelineConfig, type SourceConfig } from './config-schema.js';
import { maskConfig } from '../io/mask-secrets.js';

/** The config file looked for in the working directory when --config is not given. */
export const DEFAULT_CONFIG_FILE = 'phantom.config.json';

/** The fixtures shipped with phantom (package.json "files"), whatever the working directory. */
export const BUNDLED_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

export interface ConfigOverrides {
  out?: string;
  seed?: number;
  failIfPAbove?: number;
  failUnderAuc?: number;
  failIfLeakage?: boolean;
}

export interface LoadedConfig {
  config: PipelineConfig;
  /** the file read, or null when the defaults (bundled fixtures) are used */
  file: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasGlob = (p: string): boolean => /[*?[\]{}]/.test(p);

/** A path as phantom prints it: relative to the working directory when inside it, else absolute. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** CLI overrides applied to the raw config, so the cross-field checks see them. */
function withOverrides(raw: unknown, o: ConfigOverrides): unknown {
  if (!isObject(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  if (o.seed !== undefined) out.seed = o.seed;
  const gates = { failIfPAbove: o.failIfPAbove, failUnderAuc: o.failUnderAuc, failIfLeakage: o.failIfLeakage };
  const given = Object.entries(gates).filter(([, v]) => v !== undefined);
  if (given.length > 0 && (out.gates === undefined || isObject(out.gates))) out.gates = { ...(out.gates as object | undefined), ...Object.fromEntries(given) };
  return out;
}

function resolveSource(s: SourceConfig, at: (p: string) => string): SourceConfig {
  if (s.from === 'file') return { ...s, inputs: s.inputs.map(at), priceInputs: s.priceInputs.map(at) };
  if (s.from === 'access-log') {
    return { ...s, inputs: s.inputs.map((p) => (p === '-' ? p : at(p))), eventRules: s.eventRules === null ? null : at(s.eventRules), resourceRules: s.resourceRules === null ? null : at(s.resourceRules) };
  }
  if (s.from === 'kafka' && typeof s.ssl === 'object') {
    const ssl = s.ssl;
    return { ...s, ssl: Object.fromEntries(Object.entries(ssl).map(([k, v]) => [k, typeof v === 'string' ? at(v) : v])) };
  }
  return s;
}

/** Input files named without globs that do not exist, as problems with their config paths. */
function missingFiles(c: PipelineConfig): string[] {
  const problems: string[] = [];
  const check = (path: string, where: string) => {
    if (!hasGlob(path) && !existsSync(path)) problems.push(`${where}: no such file ${path}`);
  };
  if (c.source.from === 'file') {
    c.source.inputs.forEach((p, i) => check(p, `source.inputs.${i}`));
    c.source.priceInputs.forEach((p, i) => check(p, `source.priceInputs.${i}`));
  }
  if (c.source.from === 'access-log') {
    c.source.inputs.forEach((p, i) => p !== '-' && check(p, `source.inputs.${i}`));
    if (c.source.eventRules !== null) check(c.source.eventRules, 'source.eventRules');
    if (c.source.resourceRules !== null) check(c.source.resourceRules, 'source.resourceRules');
  }
  if (c.labels.experimentsFrom !== null && c.labels.experimentsFrom !== 'supabase') check(c.labels.experimentsFrom, 'labels.experimentsFrom');
  if (c.labels.sessions !== null) check(c.labels.sessions, 'labels.sessions');
  return problems;
}

/**
 * Load and validate the config; throws one UsageError listing every problem.
 * @example const { config } = await loadPipelineConfig(null, { failUnderAuc: 0.9 }); config.source.from; // 'file' (the bundled fixtures)
 */
export async function loadPipelineConfig(configPath: string | null, overrides: ConfigOverrides = {}, cwd = process.cwd()): Promise<LoadedConfig> {
  const discovered = configPath === null && existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : null;
  const file = configPath ?? discovered;
  const raw = file === null ? {} : await readConfigFile(resolve(cwd, file));
  const parsed = pipelineConfigSchema.safeParse(withOverrides(raw, overrides));
  const label = file === null ? 'the default config' : file;
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new UsageError(`${label} has ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${problems.join('\n')}`);
  }
  const p = parsed.data;
  const base = file === null ? cwd : dirname(resolve(cwd, file));
  const at = (path: string) => displayPath(resolve(base, path), cwd);
  const bundled = p.source === undefined;
  const source: SourceConfig = bundled
    ? { from: 'file', inputs: [displayPath(resolve(BUNDLED_FIXTURES, 'events.jsonl'), cwd)], priceInputs: [], dedupe: false, since: null, until: null, maxMessages: null }
    : resolveSource(p.source!, at);
  const labels: LabelsConfig = p.labels ?? {
    experimentsFrom: bundled ? displayPath(resolve(BUNDLED_FIXTURES, 'experiments.csv'), cwd) : null, experimentsTable: 'experiments', label: null, sessions: null,
  };
  if (p.labels && labels.sessions !== null) labels.sessions = at(labels.sessions);
  if (p.labels && labels.experimentsFrom !== null && labels.experimentsFrom !== 'supabase') labels.experimentsFrom = at(labels.experimentsFrom);
  const config: PipelineConfig = {
    ...p,
    out: overrides.out !== undefined ? displayPath(resolve(cwd, overrides.out), cwd) : at(p.out),
    source, labels,
    kernels: { ...p.kernels, seed: p.kernels.seed ?? p.seed },
    separability: { ...p.separability, seed: p.separability.seed ?? p.seed },
    classifier: { ...p.classifier, seed: p.classifier.seed ?? p.seed },
    distill: { ...p.distill, seed: p.distill.seed ?? p.seed },
  };
  const missing = missingFiles(config);
  if (missing.length > 0) throw new UsageError(`${label} names ${missing.length} missing file${missing.length > 1 ? 's' : ''}:\n${missing.map((m) => `  ${m}`).join('\n')}`);
  return { config, file };
}

/**
 * The config with secrets masked in every string (src/io/mask-secrets.ts), for --print-config and summary.json.
 * @example redactConfig(config).source // { from: 'supabase', databaseUrl: 'postgres://u:***@host/db', … }
 */
export function redactConfig(c: PipelineConfig): PipelineConfig {
  return maskConfig(c);
}
