// The pipeline as one library call on the bundled fixtures (docs/pipeline.md): its artefacts equal, row for
// row and number for number, those of `phantom pipeline` before the stages handed their tables on in
// memory (test/golden/pipeline/default.json; provenance aside, see artefact-digests.ts), and each file is
// read once: the raw inputs once each, the artefacts the run writes (events.parquet, sessions.parquet,
// model.json) never.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { artefactDigests } from './artefact-digests.js';
import { reads, readsUnder } from './fs-reads.js';

vi.mock('node:fs', async (orig) => (await import('./fs-reads.js')).countingFs(await orig<typeof import('node:fs')>()));
vi.mock('node:fs/promises', async (orig) => (await import('./fs-reads.js')).countingFs(await orig<typeof import('node:fs/promises')>()));

const { loadPipelineConfig, runPipeline } = await import('../../src/pipeline/index.js');

const ROOT = resolve(import.meta.dirname, '../..');
const out = join(mkdtempSync(join(tmpdir(), 'phantom-pipeline-golden-')), 'out');
const golden = JSON.parse(readFileSync(join(ROOT, 'test/golden/pipeline/default.json'), 'utf8')) as { digests: Record<string, string>; headline: Record<string, unknown> };
let fixtureReads: Record<string, number>, outReads: Record<string, number>;

beforeAll(async () => {
  const { config } = await loadPipelineConfig(null, { out }, ROOT);
  reads.length = 0;
  await runPipeline(config, null);
  fixtureReads = readsUnder(join(ROOT, 'fixtures'));
  outReads = readsUnder(out);
});

describe('pipeline on the bundled fixtures', () => {
  it('writes the artefacts of the file-by-file pipeline (provenance aside)', async () => {
    const now = await artefactDigests(out);
    expect(now.headline).toEqual(golden.headline);
    expect(now.digests).toEqual(golden.digests);
  });

  it('records the digests of the files it wrote, not of bytes it read back', () => {
    const sha = (name: string) => createHash('sha256').update(readFileSync(join(out, name))).digest('hex');
    const rules = JSON.parse(readFileSync(join(out, 'rules.json'), 'utf8')) as { data: { sha256: string }; teacher: { pAgent: { sha256: string } } };
    expect(rules.data.sha256).toBe(sha('sessions.parquet'));
    expect(rules.teacher.pAgent.sha256).toBe(sha('model.json'));
  });

  it('reads each input once and none of its own artefacts', () => {
    expect(fixtureReads).toEqual({ 'events.jsonl': 1, 'experiments.csv': 1 });
    expect(outReads).toEqual({});
  });
});
