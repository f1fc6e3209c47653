// `phantom generate --format access-log` as a library: deterministic, assets for humans and browser
// agents, none for plain HTTP agents, one labels row per session (docs/access-logs.md).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFormat } from '../../src/access-log/format.js';
import { resolveZone } from '../../src/access-log/log-time.js';
import { LineParser } from '../../src/access-log/parse-line.js';
import { generateAccessLog } from '../../src/generate/access-log.js';
import { loadProfile } from '../../src/generate/profile.js';

describe('generateAccessLog', () => {
  it('writes the same bytes for the same seed, and a log that parses completely', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-genlog-'));
    const o = { sessions: 60, agentShare: 0.4, seed: 3, startMs: Date.UTC(2025, 0, 6), spanDays: 2, products: null, sessionsPerExperiment: 1, labels: true, profiles: { human: await loadProfile('human'), agent: await loadProfile('agent') } };
    const a = await generateAccessLog(o, join(dir, 'a.log'), join(dir, 'a.csv'));
    await generateAccessLog(o, join(dir, 'b.log'), join(dir, 'b.csv'));
    expect(readFileSync(join(dir, 'a.log'))).toEqual(readFileSync(join(dir, 'b.log')));
    expect(readFileSync(join(dir, 'a.csv'))).toEqual(readFileSync(join(dir, 'b.csv')));
    const lines = readFileSync(join(dir, 'a.log'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(a.lines);
    const parser = new LineParser(compileFormat('combined'), null, resolveZone('UTC'));
    const parsed = lines.map((l) => parser.parse(l));
    expect(parsed.filter((r) => !r.ok)).toEqual([]);
    // time order at second resolution
    const ts = parsed.map((r) => (r.ok ? Math.floor(r.request.ts / 1000) : 0));
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1]!);
    // assets by kind of visitor
    const labels = readFileSync(join(dir, 'a.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
    expect(labels).toHaveLength(60);
    const kindOf = new Map(labels.map((l) => [l[0]!, l[l.length - 1]!]));
    const assets = new Map<string, number>();
    for (const r of parsed) if (r.ok && r.request.path!.startsWith('/static/')) assets.set(r.request.client!, (assets.get(r.request.client!) ?? 0) + 1);
    for (const [client, kind] of kindOf) {
      if (kind === 'agent-http') expect(assets.get(client) ?? 0, client).toBe(0);
      else expect(assets.get(client) ?? 0, `${client} ${kind}`).toBeGreaterThan(0);
    }
    expect([...kindOf.values()].filter((k) => k === 'human')).toHaveLength(60 - a.agentSessions);
  });
});
