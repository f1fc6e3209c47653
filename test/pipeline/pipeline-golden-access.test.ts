// The pipeline as one library call on the access-log fixtures (fixtures/access.config.json, with a fixed
// session key so session ids repeat from run to run): artefacts equal to those of `phantom pipeline` before
// the stages handed their tables on in memory (test/golden/pipeline/access.json), each input read once,
// none of the run's own artefacts read back.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { artefactDigests } from './artefact-digests.js';
import { reads, readsUnder } from './fs-reads.js';

vi.mock('node:fs', async (orig) => (await import('./fs-reads.js')).countingFs(await orig<typeof import('node:fs')>()));
vi.mock('node:fs/promises', async (orig) => (await import('./fs-reads.js')).countingFs(await orig<typeof import('node:fs/promises')>()));

const { loadPipelineConfig, runPipeline } = await import('../../src/pipeline/index.js');

const ROOT = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'phantom-pipeline-access-'));
const out = join(tmp, 'out');
const golden = JSON.parse(readFileSync(join(ROOT, 'test/golden/pipeline/access.json'), 'utf8')) as { digests: Record<string, string>; headline: Record<string, unknown> };
const KEY_ENV = 'PHANTOM_GOLDEN_SESSION_KEY';
let fixtureReads: Record<string, number>, outReads: Record<string, number>;

beforeAll(async () => {
  // fixtures/access.config.json with its paths made absolute and a fixed session key
  const cfg = JSON.parse(readFileSync(join(ROOT, 'fixtures/access.config.json'), 'utf8')) as { source: Record<string, unknown>; labels: { sessions: string } };
  const at = (p: string) => join(ROOT, 'fixtures', p);
  cfg.source.inputs = (cfg.source.inputs as string[]).map(at);
  cfg.source.eventRules = at(cfg.source.eventRules as string);
  cfg.source.sessionKeyEnv = KEY_ENV;
  cfg.labels.sessions = at(cfg.labels.sessions);
  writeFileSync(join(tmp, 'access.config.json'), JSON.stringify(cfg));
  process.env[KEY_ENV] = 'golden-session-key-0123456789';
  const { config } = await loadPipelineConfig(join(tmp, 'access.config.json'), { out }, ROOT);
  reads.length = 0;
  await runPipeline(config, 'access.config.json');
  fixtureReads = readsUnder(join(ROOT, 'fixtures'));
  outReads = readsUnder(out);
});
afterAll(() => {
  delete process.env[KEY_ENV];
});

describe('pipeline on the access-log fixtures', () => {
  it('writes the artefacts of the file-by-file pipeline (provenance aside)', async () => {
    const now = await artefactDigests(out);
    expect(now.headline).toEqual(golden.headline);
    expect(now.digests).toEqual(golden.digests);
  });

  it('reads each input once and none of its own artefacts', () => {
    expect(fixtureReads).toEqual({ 'access.log': 1, 'access-event-rules.json': 1, 'access-labels.csv': 1 });
    expect(outReads).toEqual({});
  });
});
