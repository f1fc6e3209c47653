// `--format table|csv|tsv|markdown|json` for printed tables (issue 17, build 6): the same rows, readable
// by other tools, numbers unrounded.
import { afterEach, describe, expect, it } from 'vitest';
import { renderKeyValues, renderTable, setTableFormat } from '../../src/report/table.js';
import { phantom } from '../support/cli.js';

afterEach(() => setTableFormat('table'));
const head = ['group', 'n', 'mean'], rows = [['human, all', 206, -0.46612345], ['agent "x"', 83, null]];

describe('printed table formats', () => {
  it('csv quotes fields with commas or quotes and keeps full precision', () => {
    setTableFormat('csv');
    expect(renderTable(head, rows)).toBe('group,n,mean\n"human, all",206,-0.46612345\n"agent ""x""",83,');
  });
  it('tsv, markdown and json lines', () => {
    setTableFormat('tsv');
    expect(renderTable(head, rows)).toBe('group\tn\tmean\nhuman, all\t206\t-0.46612345\nagent "x"\t83\t');
    setTableFormat('markdown');
    expect(renderTable(head, rows)).toBe('| group | n | mean |\n|---|---|---|\n| human, all | 206 | -0.46612345 |\n| agent "x" | 83 |  |');
    setTableFormat('json');
    expect(renderTable(head, rows).split('\n').map((l) => JSON.parse(l))).toEqual([{ group: 'human, all', n: 206, mean: -0.46612345 }, { group: 'agent "x"', n: 83, mean: null }]);
    expect(JSON.parse(renderKeyValues([['p', 1e-30]]))).toEqual({ key: 'p', value: 1e-30 });
  });
});

describe('phantom kernels --format tsv', () => {
  it('prints the tables as tab-separated values', () => {
    const r = phantom(['kernels', 'fixtures/events.parquet', '--bootstrap', '0', '--format', 'tsv', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('class\tsessions\ttransitions');
    expect(lines[1]).toMatch(/^human\t210\t\d+$/);
    expect(r.stdout).toContain('from \\ to\t<end>');
    expect(r.stdout).not.toMatch(/ {3,}/); // no column padding
  });
});
