// The pool through the real binary: an error thrown inside a worker thread keeps its class and exit code
// (one line, no stack), and Ctrl-C stops a command whose workers are busy at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { phantom, ROOT } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-threads-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('worker pool (CLI)', () => {
  it('a file that fails inside a features worker is a usage error naming it, exit 2, no stack', () => {
    const corrupt = join(dir, 'corrupt.parquet');
    writeFileSync(corrupt, 'PAR1 not a parquet file PAR1');
    const r = phantom(['features', 'fixtures/events.parquet', corrupt, '--workers', '2', '-o', join(dir, 'x.parquet')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^phantom features: ${corrupt} is not a readable Parquet file \\(.*\\)\\n$`));
  });

  it('SIGINT ends a simulate grid whose two workers are busy at once', async () => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bin/phantom.js'), 'simulate', '--seeds', '50', '--steps', '2000', '--workers', '2', '--no-plot', '-o', join(dir, 'sim')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((r) => setTimeout(r, 1500));
    const sentAt = Date.now();
    child.kill('SIGINT');
    const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
    expect(sig === 'SIGINT' || code === 130, stderr).toBe(true);
    expect(Date.now() - sentAt).toBeLessThan(5000);
  });
});
