// End to end: the real binary (bin/phantom.js → dist/) on the committed fixtures.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readParquet } from '../../src/io/parquet.js';
import { phantom } from '../support/cli.js';
import { svgProblems } from './svg-check.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-kernels-'));
const events = 'fixtures/events.parquet';

describe('phantom kernels', () => {
  it('prints the table, writes kernels.json, figures and DOT files', () => {
    const out = join(dir, 'kernels.json'), plots = join(dir, 'plots');
    const r = phantom(['kernels', events, '-o', out, '--plot', plots, '--bootstrap', '50']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/KL\(H‖A\)/);
    expect(r.stdout).toMatch(/human\s+210\s+3,098/);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.format).toBe('phantom.kernels');
    expect(doc.vocabulary[0]).toBe('<end>');
    expect(doc.classes.human.sessionIds).toHaveLength(210);
    for (const row of doc.classes.agent.kernel as number[][]) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    expect(doc.null.replicates).toBe(50);
    expect(doc.null.js.p).toBeLessThan(0.05);
    const files = readdirSync(plots).sort();
    expect(files.filter((f) => f.endsWith('.svg'))).toEqual(['kernel-agent.svg', 'kernel-difference.svg', 'kernel-human.svg']);
    expect(files.filter((f) => f.endsWith('.dot'))).toEqual(['kernel-agent.dot', 'kernel-human.dot']);
    for (const f of files.filter((x) => x.endsWith('.svg'))) expect(svgProblems(readFileSync(join(plots, f), 'utf8')), f).toEqual([]);
  });

  it('--json is machine-readable and the same seed gives the same null', () => {
    const a = phantom(['kernels', events, '--json', '--bootstrap', '30', '--seed', '9', '--state', 'category']);
    const b = phantom(['kernels', events, '--json', '--bootstrap', '30', '--seed', '9', '--state', 'category']);
    expect(a.code, a.stderr).toBe(0);
    const ja = JSON.parse(a.stdout), jb = JSON.parse(b.stdout);
    expect(ja.null.sample).toEqual(jb.null.sample);
    expect(ja.params.state).toBe('category');
    expect(ja.vocabulary).toContain('nav');
    expect(ja.classes.human.sessionIds).toBeUndefined();
  });

  it('bad flags exit 2 with a message naming the flag', () => {
    const r = phantom(['kernels', events, '--state', 'pages']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--state must be one of/);
    const col = phantom(['kernels', events, '--label-column', 'is_bot']);
    expect(col.code).toBe(2);
    expect(col.stderr).toMatch(/no column "is_bot" \(columns: sessionId, /);
    const m = phantom(['kernels', 'no-such.parquet']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/no-such\.parquet/);
  });

  it('raw JSON-lines joined to the experiments table give the same kernels as the labelled Parquet', () => {
    const raw = JSON.parse(phantom(['kernels', 'fixtures/events.jsonl', '--experiments-from', 'fixtures/experiments.csv', '--bootstrap', '0', '--json']).stdout);
    const parquet = JSON.parse(phantom(['kernels', events, '--bootstrap', '0', '--json']).stdout);
    expect(raw.classes.human.counts).toEqual(parquet.classes.human.counts);
    expect(raw.classes.agent.counts).toEqual(parquet.classes.agent.counts);
    expect(raw.divergence).toEqual(parquet.divergence);
  });

  it('unlabelled raw events are a usage error that says how to label them', () => {
    const r = phantom(['kernels', 'fixtures/events.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/labelled sessions of both classes/);
  });
});

describe('phantom separability', () => {
  it('prints the table and writes per-session scores (Parquet and CSV)', async () => {
    const out = join(dir, 'scores.parquet');
    const r = phantom(['separability', events, '-o', out, '--plot', join(dir, 'gap')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/U \(human\)/);
    expect(r.stdout).toMatch(/leave-one-out/);
    const t = await readParquet(out);
    expect(t.numRows).toBe(300);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['sessionId', 'is_agent', 'events', 'in_fit', 'delta_human', 'delta_agent', 'gap', 'agent_probability', 'status']);
    expect(svgProblems(readFileSync(join(dir, 'gap', 'gap-scores.svg'), 'utf8'))).toEqual([]);
    const csv = join(dir, 'scores.csv');
    expect(phantom(['separability', events, '-o', csv, '-q']).code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(301);
    expect(lines.filter((l) => l.endsWith(',too_short')).length).toBe(11);
  });

  it('--bootstrap 0: the null columns read "–" (not computed), never NaN', () => {
    const r = phantom(['kernels', events, '--bootstrap', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/NaN/);
    expect(r.stdout).toMatch(/KL\(H‖A\)\s+0\.4731\s+–\s+–\s+–/);
    expect(r.stdout).toMatch(/null replicates\s+0 \(seed 42\)/);
  });

  it('separability prints a half-integer U (ties) in full, as --json carries it', () => {
    const args = ['separability', events, '--in-sample', '--smoothing', '0'];
    const r = phantom(args);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(phantom([...args, '--json']).stdout);
    expect(doc.test.statisticOther % 1).toBe(0.5);
    expect(r.stdout).toContain(`U (human)                               ${doc.test.statistic.toLocaleString('en-US', { maximumFractionDigits: 1 })}`);
    expect(r.stdout).toMatch(/U' \(agent\) = n1·n2 − U\s+7,503\.5\s/);
  });

  it('--json carries U, p, effects and group statistics; --kernels gives the same answer as fitting in place', () => {
    const kernels = join(dir, 'k2.json');
    expect(phantom(['kernels', events, '-o', kernels, '--bootstrap', '0', '-q']).code).toBe(0);
    const a = JSON.parse(phantom(['separability', events, '--json']).stdout);
    const b = JSON.parse(phantom(['separability', events, '--json', '--kernels', kernels]).stdout);
    expect(a.test.statistic + a.test.statisticOther).toBe(a.test.n1 * a.test.n2);
    expect(a.groups.human.mean).toBeLessThan(a.groups.agent.mean);
    expect(a.test.pvalue).toBeLessThan(1e-20);
    expect(b.test).toEqual(a.test);
    expect(b.params.kernels).toBe('file');
    const c = JSON.parse(phantom(['separability', events, '--json', '--in-sample', '--method', 'permutation', '--permutations', '999', '--alternative', 'less']).stdout);
    expect(c.test.method).toBe('permutation');
    expect(c.test.pvalue).toBeCloseTo(1 / 1000, 12);
    expect(c.params.inSample).toBe(true);
    const conflict = phantom(['separability', events, '--kernels', kernels, '--state', 'category']);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/--state conflicts/);
  });

  it('--fail-if-p-above exits 4 with the reason on stderr, 0 when the gate passes', () => {
    const fail = phantom(['separability', events, '--fail-if-p-above', '1e-40', '-q']);
    expect(fail.code).toBe(4);
    expect(fail.stderr).toMatch(/above --fail-if-p-above 1e-40/);
    expect(fail.stdout).toMatch(/U \(human\)/);
    expect(phantom(['separability', events, '--fail-if-p-above', '0.05', '-q']).code).toBe(0);
  });
});
