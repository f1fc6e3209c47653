import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { BUNDLED_FIXTURES, loadPipelineConfig, redactConfig } from '../../src/pipeline/index.js';

const ROOT = resolve(import.meta.dirname, '../..');

function dirWithConfig(config: unknown): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'phantom-config-'));
  const file = join(dir, 'phantom.config.json');
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return { dir, file };
}

async function problemsOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  return (err as Error).message;
}

describe('pipeline config', () => {
  it('defaults: the bundled fixtures, labels from their experiments, every stage seed = the global seed', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'phantom-cwd-'));
    const { config, file } = await loadPipelineConfig(null, {}, cwd);
    expect(file).toBeNull();
    expect(config.source).toMatchObject({ from: 'file', inputs: [join(BUNDLED_FIXTURES, 'events.jsonl')] });
    expect(config.labels.experimentsFrom).toBe(join(BUNDLED_FIXTURES, 'experiments.csv'));
    expect(config.out).toBe('phantom-out');
    expect([config.kernels.seed, config.separability.seed, config.classifier.seed, config.distill.seed]).toEqual([42, 42, 42, 42]);
    // the defaults of the stand-alone commands
    expect(config.kernels).toMatchObject({ state: 'event', boundary: true, pooling: 'pooled', smoothing: 0.5, weighting: 'visits', bootstrap: 200 });
    expect(config.classifier).toMatchObject({ label: 'is_agent', cv: 5, testSize: null, threshold: 0.5 });
    expect(config.distill).toMatchObject({ maxDepth: 5, minSamplesLeaf: null, testSize: 0.2, agentWeight: 0.5, purchaseWeight: 0.3, markupBounds: [0.7, 1.5] });
    expect(config.gates).toEqual({ failIfPAbove: null, failUnderAuc: null, failIfLeakage: false });
  });

  it('finds ./phantom.config.json when --config is not given', async () => {
    const { dir } = dirWithConfig({ seed: 7 });
    const { config, file } = await loadPipelineConfig(null, {}, dir);
    expect(file).toBe('phantom.config.json');
    expect(config.classifier.seed).toBe(7);
  });

  it('lists every problem at once, each with its path', async () => {
    const { file } = dirWithConfig({
      seed: 'x', kernels: { smoothing: -1, state: 'word' }, classifier: { cv: 1, threshold: 2 }, distill: { tiers: 'cheap', markupBounds: [2, 1] },
      gates: { failUnderAuc: 1.5 }, unknownKey: true,
    });
    const msg = await problemsOf(loadPipelineConfig(file));
    for (const path of ['seed', 'kernels.smoothing', 'kernels.state', 'classifier.cv', 'classifier.threshold', 'distill.tiers', 'distill.markupBounds', 'gates.failUnderAuc', '(root): Unrecognized key: "unknownKey"']) {
      expect(msg).toContain(path);
    }
    expect(msg).toMatch(/has 9 problems/);
  });

  it('cross-field checks run beside field errors', async () => {
    const { file } = dirWithConfig({ classifier: { cv: 0 }, gates: { failUnderAuc: 0.9 }, features: { timeoutSec: 0 } });
    const msg = await problemsOf(loadPipelineConfig(file));
    expect(msg).toContain('gates.failUnderAuc: needs an evaluated AUC');
    expect(msg).toContain('features.timeoutSec');
    const { file: f2 } = dirWithConfig({ source: { from: 'kafka', brokers: 'b:9092', since: '2025-02-01', until: '2025-01-01' } });
    expect(await problemsOf(loadPipelineConfig(f2))).toContain('source.until: must be later than source.since');
  });

  it('rejects unknown sources and keys inside a source', async () => {
    const { file } = dirWithConfig({ source: { from: 'ftp' } });
    expect(await problemsOf(loadPipelineConfig(file))).toContain('source.from');
    const { file: f2 } = dirWithConfig({ source: { from: 'kafka', brokers: 'b:9092', group: 'g' } });
    expect(await problemsOf(loadPipelineConfig(f2))).toContain('Unrecognized key: "group"');
  });

  it('command-line overrides win over the config; --out is relative to the working directory', async () => {
    const { file, dir } = dirWithConfig({ out: 'results', seed: 1, kernels: { seed: 5 }, gates: { failUnderAuc: 0.5, failIfPAbove: 0.01 } });
    const cwd = mkdtempSync(join(tmpdir(), 'phantom-cwd-'));
    const a = await loadPipelineConfig(file, {}, cwd);
    expect(a.config.out).toBe(join(dir, 'results'));
    const b = await loadPipelineConfig(file, { out: 'elsewhere', seed: 9, failUnderAuc: 0.95, failIfLeakage: true }, cwd);
    expect(b.config.out).toBe('elsewhere');
    expect(b.config.gates).toEqual({ failIfPAbove: 0.01, failUnderAuc: 0.95, failIfLeakage: true });
    expect([b.config.kernels.seed, b.config.classifier.seed]).toEqual([5, 9]);
  });

  it('resolves input paths against the config file folder and lists missing files', async () => {
    const { dir, file } = dirWithConfig({ source: { from: 'file', inputs: ['data/events.jsonl', 'data/*.jsonl'] }, labels: { experimentsFrom: 'data/experiments.csv' } });
    const msg = await problemsOf(loadPipelineConfig(file, {}, ROOT));
    expect(msg).toContain('source.inputs.0: no such file');
    expect(msg).toContain('labels.experimentsFrom: no such file');
    expect(msg).not.toContain('source.inputs.1'); // globs are expanded when the export runs
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data/events.jsonl'), '');
    writeFileSync(join(dir, 'data/experiments.csv'), 'id,xp_human_only\n');
    const { config } = await loadPipelineConfig(file, {}, ROOT);
    expect(config.source.from === 'file' && config.source.inputs[0]).toBe(join(dir, 'data/events.jsonl'));
    expect(config.labels).toEqual({ experimentsFrom: join(dir, 'data/experiments.csv'), experimentsTable: 'experiments', label: null, sessions: null });
  });

  it('a config with its own source and no labels block joins no experiments', async () => {
    const { file } = dirWithConfig({ source: { from: 'file', inputs: [join(ROOT, 'fixtures/events.parquet')] } });
    const { config } = await loadPipelineConfig(file);
    expect(config.labels.experimentsFrom).toBeNull();
  });

  it('masks a password inside a database URL', async () => {
    const { file } = dirWithConfig({ source: { from: 'supabase', databaseUrl: 'postgres://phantom:s3cret@db.example:5432/app' } });
    const { config } = await loadPipelineConfig(file);
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).toContain('postgres://phantom:***@db.example:5432/app');
    expect(shown).not.toContain('s3cret');
  });

  it('names a config file that is not JSON', async () => {
    const { file } = dirWithConfig('{ "seed": 1, }');
    expect(await problemsOf(loadPipelineConfig(file))).toMatch(/not valid JSON/);
  });
});

describe('phantom.config.example.json', () => {
  it('is valid, names every config key, and differs from the defaults only in its gates', async () => {
    const example = JSON.parse(readFileSync(join(ROOT, 'phantom.config.example.json'), 'utf8')) as Record<string, unknown>;
    const { config } = await loadPipelineConfig(join(ROOT, 'phantom.config.example.json'), {}, ROOT);
    const keys = (o: unknown, at = ''): string[] => (typeof o === 'object' && o !== null && !Array.isArray(o)
      ? Object.entries(o).flatMap(([k, v]) => [`${at}${k}`, ...keys(v, `${at}${k}.`)]) : []);
    expect(keys(example).sort()).toEqual(keys(config).sort());
    const defaults = (await loadPipelineConfig(null, {}, ROOT)).config;
    expect({ ...config, gates: null }).toEqual({ ...defaults, gates: null });
    expect(config.gates).toEqual({ failIfPAbove: 0.001, failUnderAuc: 0.9, failIfLeakage: true });
  });
});
