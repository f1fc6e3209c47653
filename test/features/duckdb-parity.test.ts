// A second independent oracle for the default feature set: the definitions of docs/features.md written as
// DuckDB SQL (bench/lib/features.sql, also the reference of bench/features-duckdb.mjs), run by DuckDB on the
// same events.parquet. Every column of every session must agree (floats within 1e-9 relative), so the SQL
// the benchmark times is known to compute what phantom computes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { phantom, ROOT } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-duckdb-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lit = (p: string) => `'${p.replaceAll("'", "''")}'`;

async function duckdbFeatures(events: string, out: string): Promise<void> {
  const sql = readFileSync(join(ROOT, 'bench/lib/features.sql'), 'utf8').replaceAll("'{{EVENTS}}'", lit(events));
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await db.connect();
  await c.run("SET TimeZone = 'UTC'");
  await c.run(`COPY (${sql}) TO ${lit(out)} (FORMAT parquet)`);
}

/** Columns whose values differ (with a count), sessions present on one side only. */
async function differences(a: string, b: string): Promise<{ sessions: number; unmatched: number; differing: string[]; columns: number }> {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await db.connect();
  const rows = async (sql: string) => (await c.runAndReadAll(sql)).getRows();
  const cols = (await rows(`DESCRIBE SELECT * FROM read_parquet(${lit(a)})`)).map((r) => [String(r[0]), String(r[1])] as const);
  const other = (await rows(`DESCRIBE SELECT * FROM read_parquet(${lit(b)})`)).map((r) => String(r[0]));
  expect(cols.map(([n]) => n)).toEqual(other);
  const [[unmatched]] = (await rows(`SELECT count(*) FROM read_parquet(${lit(a)}) p FULL JOIN read_parquet(${lit(b)}) d USING (sessionId) WHERE p.sessionId IS NULL OR d.sessionId IS NULL`)) as [[bigint]];
  const [[sessions]] = (await rows(`SELECT count(*) FROM read_parquet(${lit(a)})`)) as [[bigint]];
  const differing: string[] = [];
  for (const [name, type] of cols) {
    if (name === 'sessionId') continue;
    const p = `p."${name}"`, d = `d."${name}"`;
    const differs = type === 'DOUBLE' ? `abs(${p} - ${d}) > 1e-9 * greatest(1, abs(${d}))` : `${p} <> ${d}`;
    const [[n]] = (await rows(`SELECT count(*) FILTER (WHERE (${p} IS NULL) <> (${d} IS NULL) OR ${differs}) FROM read_parquet(${lit(a)}) p JOIN read_parquet(${lit(b)}) d USING (sessionId)`)) as [[bigint]];
    if (n > 0n) differing.push(`${name} (${n})`);
  }
  return { sessions: Number(sessions), unmatched: Number(unmatched), differing, columns: cols.length };
}

describe('default features equal DuckDB running docs/features.md as SQL', () => {
  it('on the bundled fixtures', async () => {
    const ours = join(dir, 'fixtures-phantom.parquet'), theirs = join(dir, 'fixtures-duckdb.parquet');
    const r = phantom(['features', 'fixtures/events.parquet', '-o', ours, '-q']);
    expect(r.code, r.stderr).toBe(0);
    await duckdbFeatures(join(ROOT, 'fixtures/events.parquet'), theirs);
    expect(await differences(ours, theirs)).toEqual({ sessions: 300, unmatched: 0, differing: [], columns: 44 });
  }, 30_000);

  it('on 1,500 generated sessions, and a changed definition is caught', async () => {
    const events = join(dir, 'gen.parquet'), ours = join(dir, 'gen-phantom.parquet'), theirs = join(dir, 'gen-duckdb.parquet');
    expect(phantom(['generate', '-n', '1500', '--seed', '11', '-o', events, '-q']).code).toBe(0);
    expect(phantom(['features', events, '-o', ours, '-q']).code).toBe(0);
    await duckdbFeatures(events, theirs);
    expect((await differences(ours, theirs)).differing).toEqual([]);
    // The comparison can fail: a 60 s inactivity timeout changes exactly the timeout-dependent columns.
    const shorter = join(dir, 'gen-phantom-60s.parquet');
    expect(phantom(['features', events, '-o', shorter, '--timeout-sec', '60', '-q']).code).toBe(0);
    const d = await differences(shorter, theirs);
    expect(d.differing.map((s) => s.split(' ')[0])).toEqual(['session_duration_sec', 'interaction_velocity']);
  }, 60_000);
});
