// Child process of bench/features-duckdb.mjs: the feature SQL of bench/lib/features.sql over one events file,
// written to Parquet (ZSTD) by DuckDB, so the parent can measure its wall time and peak RSS as a whole process.
// Usage: node bench/lib/features-duckdb-run.mjs EVENTS.parquet OUT.parquet [threads]
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [events, out, threads] = process.argv.slice(2);
const quote = (p) => p.replaceAll("'", "''");
const sql = readFileSync(new URL('./features.sql', import.meta.url), 'utf8').replaceAll('{{EVENTS}}', quote(events));
const t0 = process.hrtime.bigint();
const db = await DuckDBInstance.create(':memory:', { threads: threads ?? '2' });
const c = await db.connect();
await c.run("SET TimeZone = 'UTC'");
await c.run(`COPY (${sql}) TO '${quote(out)}' (FORMAT parquet, COMPRESSION zstd)`);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage();
console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
