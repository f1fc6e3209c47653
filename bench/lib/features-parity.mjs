// Compares two sessions tables column by column with DuckDB: floats within 1e-9 relative, everything else
// exactly, nulls where the other has nulls. Used by bench/features-duckdb.mjs; also runnable by hand:
//   node bench/lib/features-parity.mjs phantom-sessions.parquet duckdb-sessions.parquet
import { DuckDBInstance } from '@duckdb/node-api';

/** → { columns, sessions, unmatched, mismatches: [{ column, count, example }] } */
export async function compareSessions(a, b) {
  const q = (p) => `read_parquet('${p.replaceAll("'", "''")}')`;
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const rows = async (sql) => (await c.runAndReadAll(sql)).getRows();
  const cols = (await rows(`DESCRIBE SELECT * FROM ${q(a)}`)).map((r) => [String(r[0]), String(r[1])]);
  const other = new Set((await rows(`DESCRIBE SELECT * FROM ${q(b)}`)).map((r) => String(r[0])));
  const missing = [...cols.map(([n]) => n).filter((n) => !other.has(n)), ...[...other].filter((n) => !cols.some(([m]) => m === n))];
  const [[unmatched]] = await rows(`SELECT count(*) FROM ${q(a)} p FULL JOIN ${q(b)} d USING (sessionId) WHERE p.sessionId IS NULL OR d.sessionId IS NULL`);
  const [[sessions]] = await rows(`SELECT count(*) FROM ${q(a)}`);
  const mismatches = missing.map((column) => ({ column, count: -1, example: 'column missing on one side' }));
  for (const [name, type] of cols) {
    if (name === 'sessionId' || !other.has(name)) continue;
    const p = `p."${name}"`, d = `d."${name}"`;
    const differs = type === 'DOUBLE' ? `abs(${p} - ${d}) > 1e-9 * greatest(1, abs(${d}))` : `${p} <> ${d}`;
    const bad = `(${p} IS NULL) <> (${d} IS NULL) OR ${differs}`;
    const [[count, example]] = await rows(`SELECT count(*) FILTER (WHERE ${bad}), any_value(sessionId) FILTER (WHERE ${bad}) FROM ${q(a)} p JOIN ${q(b)} d USING (sessionId)`);
    if (Number(count) > 0) mismatches.push({ column: name, count: Number(count), example });
  }
  return { columns: cols.length, sessions: Number(sessions), unmatched: Number(unmatched), mismatches };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await compareSessions(process.argv[2], process.argv[3]);
  console.log(JSON.stringify(r, null, 1));
  process.exit(r.unmatched === 0 && r.mismatches.length === 0 ? 0 : 1);
}
