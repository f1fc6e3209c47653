// `generate` keeps its labels in every output format (issue 17, build 6): the is_agent of each event in
// .jsonl, .json and kafka-envelope output equals the Parquet output's, and --no-labels drops it everywhere.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalise } from '../../src/events/normalise.js';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import { readFiles } from '../../src/sources/files.js';
import { phantom } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-gen-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function labelsOf(path: string): Promise<number[]> {
  const out: number[] = [];
  for await (const b of readFiles([path])) for (const r of b) {
    const n = normalise(r);
    if (!n.ok) throw new Error(n.reason);
    out.push(n.row.isAgent === null ? -1 : n.row.isAgent ? 1 : 0);
  }
  return out;
}

describe('generate keeps labels', () => {
  it('in .jsonl, .json and kafka-envelope output, equal to the Parquet labels', async () => {
    const common = ['generate', '-n', '120', '-a', '0.4', '--seed', '5', '-q'];
    for (const [name, extra] of [['x.parquet', []], ['x.jsonl', []], ['x.json', []], ['env.jsonl', ['--format', 'kafka-envelope']]] as const) {
      const r = phantom([...common, ...extra, '-o', join(dir, name)]);
      expect(r.code, r.stderr).toBe(0);
    }
    const t = await readEventsParquet(join(dir, 'x.parquet'));
    const expected = Array.from(t.isAgent);
    expect(expected.filter((x) => x === 1).length).toBeGreaterThan(0);
    expect(expected).not.toContain(-1);
    for (const name of ['x.jsonl', 'x.json', 'env.jsonl']) expect(await labelsOf(join(dir, name)), name).toEqual(expected);
  });

  it('--no-labels leaves is_agent out of JSON-lines output too', async () => {
    const r = phantom(['generate', '-n', '20', '--seed', '5', '--no-labels', '-q', '-o', join(dir, 'n.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'n.jsonl'), 'utf8')).not.toContain('is_agent');
    expect(new Set(await labelsOf(join(dir, 'n.jsonl')))).toEqual(new Set([-1]));
  });
});
