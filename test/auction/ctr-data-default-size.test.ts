// `phantom auction --ctr-data` on a table of the documented default size (--impressions 200000, the help
// example): the 80/20 split once spread ~10^5 row indices into Array.push and overflowed the call stack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { phantom } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-ctr-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('phantom auction --ctr-data at the default impressions count', () => {
  it('trains on 200,000 generated impressions and exits 0', () => {
    const file = join(dir, 'impressions.csv');
    const w = phantom(['auction', '--write-impressions', file, '-q']);
    expect(w.code, w.stderr).toBe(0);
    const r = phantom(['auction', '--ctr-data', file, '-n', '2000', '--seeds', '1', '--json', '-o', join(dir, 'out'), '--no-plot', '--workers', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/internal error/);
    const ctr = (JSON.parse(r.stdout) as { ctr: { rows: { train: number; stopping: number; test: number } } }).ctr;
    expect(ctr.rows.train + ctr.rows.stopping + ctr.rows.test).toBe(200_000);
    expect(ctr.rows.test).toBe(40_000);
  }, 180_000);
});
