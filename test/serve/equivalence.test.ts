// Must-show 1: every fixture session streamed event by event through /v1/events, sessions interleaved at
// random, gives at /v1/sessions/{id}/score the feature values `phantom features` computes (1e-9), the
// probability `phantom predict` gives with a model `phantom train-classifier` trained (1e-9), and the
// gap score and f(τ) of `phantom separability --kernels` (1e-9). The reference outputs come from the
// real binary; the server runs in-process with the same files loaded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import type { EventRow } from '../../src/events/normalise.js';
import { rowAt } from '../../src/events/table.js';
import { featureSpecs } from '../../src/features/registry.js';
import { readDataTable, type DataColumn, type DataTable } from '../../src/models/dataset/index.js';
import { loadModels } from '../../src/serve/load-models.js';
import { createRng } from '../../src/stats/rng.js';
import { phantom, ROOT } from '../support/cli.js';
import { call, startApp, type Running } from './app-fixture.js';

const EVENTS = join(ROOT, 'fixtures/events.parquet');

function run(args: string[]): void {
  const r = phantom([...args, '--quiet']);
  if (r.code !== 0) throw new Error(`phantom ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
}

/** Column `name` of a data table, by session id. */
function byId(t: DataTable, name: string): Map<string, number | string | null> {
  const ids = t.columns.find((c) => c.name === 'sessionId') as Extract<DataColumn, { kind: 'category' }>;
  const col = t.columns.find((c) => c.name === name);
  if (col === undefined) throw new Error(`no column ${name}`);
  const out = new Map<string, number | string | null>();
  for (let r = 0; r < t.nRows; r++) {
    const id = ids.dict[ids.codes[r]!]!;
    if (col.kind === 'numeric') out.set(id, Number.isNaN(col.values[r]!) ? null : col.values[r]!);
    else out.set(id, col.codes[r]! < 0 ? null : col.dict[col.codes[r]!]!);
  }
  return out;
}

function close(a: unknown, b: unknown, tol = 1e-9): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'boolean') return (a ? 1 : 0) === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return Math.abs((a as number) - (b as number)) <= tol * Math.max(1, Math.abs(b as number));
}

/** The flat §1.1 event of a normalised row (metadata as its object, ts in epoch ms). */
function flat(r: EventRow): Record<string, unknown> {
  return {
    sessionId: r.sessionId, experimentId: r.experimentId, eventName: r.eventName, ts: r.ts, page: r.page, productId: r.productId,
    storeMode: r.storeMode, userAgent: r.userAgent, metadata: r.metadata === null ? null : JSON.parse(r.metadata), is_agent: r.isAgent,
  };
}

describe('serve scores = batch commands (must-show 1)', () => {
  let dir: string;
  let s: Running;
  let sessions: DataTable, scores: DataTable, gaps: DataTable;
  const ids: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'phantom-serve-eq-'));
    const out = (f: string): string => join(dir, f);
    run(['features', EVENTS, '-o', out('sessions.parquet')]);
    run(['train-classifier', out('sessions.parquet'), '-o', out('model.json'), '--cv', '0', '--seed', '7']);
    run(['predict', out('model.json'), out('sessions.parquet'), '-o', out('scores.csv')]);
    run(['kernels', EVENTS, '-o', out('kernels.json'), '--bootstrap', '0']);
    run(['separability', EVENTS, '--kernels', out('kernels.json'), '-o', out('gaps.csv')]);
    [sessions, scores, gaps] = await Promise.all([readDataTable(out('sessions.parquet')), readDataTable(out('scores.csv')), readDataTable(out('gaps.csv'))]);
    s = await startApp({ policy: 'static' }, await loadModels({ model: out('model.json'), kernels: out('kernels.json'), rules: null, temperature: 1 }));

    // each session's events in the consumers' order (ts, src_offset, position), sessions interleaved at random
    const table = await readEventsParquet(EVENTS);
    const perSession = new Map<string, number[]>();
    for (let i = 0; i < table.length; i++) {
      const id = table.sessionId.dict[table.sessionId.codes[i]!]!;
      if (!perSession.has(id)) perSession.set(id, []);
      perSession.get(id)!.push(i);
    }
    for (const [id, rows] of perSession) {
      rows.sort((a, b) => table.ts[a]! - table.ts[b]! || (Number.isNaN(table.srcOffset[a]!) ? 1 : 0) - (Number.isNaN(table.srcOffset[b]!) ? 1 : 0) || table.srcOffset[a]! - table.srcOffset[b]! || a - b);
      ids.push(id);
    }
    const rng = createRng(2024);
    const cursor = new Map(ids.map((id) => [id, 0]));
    const open = [...ids];
    let sent = 0;
    while (open.length > 0) {
      // a wave of up to 16 concurrent requests, each for a different session
      const wave = new Set<string>();
      while (wave.size < Math.min(16, open.length)) wave.add(open[rng.int(open.length)]!);
      await Promise.all([...wave].map(async (id) => {
        const k = cursor.get(id)!;
        const r = await call(s.port, 'POST', '/v1/events', flat(rowAt(table, perSession.get(id)![k]!)));
        if (r.status !== 202) throw new Error(`event rejected: ${r.text}`);
        sent++;
        cursor.set(id, k + 1);
        if (k + 1 === perSession.get(id)!.length) open.splice(open.indexOf(id), 1);
      }));
    }
    expect(sent).toBe(table.length);
  }, 180_000);

  afterAll(async () => {
    await s?.app.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('streams all 3,471 events of the 300 fixture sessions', () => {
    expect(ids).toHaveLength(300);
    expect(sessions.nRows).toBe(300);
  });

  it('gives every session the features, classifier probability and kernel gap of the batch commands, to 1e-9', async () => {
    const features = featureSpecs('default');
    const columns = Object.fromEntries(features.map((f) => [f.name, byId(sessions, f.name)]));
    const probability = byId(scores, 'probability');
    const gap = byId(gaps, 'gap'), f = byId(gaps, 'agent_probability');
    const mismatches: string[] = [];
    let compared = 0, scored = 0;
    for (const id of ids) {
      const r = await call(s.port, 'GET', `/v1/sessions/${encodeURIComponent(id)}/score`);
      expect(r.status).toBe(200);
      for (const spec of features) {
        compared++;
        if (!close(r.body.features[spec.name], columns[spec.name]!.get(id) ?? null)) mismatches.push(`${id} ${spec.name}: serve ${r.body.features[spec.name]} batch ${columns[spec.name]!.get(id)}`);
      }
      if (!close(r.body.agentProbability, probability.get(id)!)) mismatches.push(`${id} probability: serve ${r.body.agentProbability} predict ${probability.get(id)}`);
      if (!close(r.body.kernel.gap, gap.get(id) ?? null)) mismatches.push(`${id} gap: serve ${r.body.kernel.gap} separability ${gap.get(id)}`);
      if (!close(r.body.kernel.probability, f.get(id) ?? null)) mismatches.push(`${id} f: serve ${r.body.kernel.probability} separability ${f.get(id)}`);
      if (r.body.kernel.gap !== null) scored++;
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(compared).toBe(300 * features.length);
    expect(scored).toBe(289); // 11 fixture sessions have a single event
  });
});
