/**
 * Progress on long work: an ora spinner on an interactive stderr with a usable width (terminal.ts), a plain line at most every
 * `intervalMs` otherwise (CI logs, cron), nothing with --quiet.
 */
import type { Ora } from 'ora';
import ora from './lazy-ora.js'; // ora loads on the first spinner only
import { usableTerminal } from './terminal.js';

export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

/** @example const p = createProgress({ quiet }); p.update('1,000 events'); p.done('wrote events.parquet') */
export function createProgress(opts: { quiet?: boolean; intervalMs?: number } = {}): Progress {
  if (opts.quiet) return { update() {}, done() {} };
  if (usableTerminal(process.stderr)) {
    const spinner: Ora = ora({ stream: process.stderr }).start();
    return {
      update: (text) => {
        spinner.text = text;
      },
      done: (text) => {
        if (text) spinner.succeed(text);
        else spinner.stop();
      },
    };
  }
  const interval = opts.intervalMs ?? 5000;
  let last = Date.now();
  return {
    update: (text) => {
      const now = Date.now();
      if (now - last >= interval) {
        last = now;
        process.stderr.write(`${text}\n`);
      }
    },
    done: (text) => {
      if (text) process.stderr.write(`${text}\n`);
    },
  };
}
