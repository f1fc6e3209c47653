/**
 * Progress on long work: an ora spinner on an interactive stderr with a usable width (terminal.ts), a plain line at most every
 * `intervalMs` otherwise (CI logs, cron), nothing with --quiet.
 */
import type { Ora } from 'ora';
import { usableTerminal } from './terminal.js';

export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

/** @example const p = createProgress({ quiet }); p.update('1,000 events'); p.done('wrote events.parquet') */
export function createProgress(opts: { quiet?: boolean; intervalMs?: number } = {}): Progress {
  if (opts.quiet) return { update() {}, done() {} };
  if (usableTerminal(process.stderr)) {
    // ora (and chalk, cli-spinners…) is loaded only here: importing it costs ~50 ms of CPU, which every run
    // in a pipe, a log or with --quiet would pay for nothing (docs/perf/simulate-grid.md). The spinner
    // starts with the latest text once loaded; a run that ends first prints its last line plainly.
    let spinner: Ora | null = null, latest = '', finished = false;
    void import('ora').then(({ default: ora }) => {
      if (!finished) spinner = ora({ stream: process.stderr, text: latest }).start();
    });
    return {
      update: (text) => {
        latest = text;
        if (spinner) spinner.text = text;
      },
      done: (text) => {
        finished = true;
        if (spinner) {
          if (text) spinner.succeed(text);
          else spinner.stop();
        } else if (text) process.stderr.write(`${text}\n`);
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
