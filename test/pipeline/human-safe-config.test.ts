// The pipeline config's `distill.humanSafe` (docs/pipeline.md): 0.1:1.02 by default (null = off), and the
// distill stage applies the human-safe rules exactly as `phantom distill --human-safe p:markup` does on
// the same model.json and sessions.parquet (same rules, same humanSafe block); bad bounds are config errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPipelineConfig, runPipeline } from '../../src/pipeline/index.js';
import { phantom, ROOT } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-pipeline-human-safe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

function configFile(name: string, distill: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({
    source: { from: 'file', inputs: [join(ROOT, 'fixtures/events.jsonl')] }, labels: { experimentsFrom: join(ROOT, 'fixtures/experiments.csv') },
    kernels: { bootstrap: 20 }, classifier: { cv: 3 }, distill,
  }));
  return file;
}

describe('pipeline config distill.humanSafe', () => {
  it('defaults to 0.1:1.02 (on); set, the rules equal phantom distill --human-safe on the same files', async () => {
    expect((await loadPipelineConfig(null, {}, ROOT)).config.distill.humanSafe).toEqual({ maxPAgent: 0.1, maxMarkup: 1.02 });
    const out = join(dir, 'out');
    const { config } = await loadPipelineConfig(configFile('safe.json', { humanSafe: { maxPAgent: 0.1, maxMarkup: 1.02 } }), { out });
    expect(config.distill.humanSafe).toEqual({ maxPAgent: 0.1, maxMarkup: 1.02 });
    const { result } = await runPipeline(config, 'safe.json');
    const safe = result.distill.run.document.humanSafe;
    expect(safe).toMatchObject({ maxPAgent: 0.1, maxMarkup: 1.02 });
    expect(safe!.maxClearMarkup).toBeLessThanOrEqual(1.02);
    const cmd = join(dir, 'cmd-rules.json');
    const r = phantom(['distill', join(out, 'model.json'), join(out, 'sessions.parquet'), '-o', cmd, '--human-safe', '0.1:1.02', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const pipe = readJson(join(out, 'rules.json')), alone = readJson(cmd);
    expect(pipe.humanSafe).toEqual(alone.humanSafe);
    expect(pipe.rules).toEqual(alone.rules);
    expect(pipe.fidelity).toEqual(alone.fidelity);
    expect(readJson(join(out, 'summary.json')).config.distill.humanSafe).toEqual({ maxPAgent: 0.1, maxMarkup: 1.02 });
  }, 120_000);

  it('bounds out of range are config errors naming the key', async () => {
    const file = configFile('bad.json', { humanSafe: { maxPAgent: 1.5, maxMarkup: 0 } });
    const err = await loadPipelineConfig(file).then(() => null, (e: Error) => e);
    expect(err?.message).toContain('distill.humanSafe.maxPAgent');
    expect(err?.message).toContain('distill.humanSafe.maxMarkup');
  });
});
