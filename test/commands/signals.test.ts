// The first SIGINT/SIGTERM always ends the process within a few seconds (issue 17, build 2): a command
// with a graceful stop (serve drains) gets SIGNAL_GRACE_MS, one without a handler stops at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIGNAL_GRACE_MS } from '../../src/commands/process-guards.js';
import { ROOT } from '../support/cli.js';

/** Start phantom, wait for `ready` on stderr/stdout, send `signal`, resolve with the exit and the time it took. */
function stopAfter(args: string[], ready: RegExp | number, signal: NodeJS.Signals): Promise<{ code: number | null; sig: NodeJS.Signals | null; ms: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bin/phantom.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '', sentAt = 0;
    const watchdog = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`no exit: ${output}`)); }, 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (sentAt === 0 && typeof ready !== 'number' && ready.test(output)) { sentAt = Date.now(); child.kill(signal); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    if (typeof ready === 'number') setTimeout(() => { sentAt = Date.now(); child.kill(signal); }, ready);
    child.on('close', (code, sig) => { clearTimeout(watchdog); done({ code, sig, ms: Date.now() - sentAt, output }); });
  });
}

describe('signals', () => {
  it('serve stops within the grace period after the first SIGTERM', async () => {
    const r = await stopAfter(['serve', '--host', '127.0.0.1', '--port', '0'], /listening on/, 'SIGTERM');
    expect(r.ms, r.output).toBeLessThan(SIGNAL_GRACE_MS + 2000);
    expect(r.output).not.toMatch(/internal error/);
  });

  it('a command without a graceful stop ends at once on SIGINT (the default is kept)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'phantom-signal-'));
    const r = await stopAfter(['simulate', '--seeds', '200', '--steps', '2000', '--workers', '0', '-o', out], 1500, 'SIGINT');
    rmSync(out, { recursive: true, force: true });
    expect(r.sig === 'SIGINT' || r.code === 130, r.output).toBe(true);
    expect(r.ms).toBeLessThan(5000);
  });
});
