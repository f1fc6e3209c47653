// `phantom pipeline` on the bundled access-log fixture (fixtures/access.config.json): every stage runs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { phantom } from '../support/cli.js';

describe('pipeline on fixtures/access.log', () => {
  it('exports, labels, featurises and classifies the bundled access log', () => {
    const out = mkdtempSync(join(tmpdir(), 'phantom-access-pipe-'));
    const r = phantom(['pipeline', '--config', 'fixtures/access.config.json', '--out', out, '--json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { export: { recordsWritten: number; deadLettered: { total: number } }; headline: { sessions: { value: number; agent: number; unlabelled: number }; rocAuc: { value: number } } };
    expect(s.export).toMatchObject({ recordsWritten: 6636, deadLettered: { total: 0 } });
    expect(s.headline.sessions).toMatchObject({ value: 160, agent: 48, unlabelled: 0 });
    expect(s.headline.rocAuc.value).toBeGreaterThan(0.9);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const printed = phantom(['pipeline', '--config', 'fixtures/access.config.json', '--print-config']);
    expect(printed.stdout).toMatch(/"sessions": "fixtures\/access-labels.csv"/);
  }, 180_000);
});
