// `phantom serve` as a real child process (the built binary), for multi-process and end-to-end tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../support/cli.js';

export interface ServeProcess {
  port: number;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code */
  stop(): Promise<number | null>;
}

/** Start `phantom serve --json --port 0 …args` and wait until it reports where it listens. */
export function spawnServe(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [resolve(ROOT, 'bin/phantom.js'), 'serve', '--json', '--port', '0', ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '', err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 20 s: ${err}`)), 20_000);
    const early = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening: ${err}`));
    };
    child.once('exit', early);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      let info: { port: number };
      try {
        info = JSON.parse(out) as { port: number };
      } catch {
        return;
      }
      clearTimeout(timer);
      child.off('exit', early);
      resolvePromise({
        port: info.port, child, stderr: () => err,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

/** Poll `check` every 50 ms until it returns true; throws with `what` after `ms`. */
export async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting until ${what}`);
}
