import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventsParquet, writeEventsParquet } from '../../src/events/events-parquet.js';
import { generateDataset } from '../../src/generate/generate.js';
import { generateParquetParallel } from '../../src/generate/parallel-parquet.js';
import { normalise } from '../../src/events/normalise.js';
import { rowAt } from '../../src/events/table.js';
import { compileKernel, loadProfile, parseProfile } from '../../src/generate/profile.js';
import { readFiles } from '../../src/sources/files.js';
import { phantom } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-gen-'));

describe('phantom generate', () => {
  it('writes byte-identical files for the same seed and different ones for another seed', () => {
    // the same command line twice (the command line itself is recorded in Parquet metadata)
    const run = (seed: number, name: string) => {
      const r = phantom(['generate', '--sessions', '2000', '--seed', String(seed), '-o', join(dir, name), '--experiments-out', join(dir, `${name}.csv`), '-q']);
      expect(r.code, r.stderr).toBe(0);
      return { data: readFileSync(join(dir, name)), csv: readFileSync(join(dir, `${name}.csv`)) };
    };
    for (const ext of ['parquet', 'jsonl']) {
      const a = run(7, `a.${ext}`), b = run(7, `a.${ext}`), c = run(8, `a.${ext}`);
      expect(a.data.equals(b.data)).toBe(true);
      expect(a.csv.equals(b.csv)).toBe(true);
      expect(a.data.equals(c.data)).toBe(false);
    }
  });

  it('writes the same Parquet file on 1, 2 or 3 threads, equal to the chunks written one by one', async () => {
    const o = { sessions: 2500, agentShare: 0.3, seed: 21, startMs: Date.UTC(2026, 0, 1), spanDays: 7, products: null, sessionsPerExperiment: 3, profiles: { human: await loadProfile('human'), agent: await loadProfile('agent') }, labels: true, chunkSessions: 400 };
    const metadata = { 'phantom.generate.seed': '21' };
    const { chunkCount, chunks } = generateDataset(o);
    expect(chunkCount).toBe(7);
    const files = [];
    for (const threads of [1, 2, 3]) {
      const path = join(dir, `t${threads}.parquet`);
      const r = await generateParquetParallel(o, chunkCount, path, { compression: 'zstd', metadata, threads });
      expect(r.sessions).toBe(2500);
      files.push(readFileSync(path));
    }
    const sequential = join(dir, 'seq.parquet');
    const w = await writeEventsParquet(sequential, chunks(), { compression: 'zstd', metadata, rowGroupSize: 1 << 20 });
    expect(files[1]!.equals(files[0]!)).toBe(true);
    expect(files[2]!.equals(files[0]!)).toBe(true);
    expect(readFileSync(sequential).equals(files[0]!)).toBe(true);
    const t = await readEventsParquet(join(dir, 't2.parquet'));
    expect(t.length).toBe(w.rows);
    expect(new Set(t.sessionId.dict).size).toBe(w.sessions);
  });

  it('JSON-lines output normalises to exactly the rows written to Parquet', async () => {
    const common = ['generate', '-n', '200', '--seed', '3', '--no-labels', '-q'];
    expect(phantom([...common, '-o', join(dir, 'x.parquet')]).code).toBe(0);
    expect(phantom([...common, '-o', join(dir, 'x.jsonl')]).code).toBe(0);
    const t = await readEventsParquet(join(dir, 'x.parquet'));
    const rows = [];
    for await (const b of readFiles([join(dir, 'x.jsonl')])) for (const r of b) rows.push(normalise(r));
    expect(rows.length).toBe(t.length);
    rows.forEach((r, i) => {
      if (!r.ok) throw new Error(r.reason);
      expect({ ...r.row, srcTopic: null, srcOffset: null }).toEqual(rowAt(t, i));
    });
  });

  it('honours the agent share, labels every event and writes the experiments table', async () => {
    const r = phantom(['generate', '-n', '1000', '-a', '0.25', '--seed', '11', '-o', join(dir, 'l.parquet'), '--experiments-out', join(dir, 'l.csv'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.sessions).toBe(1000);
    expect(summary.agentSessions).toBe(250);
    const t = await readEventsParquet(join(dir, 'l.parquet'));
    expect(t.length).toBe(summary.events);
    const labels = new Map<string, number>();
    for (let i = 0; i < t.length; i++) {
      expect(t.isAgent[i]).toBeGreaterThanOrEqual(0);
      labels.set(t.sessionId.dict[t.sessionId.codes[i]!]!, t.isAgent[i]!);
    }
    expect([...labels.values()].filter((v) => v === 1).length).toBe(250);
    const csv = readFileSync(join(dir, 'l.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id,created_at,subject_name,xp_human_only,xp_market_mode,xp_task_id');
    expect(csv.length - 1).toBe(1000);
    expect(csv.filter((l) => l.includes(',false,')).length).toBe(250);
    // agents are not all headless (the leakage audit must stay honest)
    const headless = new Set<string>(), agentSessions = new Set<string>();
    for (let i = 0; i < t.length; i++) {
      if (t.isAgent[i] !== 1) continue;
      const sid = t.sessionId.dict[t.sessionId.codes[i]!]!;
      agentSessions.add(sid);
      const ua = t.userAgent.codes[i]! >= 0 ? t.userAgent.dict[t.userAgent.codes[i]!]! : '';
      if (/Headless/.test(ua)) headless.add(sid);
    }
    expect(headless.size / agentSessions.size).toBeGreaterThan(0.25);
    expect(headless.size / agentSessions.size).toBeLessThan(0.6);
  });

  it('refuses bad input with exit 2 and a message naming the flag', () => {
    const a = phantom(['generate', '-n', 'many', '-o', join(dir, 'bad.parquet')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--sessions takes a whole number/);
    const b = phantom(['generate', '-o', join(dir, 'bad.txt')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown output type/);
    const c = phantom(['generate', '-o', join(dir, 'bad.parquet'), '--profile-agent', join(dir, 'missing.json')]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/cannot read profile/);
  });

  it('an output path the file system refuses (a file where a folder must be): exit 2, one line, the file untouched', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'keep me');
    const r = phantom(['generate', '-n', '10', '-o', join(blocker, 'events.parquet')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^phantom generate: -o .*a-file\/events\.parquet: cannot create folder .*a-file: .*a-file is a file, not a folder\n$/);
    expect(readFileSync(blocker, 'utf8')).toBe('keep me');
  });
});

describe('behaviour profiles', () => {
  it('built-in profiles validate and compile to stochastic rows', async () => {
    for (const name of ['human', 'agent']) {
      const k = compileKernel(await loadProfile(name));
      k.cumulative.forEach((c, s) => {
        if (k.states[s] === '<end>') expect(c.length).toBe(0);
        else expect(c[c.length - 1]).toBe(1);
      });
    }
  });

  it('reports every problem of a bad profile with its path', async () => {
    const p = JSON.parse(readFileSync('fixtures/profiles/human.json', 'utf8'));
    p.gapSeconds.median = -1;
    p.userAgents.headless = 2;
    expect(() => parseProfile(p, 'x.json')).toThrow(/gapSeconds.median.*userAgents.headless|userAgents.headless.*gapSeconds.median/);
    const q = JSON.parse(readFileSync('fixtures/profiles/human.json', 'utf8'));
    q.kernel.page_view.teleport = 1;
    expect(() => parseProfile(q, 'x.json')).toThrow(/leads to "teleport"/);
  });
});
