// argv → config overrides of `phantom pipeline`, without spawning the binary.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipelineArgs as parse } from '../../src/commands/pipeline.js';
import { loadPipelineConfig } from '../../src/pipeline/index.js';

describe('pipeline argv → config overrides', () => {
  it('no flags override nothing: the config (or the bundled fixtures) decides', () => {
    expect(parse([])).toEqual({ configFile: null, overrides: {}, printConfig: false, json: false, quiet: false });
  });

  it('maps every flag to its override, and the overrides reach the effective config', async () => {
    const a = parse(['-c', 'phantom.config.json', '-o', 'results', '-s', '7', '--fail-if-p-above', '0.01', '--fail-under-auc', '0.9', '--fail-if-leakage', '--print-config', '--json']);
    expect(a).toEqual({
      configFile: 'phantom.config.json', overrides: { out: 'results', seed: 7, failIfPAbove: 0.01, failUnderAuc: 0.9, failIfLeakage: true }, printConfig: true, json: true, quiet: false,
    });
    const cwd = mkdtempSync(join(tmpdir(), 'phantom-argv-pipeline-'));
    const { config, file } = await loadPipelineConfig(null, parse(['-o', 'results', '-s', '7', '--fail-under-auc', '0.9']).overrides, cwd);
    expect(file).toBeNull();
    expect(config).toMatchObject({ out: 'results', seed: 7, gates: { failUnderAuc: 0.9 } });
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parse(['--fail-under-auc', '2'])).toThrow('--fail-under-auc must be between 0 and 1, got 2');
    expect(() => parse(['-s', 'x'])).toThrow('--seed takes a whole number, got "x"');
  });
});
