// argv → options of `phantom features`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parseFeaturesArgs as parse } from '../../src/commands/features.js';
import { FEATURES_DEFAULTS as D } from '../../src/features/run-features.js';
import { DEFAULT_FEATURE_OPTIONS } from '../../src/features/compute.js';
import { DEFAULT_FEATURE_SETTINGS } from '../../src/serve/load-models.js';
import { SERVE_DEFAULTS } from '../../src/serve/options.js';

describe('features argv → options', () => {
  it('defaults are FEATURES_DEFAULTS; the 900 s timeout is one constant that serve shares', () => {
    const a = parse(['events.parquet', '-o', 'sessions.parquet']);
    expect(a).toEqual({ inputs: ['events.parquet'], out: 'sessions.parquet', format: 'parquet', list: false, markdown: false, json: false, quiet: false, options: D });
    expect(D.timeoutSec).toBe(DEFAULT_FEATURE_OPTIONS.timeoutSec);
    expect(DEFAULT_FEATURE_SETTINGS.timeoutSec).toBe(D.timeoutSec);
    expect(SERVE_DEFAULTS.featureTimeoutSec).toBe(D.timeoutSec);
  });

  it('maps every flag to its option; the format follows -o unless given', () => {
    const a = parse(['a/', 'b.jsonl', '-o', 's.csv', '--price-logs', 'p.parquet', '--timeout-sec', '60', '--feature-set', 'original', '--fill-missing', '0',
      '--compression', 'snappy', '-w', '4', '--experiments-from', 'x.csv', '--label-value', 'agent', '--strict', '--json', '-q']);
    expect(a).toEqual({
      inputs: ['a/', 'b.jsonl'], out: 's.csv', format: 'csv', list: false, markdown: false, json: true, quiet: true,
      options: { featureSet: 'original', timeoutSec: 60, fillMissing: 0, priceLogs: 'p.parquet', experimentsFrom: 'x.csv', labelValue: 'agent', workers: 4, strict: true, compression: 'snappy' },
    });
    expect(parse(['e.parquet', '-o', 's.json']).format).toBe('json');
    expect(parse(['e.parquet', '-o', 's.csv', '--format', 'parquet']).format).toBe('parquet');
    expect(parse(['--list', '--markdown'])).toMatchObject({ list: true, markdown: true, inputs: [] });
  });

  it('takes the legacy --label alias, and refuses it when it disagrees with --label-value', () => {
    expect(parse(['e.parquet', '-o', 's.parquet', '--label', 'human']).options.labelValue).toBe('human');
    expect(() => parse(['e.parquet', '-o', 's.parquet', '--label', 'human', '--label-value', 'agent'])).toThrow('--label is the old name of --label-value; give one of them');
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parse(['-o', 's.parquet'])).toThrow('no input: give events.parquet files, folders or raw event files (see --help)');
    expect(() => parse(['e.parquet'])).toThrow('-o/--out is required: where to write the session features');
    expect(() => parse(['e.parquet', '-o', 's.parquet', '--timeout-sec', '0'])).toThrow('--timeout-sec must be > 0, got 0');
    expect(() => parse(['e.parquet', '-o', 's.parquet', '--feature-set', 'all'])).toThrow('--feature-set must be one of default, original, got "all"');
    expect(() => parse(['e.parquet', '-o', 's.parquet', '--compression', 'lz4'])).toThrow('--compression must be one of zstd, snappy, gzip, none, got "lz4"');
    expect(() => parse(['e.parquet', '-o', 's.parquet', '--label-value', 'bot'])).toThrow('--label-value must be one of human, agent, got "bot"');
  });
});
