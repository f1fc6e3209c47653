// bench: writing sessions.parquet alone, arrow-rs (parquet-wasm) against phantom's encoder (src/io/parquet-flat-write.ts),
// on the same session table, in one run, rounds interleaved. CPU time of the process (process.cpuUsage, user +
// system) around each write, since the machine is shared: wall time is reported but is load noise.
// Usage: npm run build && node bench/flatwrite.mjs [events.parquet | sessions=80000] [rounds=5] [compression=zstd]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FEATURE_OPTIONS, featuresFromFiles, writeSessions } from '../dist/features/index.js';
import { useFlatWriter } from '../dist/io/parquet.js';
import { verifyPageChecksums } from '../dist/io/parquet-checksums.js';

const arg = process.argv[2] ?? '80000';
const rounds = Number(process.argv[3] ?? 5);
const compression = process.argv[4] ?? 'zstd';
const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-flatwrite-'));
let input = arg;
if (!existsSync(arg)) {
  input = join(dir, 'events.parquet');
  execFileSync(process.execPath, ['bin/phantom.js', 'generate', '-n', arg, '--seed', '1', '-o', input, '-q']);
}
const { table } = await featuresFromFiles([input], { ...DEFAULT_FEATURE_OPTIONS, labels: { experiments: null, label: null } });

async function timed(flat, path) {
  useFlatWriter(flat);
  const c0 = process.cpuUsage(), t0 = performance.now();
  await writeSessions(path, table, { format: 'parquet', compression });
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1e3 };
}

const paths = { arrowRs: join(dir, 'arrow-rs.parquet'), phantom: join(dir, 'phantom.parquet') };
// one warm-up write each: parquet-wasm's module compiles, the zstd WASM loads
await timed(false, paths.arrowRs);
await timed(true, paths.phantom);
const runs = { arrowRs: [], phantom: [] };
for (let r = 0; r < rounds; r++) {
  for (const [name, flat] of r % 2 === 0 ? [['arrowRs', false], ['phantom', true]] : [['phantom', true], ['arrowRs', false]]) runs[name].push(await timed(flat, paths[name]));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = {};
for (const name of ['arrowRs', 'phantom']) {
  const pages = verifyPageChecksums(new Uint8Array(readFileSync(paths[name])));
  out[name] = {
    cpuMedian: +median(runs[name].map((x) => x.cpu)).toFixed(3), cpuMin: +Math.min(...runs[name].map((x) => x.cpu)).toFixed(3),
    wallMedian: +median(runs[name].map((x) => x.wall)).toFixed(3), bytes: statSync(paths[name]).size, pages: pages.pages, checkedPages: pages.checked,
  };
}
console.log(JSON.stringify({ input, sessions: table.nSessions, features: table.features.length, compression, rounds, ...out, cpuRatio: +(out.phantom.cpuMedian / out.arrowRs.cpuMedian).toFixed(3) }, null, 1));
rmSync(dir, { recursive: true, force: true });
