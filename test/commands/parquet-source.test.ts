// The file source reads Parquet events too (issue 17, build 6): `export --from file events.parquet` and a
// pipeline whose source lists a .parquet file go through the same stages as raw files. Round trip: the
// sessions computed from the re-exported file equal those of the original, byte for byte.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { phantom, ROOT } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-parquet-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Parquet events as a file source', () => {
  it('export --from file re-exports every event; features of both files are identical', () => {
    const src = join(ROOT, 'fixtures/events.parquet');
    const r = phantom(['export', '--from', 'file', src, '-o', join(dir, 'again.parquet'), '--json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.recordsWritten).toBe(3471);
    expect(s.deadLettered.total).toBe(0);
    for (const [input, out] of [[src, 'a.csv'], [join(dir, 'again.parquet'), 'b.csv']]) expect(phantom(['features', input!, '-o', join(dir, out!), '-q']).code).toBe(0);
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toBe(readFileSync(join(dir, 'a.csv'), 'utf8'));
  });

  it('the pipeline accepts a .parquet source', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ source: { from: 'file', inputs: [join(ROOT, 'fixtures/events.parquet')] } }));
    const r = phantom(['pipeline', '-c', join(dir, 'config.json'), '-o', join(dir, 'out'), '--json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.headline.sessions.value).toBe(300);
  }, 300_000);
});
