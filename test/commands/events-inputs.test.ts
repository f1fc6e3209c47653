// Issue 15, must-show 2: `kernels` and `separability` take a folder, several files and a glob exactly like
// `features` — one events loader (io/input-paths.ts + sources/event-files.ts) — and give the result of the
// concatenated single file; a folder with no event file is refused with exit 2. Real binary on the
// fixture: fixtures/events.parquet split by rows into two files (a session may straddle them), whose
// concatenation is the fixture itself.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventsParquet, writeEventsParquet } from '../../src/events/events-parquet.js';
import { sliceRows } from '../../src/events/table.js';
import { ROOT } from '../support/cli.js';

const EVENTS = join(ROOT, 'fixtures/events.parquet');

/** The real binary, asynchronously so the runs of one test overlap. */
function phantom(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [resolve(ROOT, 'bin/phantom.js'), ...args], { cwd });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** A --json document without the fields that name the inputs. */
async function result(args: string[], cwd: string): Promise<Record<string, unknown>> {
  const r = await phantom([...args, '--json'], cwd);
  if (r.code !== 0) throw new Error(`phantom ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  delete doc['input'];
  delete doc['provenance'];
  return doc;
}

describe('one events loader for kernels and separability (must-show 2)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'phantom-events-inputs-'));
    const t = await readEventsParquet(EVENTS);
    const half = Math.floor(t.length / 2);
    mkdirSync(join(dir, 'parts'));
    mkdirSync(join(dir, 'empty'));
    await writeEventsParquet(join(dir, 'parts', 'part-0.parquet'), [sliceRows(t, 0, half)]);
    await writeEventsParquet(join(dir, 'parts', 'part-1.parquet'), [sliceRows(t, half, t.length)]);
    writeFileSync(join(dir, 'parts', '_SUCCESS'), ''); // markers and hidden files are skipped
    writeFileSync(join(dir, 'parts', '.part-2.parquet.tmp'), 'partial');
    writeFileSync(join(dir, 'empty', 'notes.txt'), 'no events here');
  }, 30_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('kernels: a folder, two files and a glob give the kernels of the single file', async () => {
    const args = ['--bootstrap', '20', '--seed', '3'];
    const [single, folder, files, glob] = await Promise.all([
      result(['kernels', EVENTS, ...args], dir),
      result(['kernels', 'parts/', ...args], dir),
      result(['kernels', 'parts/part-0.parquet', 'parts/part-1.parquet', ...args], dir),
      result(['kernels', 'parts/part-*.parquet', ...args], dir),
    ]);
    expect((single['sessions'] as { total: number }).total).toBe(300);
    expect(folder).toEqual(single);
    expect(files).toEqual(single);
    expect(glob).toEqual(single);
  }, 30_000);

  it('separability: a folder gives the gap scores and test of the single file; an empty folder is exit 2', async () => {
    const [single, folder, empty, emptyKernels] = await Promise.all([
      result(['separability', EVENTS], dir),
      result(['separability', 'parts'], dir),
      phantom(['separability', 'empty/'], dir),
      phantom(['kernels', 'empty', '--bootstrap', '0'], dir),
    ]);
    expect(folder).toEqual(single);
    for (const r of [empty, emptyKernels]) {
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(/^phantom (separability|kernels): empty\/?: folder holds no \.parquet, \.jsonl, \.json or \.csv file$/);
    }
  }, 30_000);
});
