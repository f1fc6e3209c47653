// End to end: the real binary (bin/phantom.js → dist/) on the fixtures, as users run it.
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSessionsParquet } from '../../src/features/index.js';
import { phantom } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-features-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('phantom features (CLI)', () => {
  it('events.parquet → sessions.parquet with a JSON summary', async () => {
    const out = join(dir, 'sessions.parquet');
    const r = phantom(['features', 'fixtures/events.parquet', '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ files: 1, events: 3471, sessions: 300, agentSessions: 90, unlabeledSessions: 0, splitSessions: 0, featureSet: 'default', format: 'parquet' });
    const t = await readSessionsParquet(out);
    expect(t.nSessions).toBe(300);
    expect(new Set(t.sessionIds).size).toBe(300);
  });

  it('raw JSON-lines with --experiments-from, original set, fill-missing, CSV by extension', () => {
    const out = join(dir, 'original.csv');
    const r = phantom(['features', 'fixtures/events.jsonl', '--experiments-from', 'fixtures/experiments.csv', '--feature-set', 'original', '--fill-missing', '0', '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sessions: 300, agentSessions: 90, columns: 27, format: 'csv' });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]!.split(',').length).toBe(4 + 27);
    expect(lines.slice(1).every((l) => !l.includes(',,'))).toBe(true); // no nulls after fillna(0) except experimentId never null here
  });

  it('a partitioned folder with --workers 2 gives the same sessions as one file', async () => {
    const folder = join(dir, 'partitioned');
    const full = readFileSync('fixtures/events.jsonl', 'utf8').trim().split('\n');
    for (let p = 0; p < 3; p++) {
      mkdirSync(join(folder, `src_partition=${p}`), { recursive: true });
      // rows dealt in blocks of 5: sessions split across partitions must be merged
      writeFileSync(join(folder, `src_partition=${p}`, 'part-0.jsonl'), `${full.filter((_, i) => Math.floor(i / 5) % 3 === p).join('\n')}\n`);
    }
    writeFileSync(join(folder, '_SUCCESS'), '');
    const a = phantom(['features', folder, '-w', '2', '--experiments-from', 'fixtures/experiments.csv', '-o', join(dir, 'parallel.parquet'), '--json']);
    expect(a.code, a.stderr).toBe(0);
    const s = JSON.parse(a.stdout);
    expect(s).toMatchObject({ files: 3, events: 3471, sessions: 300, agentSessions: 90 });
    expect(s.splitSessions).toBeGreaterThan(0);
    const b = phantom(['features', 'fixtures/events.jsonl', '--experiments-from', 'fixtures/experiments.csv', '-o', join(dir, 'single.parquet'), '-q']);
    expect(b.code, b.stderr).toBe(0);
    const [pt, st] = [await readSessionsParquet(join(dir, 'parallel.parquet')), await readSessionsParquet(join(dir, 'single.parquet'))];
    const key = (t: typeof pt) => new Map(t.sessionIds.map((id, k) => [id, t.features.map((f) => (f.dtype === 'category' ? t.categories[f.name]!.codes[k] : t.columns[f.name]![k]))]));
    expect(key(pt)).toEqual(key(st));
  });

  it('--list prints the registry; --list --json is machine-readable', () => {
    const r = phantom(['features', '--list', '--json', '--feature-set', 'original']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).features).toHaveLength(27);
    expect(phantom(['features', '--list']).stdout).toContain('transition_entropy');
  });

  it('usage errors exit 2 with a message naming the problem; --strict exits 3 on rejected records', () => {
    const bad = phantom(['features', 'fixtures/events.parquet', '-o', join(dir, 'x.parquet'), '--feature-set', 'newest']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--feature-set');
    const missing = phantom(['features', 'no/such/file.parquet', '-o', join(dir, 'x.parquet')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no/such/file.parquet');
    expect(phantom(['features', 'fixtures/events.parquet']).code).toBe(2);
    const strict = phantom(['features', 'fixtures/bad-records.jsonl', '--strict', '-o', join(dir, 'bad.parquet')]);
    expect(strict.code, strict.stderr).toBe(3);
    // without --strict, a file whose every record is rejected leaves no session: exit 3, nothing written
    const lenient = phantom(['features', 'fixtures/bad-records.jsonl', '-o', join(dir, 'bad.parquet'), '--json']);
    expect(lenient.code, lenient.stderr).toBe(3);
    expect(lenient.stderr).toMatch(/no sessions: all 17 records were rejected; nothing written/);
    expect(existsSync(join(dir, 'bad.parquet'))).toBe(false);
  });
});
