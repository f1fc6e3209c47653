// A preload script (`node --import FILE`) that writes the main thread's CPU seconds (user + system from
// /proc/self/task/<pid>/stat) to $PHANTOM_BENCH_THREAD_CPU at exit: the export's main thread alone,
// without its Parquet writer thread. Shared by bench/export-postgres.mjs and bench/access-log.mjs.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Write the preload script into `dir`; returns its path. */
export function writeThreadCpuScript(dir) {
  const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  const path = join(dir, 'thread-cpu.mjs');
  writeFileSync(path, `import { readFileSync, writeFileSync } from 'node:fs';
process.on('exit', () => {
  const stat = readFileSync('/proc/self/task/' + process.pid + '/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  writeFileSync(process.env.PHANTOM_BENCH_THREAD_CPU, String((Number(f[11]) + Number(f[12])) / ${CLK_TCK}));
});
`);
  return path;
}
