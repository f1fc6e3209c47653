// The wrong-input sweep of docs/checks/wrong-input.md, as a regression test: each case is one the sweep found
// exiting 0, hanging, printing several lines or raw bytes, naming the wrong path, or doing the work before
// refusing its output. The real binary runs every case: the documented exit code, one line
// `phantom <command>: …` naming the input and the problem, no stack, within a bound, outputs untouched.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostTag } from '../../src/io/atomic.js';
import { phantom, ROOT } from '../support/cli.js';

const LIMIT_MS = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'phantom-wrong-input-'));
const p = (name: string) => join(dir, name);

interface Case {
  name: string;
  args: string[];
  code: number;
  /** the one stderr line must match */
  message: RegExp;
  /** files that must not exist afterwards */
  absent?: string[];
  /** files that must be byte-identical afterwards */
  unchanged?: string[];
}

interface Outcome { code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }

function run(args: string[], signalAfterMs?: number): Promise<Outcome> {
  const t0 = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bin/phantom.js'), ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const kill = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    const interrupt = signalAfterMs === undefined ? null : setTimeout(() => child.kill('SIGINT'), signalAfterMs);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      if (interrupt !== null) clearTimeout(interrupt);
      done({ code, signal, stderr, ms: Date.now() - t0 });
    });
  });
}

const CASES: Case[] = [
  // auction: outputs are checked before any work, with the bounded folder routine (-o /proc/x used to hang)
  { name: 'auction -o /proc/x', args: ['auction', '-o', '/proc/x', '--seeds', '1', '-n', '1000'], code: 2, message: /-o \/proc\/x: cannot create folder \/proc\/x/ },
  { name: 'auction -o under a file', args: ['auction', '-o', 'afile/x', '--seeds', '1'], code: 2, message: /-o afile\/x: cannot create folder afile\/x: .*\/afile is a file, not a folder/ },
  { name: 'auction --write-impressions /proc/x/y.csv', args: ['auction', '--write-impressions', '/proc/x/y.csv'], code: 2, message: /--write-impressions \/proc\/x\/y\.csv: cannot create folder \/proc\/x/ },
  // auction's model and data inputs: named by kind, in one line
  { name: 'auction --ctr-model ← kernels', args: ['auction', '--ctr-model', 'kernels.json'], code: 2, message: /--ctr-model kernels\.json is a kernels file, made by phantom kernels -o; give a CTR model: XGBoost JSON/ },
  { name: 'auction --ctr-model ← sessions table', args: ['auction', '--ctr-model', 'sessions.parquet'], code: 2, message: /--ctr-model sessions\.parquet is a sessions table .*; give a CTR model/ },
  { name: 'auction --ctr-model ← empty', args: ['auction', '--ctr-model', 'empty.json'], code: 2, message: /--ctr-model empty\.json is an empty file; give a CTR model/ },
  { name: 'auction --ctr-model ← folder', args: ['auction', '--ctr-model', 'adir'], code: 2, message: /--ctr-model adir: is a folder; give a file$/ },
  { name: 'auction --ctr-data ← folder', args: ['auction', '--ctr-data', 'adir'], code: 2, message: /--ctr-data adir: is a folder; give a file$/ },
  { name: 'auction --ctr-data ← wrong header', args: ['auction', '--ctr-data', 'wrong-header.csv'], code: 2, message: /--ctr-data wrong-header\.csv: missing columns hour, banner_pos, .*\(Avazu-style columns, docs\/auction\.md\)$/ },
  { name: 'auction --config ← folder', args: ['auction', '--config', 'adir'], code: 2, message: /--config adir: is a folder; give a file$/ },
  // simulate's files
  { name: 'simulate --market ← folder', args: ['simulate', '--market', 'adir'], code: 2, message: /--market adir: is a folder; give a file$/ },
  { name: 'simulate --market ← missing', args: ['simulate', '--market', 'missing.json'], code: 2, message: /--market missing\.json: no such file$/ },
  { name: 'simulate --catalog ← folder', args: ['simulate', '--catalog', 'adir'], code: 2, message: /--catalog adir: is a folder; give a file$/ },
  { name: 'simulate --catalog ← missing', args: ['simulate', '--catalog', 'missing.csv'], code: 2, message: /--catalog missing\.csv: no such file$/ },
  { name: 'simulate --catalog ← binary', args: ['simulate', '--catalog', 'garbage.csv'], code: 2, message: /--catalog garbage\.csv: needs the columns id and base_price \(inventory optional\); found binary content, not a text table$/ },
  { name: 'simulate --catalog ← wrong header', args: ['simulate', '--catalog', 'wrong-header.csv'], code: 2, message: /--catalog wrong-header\.csv: needs the columns id and base_price \(inventory optional\); found a, b, c$/ },
  { name: 'simulate --catalog ← 12 bad rows', args: ['simulate', '--catalog', 'bad-rows.csv'], code: 2, message: /--catalog bad-rows\.csv: row 1: base price must be a positive number; .*row 5: base price must be a positive number; … 7 more$/ },
  // a binary file as a CSV is not echoed to the terminal
  { name: 'features --experiments-from ← binary', args: ['features', 'events.parquet', '--experiments-from', 'garbage.csv', '-o', 'f-out.parquet'], code: 2, message: /garbage\.csv: needs an id column and xp_human_only \(or is_agent\); found binary content, not a text table$/, absent: [p('f-out.parquet')] },
  // outputs checked before the work, named by their flag; a path under a file names that file
  { name: 'clusters -o under a file', args: ['clusters', 'events.parquet', '-o', 'afile/c.parquet'], code: 2, message: /-o afile\/c\.parquet: cannot create folder afile: .*\/afile is a file, not a folder/ },
  { name: 'clusters --plot /proc/x', args: ['clusters', 'events.parquet', '--plot', '/proc/x'], code: 2, message: /--plot \/proc\/x: cannot create folder \/proc\/x/ },
  { name: 'generate --labels-out under a file', args: ['generate', '-n', '5', '--format', 'access-log', '-o', 'g-out.log', '--labels-out', 'afile/l.csv'], code: 2, message: /--labels-out afile\/l\.csv: cannot create folder afile: .*\/afile is a file, not a folder/, absent: [p('g-out.log')] },
  { name: 'kernels --plot two levels under a file', args: ['kernels', 'events.parquet', '--plot', 'afile/x/y', '-o', 'keep.json'], code: 2, message: /--plot afile\/x\/y: cannot create folder afile\/x\/y: .*\/afile is a file, not a folder$/, unchanged: [p('keep.json')] },
  // the label hint names the current flag
  { name: 'train-classifier ← CSV without the label', args: ['train-classifier', 'wrong-header.csv', '-o', 'keep.json'], code: 2, message: /no label column 'is_agent' \(columns: a, b, c\); choose one with --label-column$/, unchanged: [p('keep.json')] },
];

const outcomes = new Map<string, Outcome>();
const snapshots = new Map<string, Map<string, Buffer>>();

beforeAll(async () => {
  copyFileSync(join(ROOT, 'fixtures/events.parquet'), p('events.parquet'));
  for (const args of [['features', p('events.parquet'), '-o', p('sessions.parquet'), '-q'], ['kernels', p('events.parquet'), '--bootstrap', '0', '-o', p('kernels.json'), '-q']]) {
    const r = phantom(args);
    if (r.code !== 0) throw new Error(`phantom ${args.join(' ')}: ${r.stderr}`);
  }
  copyFileSync(p('kernels.json'), p('keep.json'));
  writeFileSync(p('empty.json'), '');
  writeFileSync(p('garbage.csv'), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 256)));
  writeFileSync(p('wrong-header.csv'), 'a,b,c\n1,2,3\n');
  writeFileSync(p('bad-rows.csv'), `id,base_price\n${Array.from({ length: 12 }, (_, i) => `p${i},-1`).join('\n')}\n`);
  writeFileSync(p('afile'), 'a file where a folder must be\n');
  mkdirSync(p('adir'));
  const lanes = 2;
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < CASES.length) {
      const c = CASES[next++]!;
      snapshots.set(c.name, new Map((c.unchanged ?? []).map((f) => [f, readFileSync(f)])));
      outcomes.set(c.name, await run(c.args));
    }
  }));
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wrong input: one line, the documented code, bounded, outputs untouched', () => {
  it.each(CASES)('$name', (c) => {
    const o = outcomes.get(c.name)!;
    const label = `phantom ${c.args.join(' ')}\n${o.stderr}`;
    expect(o.ms, label).toBeLessThan(LIMIT_MS);
    expect(o.stderr, label).not.toMatch(/internal error|\n\s+at /);
    expect(o.code, label).toBe(c.code);
    const lines = o.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('warning: '));
    expect(lines, label).toHaveLength(1);
    expect(lines[0], label).toMatch(new RegExp(`^phantom ${c.args[0]}: `));
    expect(lines[0], label).toMatch(c.message);
    expect(lines[0], label).not.toMatch(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
    for (const f of c.absent ?? []) expect(existsSync(f), `${label}\n${f} was written`).toBe(false);
    for (const [f, before] of snapshots.get(c.name)!) expect(readFileSync(f).equals(before), `${label}\n${f} was replaced`).toBe(true);
  });
});

describe('export --labels keyed for another input', () => {
  it('exports, and warns that no session took a label from the file', async () => {
    copyFileSync(join(ROOT, 'fixtures/events.jsonl'), p('events.jsonl'));
    writeFileSync(p('other-labels.csv'), 'sessionId,label\nnot-a-session-here,agent\nnor-this-one,human\n');
    const r = await run(['export', '--from', 'file', 'events.jsonl', '--labels', 'other-labels.csv', '-o', 'x-out.parquet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: --labels other-labels\.csv: none of its 2 rows names a session of this input, so no session took a label from it; key it by this input's sessionId$/m);
    writeFileSync(p('labels-here.csv'), `sessionId,label\n${firstSession()},agent\n`);
    const good = await run(['export', '--from', 'file', 'events.jsonl', '--labels', 'labels-here.csv', '-o', 'x-out2.parquet']);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stderr).not.toMatch(/--labels/);
  });
});

/** The first session id of the fixture's events. */
function firstSession(): string {
  return (JSON.parse(readFileSync(p('events.jsonl'), 'utf8').split('\n')[0]!) as { sessionId: string }).sessionId;
}

describe('Ctrl-C', () => {
  it('exit 130, nothing under the final name, and the next run to that output removes what the interrupted one left', async () => {
    const out = p('int.parquet');
    const r = await run(['generate', '-n', '400000', '-o', out], 1200);
    expect(r.code === 130 || r.signal === 'SIGINT', r.stderr).toBe(true);
    expect(existsSync(out)).toBe(false);
    // a temporary file of a process that is gone (pid 2^22 + 1 is above Linux's pid_max default)
    const stale = p(`.int.parquet.tmp-${hostTag()}-4194305-0badf00d`);
    writeFileSync(stale, 'PAR1 half-written');
    const again = await run(['generate', '-n', '5', '-o', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('.int.parquet.tmp-'))).toEqual([]);
  }, 60_000);
});
