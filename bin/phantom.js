#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli.js (built by `npm run build`, run by `npm ci` via `prepare`).
import { main } from '../dist/cli.js';

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`phantom: internal error: ${err?.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
