// Every docs/features.md / Appendix A definition against the independent pandas implementation
// (test/oracles/features.py → test/golden/features*.json): counts exact, floats to 1e-9 relative.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLabels, computeSessionFeatures, loadExperimentLabels, loadFeatureInput, loadPriceLogs, type FeatureSetName, type SessionTable } from '../../src/features/index.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface GoldenCase {
  name: string;
  input: string;
  options: { featureSet: FeatureSetName; timeoutSec: number; experimentsFrom?: string; priceLogs?: string; fillMissing?: number };
  columns: string[];
  rows: Record<string, (number | string | boolean | null)[]>;
}

function load(file: string): { versions: Record<string, string>; cases: GoldenCase[] } {
  return JSON.parse(readFileSync(resolve(ROOT, 'test/golden', file), 'utf8'));
}

export async function runCase(c: GoldenCase): Promise<SessionTable> {
  const { events } = await loadFeatureInput(resolve(ROOT, c.input), c.options.featureSet === 'original');
  const experiments = c.options.experimentsFrom ? await loadExperimentLabels(resolve(ROOT, c.options.experimentsFrom)) : null;
  applyLabels(events, { experiments, label: null });
  const priceLogs = c.options.priceLogs ? await loadPriceLogs(resolve(ROOT, c.options.priceLogs)) : null;
  return computeSessionFeatures(events, { featureSet: c.options.featureSet, timeoutSec: c.options.timeoutSec, fillMissing: c.options.fillMissing ?? null, priceLogs }).table;
}

/** Compare one session's values; returns the mismatches (empty when all agree). */
function mismatches(t: SessionTable, s: number, c: GoldenCase, expected: (number | string | boolean | null)[]): string[] {
  const bad: string[] = [];
  const flag = (x: number): boolean | null => (x < 0 ? null : x === 1);
  const at = (name: string): number => c.columns.indexOf(name);
  if (t.experimentIds[s] !== expected[at('experimentId')]) bad.push(`experimentId ${t.experimentIds[s]} vs ${expected[at('experimentId')]}`);
  if (flag(t.isAgent[s]!) !== expected[at('is_agent')]) bad.push(`is_agent ${t.isAgent[s]} vs ${expected[at('is_agent')]}`);
  if (flag(t.purchased[s]!) !== expected[at('purchased')]) bad.push(`purchased ${t.purchased[s]} vs ${expected[at('purchased')]}`);
  for (const f of t.features) {
    const want = expected[at(f.name)];
    if (f.dtype === 'category') {
      const col = t.categories[f.name]!;
      if (col.dict[col.codes[s]!] !== want) bad.push(`${f.name} ${col.dict[col.codes[s]!]} vs ${want}`);
      continue;
    }
    const got = t.columns[f.name]![s]!;
    if (want === null) {
      if (!Number.isNaN(got)) bad.push(`${f.name} ${got} vs null`);
    } else if (f.dtype !== 'float') {
      if (got !== Number(want)) bad.push(`${f.name} ${got} vs ${want} (exact)`);
    } else if (!(Math.abs(got - Number(want)) <= Math.max(1e-9 * Math.abs(Number(want)), 1e-12))) {
      bad.push(`${f.name} ${got} vs ${want}`);
    }
  }
  return bad;
}

for (const file of ['features.json', 'features-edge.json']) {
  const golden = load(file);
  describe(`golden ${file} (pandas ${golden.versions['pandas']})`, () => {
    for (const c of golden.cases) {
      it(c.name, async () => {
        const t = await runCase(c);
        expect(['experimentId', 'is_agent', 'purchased', ...t.features.map((f) => f.name)]).toEqual(c.columns);
        expect([...t.sessionIds].sort()).toEqual(Object.keys(c.rows).sort());
        const problems: string[] = [];
        t.sessionIds.forEach((id, s) => {
          for (const m of mismatches(t, s, c, c.rows[id]!)) problems.push(`${id}: ${m}`);
        });
        expect(problems.slice(0, 20)).toEqual([]);
      });
    }
  });
}
