// End to end: `phantom clusters` with the real binary on the fixtures; the Parquet output read back.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readParquet } from '../../src/io/parquet.js';
import { phantom } from '../support/cli.js';
import { svgProblems } from '../kernels/svg-check.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-clusters-'));
const events = 'fixtures/events.parquet';

const out = join(dir, 'clusters.parquet');
// the --json document (shape checked by the assertions)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any;
let t: Awaited<ReturnType<typeof readParquet>>;

describe('phantom clusters', () => {
  it('writes one row per session with cluster and posteriors, heat maps, and a JSON summary', async () => {
    const plots = join(dir, 'plots');
    const r = phantom(['clusters', events, '-o', out, '--k', '2:4', '--plot', plots, '--json']);
    expect(r.code, r.stderr).toBe(0);
    doc = JSON.parse(r.stdout);
    expect(doc.selection.map((s: { k: number }) => s.k)).toEqual([2, 3, 4]);
    expect(doc.bic).toBe(Math.min(...doc.selection.map((s: { bic: number }) => s.bic)));
    expect(doc.sessions).toBe(300);
    expect(doc.workers).toBe(1); // 300 sessions: far below the 50,000 from which the E-step takes a second thread
    expect(doc.clusters.reduce((a: number, c: { sessions: number }) => a + c.sessions, 0)).toBe(300);
    expect(doc.adjustedRand).toBeGreaterThanOrEqual(-1);
    // timing by default: log dwell means/variances per cluster and state, one geometric-mean gap per cluster
    expect(doc.timing).toBe('dwell');
    expect(doc.gapLogMean).toHaveLength(doc.k);
    expect(doc.gapLogMean[0]).toHaveLength(doc.vocabulary.length);
    for (const c of doc.clusters) expect(c.gapGeometricMeanSec).toBeGreaterThan(0);
    t = await readParquet(out);
    expect(t.numRows).toBe(300);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['sessionId', 'cluster', ...Array.from({ length: doc.k }, (_, c) => `p_cluster_${c}`)]);
    for (let s = 0; s < t.numRows; s += 17) {
      const post = Array.from({ length: doc.k }, (_, c) => t.getChild(`p_cluster_${c}`)!.get(s) as number);
      expect(post.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(t.getChild('cluster')!.get(s)).toBe(post.indexOf(Math.max(...post)));
    }
    const svgs = readdirSync(plots).filter((f) => f.endsWith('.svg')).sort();
    expect(svgs).toEqual(Array.from({ length: doc.k }, (_, c) => `cluster-${c}.svg`));
    for (const f of svgs) expect(svgProblems(readFileSync(join(plots, f), 'utf8')), f).toEqual([]);
  });

  it('the same seed gives the same document', () => {
    const again = phantom(['clusters', events, '--k', '2:4', '--json']);
    expect({ ...JSON.parse(again.stdout), output: null, plots: [] }).toEqual({ ...doc, output: null, plots: [] });
  });

  it('clusters.parquet joins onto sessions.parquet: the same session ids as phantom features writes', async () => {
    const sessions = join(dir, 'sessions.parquet');
    expect(phantom(['features', events, '-o', sessions, '-q']).code).toBe(0);
    const ids = (x: Awaited<ReturnType<typeof readParquet>>) => new Set(Array.from({ length: x.numRows }, (_, i) => String(x.getChild('sessionId')!.get(i))));
    expect(ids(t)).toEqual(ids(await readParquet(sessions)));
  });

  it('--timing none fits event order alone: fewer parameters, no gap summary, recorded in the Parquet metadata', async () => {
    const none = join(dir, 'none.parquet');
    const r = phantom(['clusters', events, '--k', '2:4', '--timing', 'none', '-o', none, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.timing).toBe('none');
    expect(d.gapLogMean).toEqual(Array.from({ length: d.k }, () => []));
    for (const c of d.clusters) expect(c.gapGeometricMeanSec).toBeNull(); // NaN in JSON
    // with timing, each k has 2·k more parameters per state that has a gap
    const timed = new Map(doc.selection.map((s: { k: number; parameters: number }) => [s.k, s.parameters]));
    for (const s of d.selection) expect(((timed.get(s.k) as number) - s.parameters) % (2 * s.k)).toBe(0);
    expect((await readParquet(none)).schema.metadata.get('phantom.timing')).toBe('none');
    expect(t.schema.metadata.get('phantom.timing')).toBe('dwell');
  });

  it('a bad --timing is a usage error naming the choices', () => {
    const r = phantom(['clusters', events, '--timing', 'fast']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--timing/);
    expect(r.stderr).toMatch(/dwell/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad --workers is a usage error (exit 2, no stack)', () => {
    const r = phantom(['clusters', events, '--workers', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad --k is a usage error (exit 2, no stack)', () => {
    const r = phantom(['clusters', events, '--k', '0:3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--k must be a range like 2:10/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
