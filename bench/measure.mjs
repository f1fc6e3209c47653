// Shared by the bench scripts: run a command as a child process and measure wall time and peak RSS
// (VmHWM sampled from /proc while it runs, plus GNU time's %M when /usr/bin/time exists) and, with GNU time,
// its CPU time (user + system, all threads) — the figure to compare when the machine is loaded.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Run `cmd args…`; resolves to { seconds, cpuSeconds (NaN without GNU time), peakRssMb, code, stdout, stderr }. */
export function measure(cmd, args, opts = {}) {
  const useTime = existsSync('/usr/bin/time');
  const argv = useTime ? ['-f', '__PEAK_KB__=%M __CPU__=%U+%S', cmd, ...args] : args;
  const bin = useTime ? '/usr/bin/time' : cmd;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '', stderr = '', peakKb = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {}
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /__PEAK_KB__=(\d+)/.exec(stderr);
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
      const cpu = /__CPU__=([\d.]+)\+([\d.]+)/.exec(stderr);
      const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN;
      resolve({ seconds, cpuSeconds, peakRssMb: peakKb / 1024, code, stdout, stderr: stderr.replace(/__PEAK_KB__=\d+( __CPU__=[\d.]+\+[\d.]+)?\n?/, '') });
    });
  });
}

/** Print rows as an aligned text table and return them. */
export function printTable(title, rows) {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  console.log(`\n${title}`);
  console.log(cols.map((c, i) => c.padEnd(width[i])).join('  '));
  for (const r of rows) console.log(cols.map((c, i) => String(r[c]).padEnd(width[i])).join('  '));
  return rows;
}
