// A pseudo-terminal that reports 0×0 (`script -qfc`, some CI runners, `docker exec -t`): progress must
// fall back to plain lines and tables to plain text, so the run ends with the same output as a pipe
// (issue 17, must show 2). util-linux `script` gives the command a pty without a window size.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript) console.log('0×0 terminal test skipped: util-linux `script` is not installed (apt-get install bsdutils)');
const dir = mkdtempSync(join(tmpdir(), 'phantom-pty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BIN = resolve(ROOT, 'bin/phantom.js');
/** Timing lines differ run to run; everything else must match. */
const normalise = (s: string) => s.replace(/\r\n/g, '\n').replace(/ in \d+(\.\d+)? s$/gm, ' in – s');

function both(args: string[]): { pty: { code: number | null; out: string }; pipe: { code: number | null; out: string } } {
  const runIn = (name: string) => {
    const cwd = join(dir, name);
    mkdirSync(cwd, { recursive: true });
    copyFileSync(join(ROOT, 'fixtures/events.parquet'), join(cwd, 'events.parquet'));
    return cwd;
  };
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  // -e: script exits with the child's code; stdin from /dev/null: no terminal size is ever set
  const pty = spawnSync('script', ['-qefc', cmd, '/dev/null'], { cwd: runIn('pty'), encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const pipe = spawnSync('sh', ['-c', `${cmd} 2>&1`], { cwd: runIn('pipe'), encoding: 'utf8', timeout: 60_000 });
  return { pty: { code: pty.status, out: pty.stdout }, pipe: { code: pipe.status, out: pipe.stdout } };
}

describe.skipIf(!hasScript)('a 0×0 pseudo-terminal', () => {
  it('reports 0 columns to the child (the condition under test)', () => {
    const r = spawnSync('script', ['-qefc', `${process.execPath} -e "process.stdout.write(String(process.stdout.isTTY)+' '+String(process.stderr.columns))"`, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe('true 0');
  });

  it('phantom features ends with the same output and exit code as a pipe', () => {
    const { pty, pipe } = both(['features', 'events.parquet', '-o', 'sessions.parquet']);
    expect(pipe.code).toBe(0);
    expect(pty.code).toBe(0);
    expect(pty.out).not.toMatch(/\x1b\[/); // no cursor or colour codes
    expect(normalise(pty.out)).toBe(normalise(pipe.out));
    expect(readFileSync(join(dir, 'pty', 'sessions.parquet')).length).toBeGreaterThan(1000);
  });

  it('a refused input gives the same one line on the terminal as in a pipe', () => {
    const { pty, pipe } = both(['kernels', 'missing.parquet']);
    expect(pty.code).toBe(2);
    expect(pipe.code).toBe(2);
    expect(normalise(pty.out)).toBe(normalise(pipe.out));
  });
});
