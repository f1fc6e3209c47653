// The bad-input matrix (issue 17, must show 1): every command, given the wrong kind of file, an empty,
// garbage, truncated or bit-flipped Parquet file (small, and large enough for the read-ahead path), an
// uncreatable or unwritable path, a busy port, a bad URL or conflicting flags, exits with its documented
// code and one line naming the problem: no stack trace, no partial or replaced output, bounded time.
// The real binary runs every case; cases run in parallel (a few at a time) to keep the matrix fast.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

const CASE_LIMIT_MS = 30_000;
const PARALLEL = 4;

interface Case {
  name: string;
  args: string[];
  code: number;
  /** the last stderr line must match */
  message: RegExp;
  /** files that must not exist afterwards */
  absent?: string[];
  /** files that must be byte-identical afterwards */
  unchanged?: string[];
  /** corruption that a decoder may not detect: exit 0 is then also accepted (never 1, never a stack) */
  mayDecode?: boolean;
}

interface Outcome { code: number | null; stderr: string; ms: number; snapshot: Map<string, Buffer | null> }

const dir = mkdtempSync(join(tmpdir(), 'phantom-bad-input-'));
let busy: Server | null = null;
let busyPort = 0;
let readOnly: string | null = null;
const BUSY = '{busy-port}';
const READ_ONLY = join(dir, 'ro');
const p = (name: string) => join(dir, name);

function run(c: Case): Promise<Outcome> {
  const snapshot = new Map<string, Buffer | null>();
  for (const f of c.unchanged ?? []) snapshot.set(f, existsSync(f) ? readFileSync(f) : null);
  const t0 = Date.now();
  return new Promise((done) => {
    const args = c.args.map((a) => a.replace(BUSY, String(busyPort)));
    if (c.args.some((a) => a.startsWith(READ_ONLY)) && readOnly === null) return done({ code: null, stderr: 'skipped', ms: 0, snapshot });
    const child = spawn(process.execPath, [resolve(ROOT, 'bin/phantom.js'), ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), CASE_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr, ms: Date.now() - t0, snapshot });
    });
  });
}

async function runAll(cases: Case[]): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  let next = 0;
  const lane = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      out.set(c.name, await run(c));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  return out;
}

/** Flip 16 bytes at `fraction` of the file. */
function flipped(src: string, dst: string, fraction: number): string {
  const b = readFileSync(src);
  const at = Math.floor(b.length * fraction);
  for (let i = 0; i < 16; i++) b[at + i]! ^= 0xff;
  writeFileSync(dst, b);
  return dst;
}

/** Make fixture files with the binary, in parallel; any failure stops the suite. */
async function fixtures(steps: string[][]): Promise<void> {
  const results = await Promise.all(steps.map((args) => run({ name: args[0]!, args, code: 0, message: /$/ })));
  results.forEach((r, i) => {
    if (r.code !== 0) throw new Error(`fixture step phantom ${steps[i]!.join(' ')} failed: ${r.stderr}`);
  });
}

function cases(): Case[] {
  const ev = p('events.parquet'), ses = p('sessions.parquet'), model = p('model.json'), kern = p('kernels.json');
  const keep = p('keep.parquet');
  const FILE_KINDS = /is (a sessions table|an events table|a classifier model|a kernels file|raw event records)[^;]*; .* (needs|must be) /;
  const UNREADABLE = /is not a readable Parquet file/;
  const list: Case[] = [
    // the wrong kind of file
    { name: 'kernels ← sessions table', args: ['kernels', ses, '-o', p('k-out.json')], code: 2, message: /sessions\.parquet is a sessions table .*made by phantom features; kernels needs an events table/, absent: [p('k-out.json')] },
    { name: 'clusters ← sessions table', args: ['clusters', ses, '-o', p('c-out.parquet')], code: 2, message: /sessions\.parquet is a sessions table .*made by phantom features; clusters needs an events table/, absent: [p('c-out.parquet')] },
    { name: 'separability ← sessions table', args: ['separability', ses], code: 2, message: FILE_KINDS },
    { name: 'features ← sessions table', args: ['features', ses, '-o', p('f-out.parquet')], code: 2, message: /is a sessions table.*features needs an events table/, absent: [p('f-out.parquet')] },
    { name: 'features ← model', args: ['features', model, '-o', p('f-out.parquet')], code: 2, message: /is a classifier model/, absent: [p('f-out.parquet')] },
    { name: 'train-classifier ← events table', args: ['train-classifier', ev, '-o', p('m-out.json')], code: 2, message: /events\.parquet is an events table .*train-classifier needs a sessions table \(made by phantom features\)/, absent: [p('m-out.json')] },
    { name: 'train-classifier ← repeated session ids', args: ['train-classifier', p('sessions-twice.csv'), '-o', p('m-out.json')], code: 2, message: /repeats session ids \(300 repeated rows/, absent: [p('m-out.json')] },
    { name: 'evaluate ← repeated session ids', args: ['evaluate', model, p('sessions-twice.csv')], code: 2, message: /repeats session ids/ },
    { name: 'evaluate ← arguments swapped', args: ['evaluate', ses, model], code: 2, message: /sessions\.parquet is a sessions table.*evaluate's <model> must be a classifier model/ },
    { name: 'predict ← kernels as model', args: ['predict', kern, ses, '-o', p('s-out.parquet')], code: 2, message: /kernels\.json is a kernels file.*predict's <model> must be a classifier model/, absent: [p('s-out.parquet')] },
    { name: 'predict ← events as sessions', args: ['predict', model, ev, '-o', p('s-out.parquet')], code: 2, message: /is an events table/, absent: [p('s-out.parquet')] },
    { name: 'distill ← sessions as model', args: ['distill', ses, ses, '-o', p('r-out.json')], code: 2, message: /distill's model must be a classifier model/, absent: [p('r-out.json')] },
    { name: 'separability --kernels ← model', args: ['separability', ev, '--kernels', model], code: 2, message: /model\.json is a classifier model.*--kernels must be a kernels file \(made by phantom kernels -o\)/ },
    { name: 'simulate --kernels ← sessions', args: ['simulate', '--kernels', ses, '-o', p('sim-out')], code: 2, message: /--kernels must be a kernels file/, absent: [p('sim-out')] },
    { name: 'serve --model ← kernels', args: ['serve', '--model', kern, '--port', '0'], code: 2, message: /--model must be a classifier model/ },
    { name: 'export --from file ← sessions', args: ['export', '--from', 'file', ses, '-o', p('x-out.parquet')], code: 2, message: /is a sessions table/, absent: [p('x-out.parquet')] },
    // empty, garbage, truncated, bit-flipped Parquet
    { name: 'features ← empty', args: ['features', p('empty.parquet'), '-o', p('f-out.parquet')], code: 2, message: /empty\.parquet is empty/, absent: [p('f-out.parquet')] },
    { name: 'kernels ← garbage Parquet', args: ['kernels', p('garbage.parquet')], code: 2, message: /garbage\.parquet is not a readable Parquet file \(no Parquet header/ },
    { name: 'train-classifier ← garbage Parquet', args: ['train-classifier', p('garbage.parquet'), '-o', p('m-out.json')], code: 2, message: UNREADABLE, absent: [p('m-out.json')] },
    { name: 'features ← truncated small', args: ['features', p('trunc-small.parquet'), '-o', p('f-out.parquet')], code: 2, message: /trunc-small\.parquet is not a readable Parquet file \(truncated/, absent: [p('f-out.parquet')] },
    { name: 'features ← truncated large', args: ['features', p('trunc-big.parquet'), '-o', p('f-out.parquet')], code: 2, message: /truncated/, absent: [p('f-out.parquet')] },
    { name: 'evaluate ← truncated sessions', args: ['evaluate', model, p('trunc-sessions.parquet')], code: 2, message: /truncated/ },
    { name: 'features ← flipped small 0.1', args: ['features', p('flip-small-0.1.parquet'), '-o', p('f-out.parquet')], code: 2, message: /flip-small-0\.1\.parquet is not a readable Parquet file \(decoding failed/, absent: [p('f-out.parquet')] },
    { name: 'features ← flipped small 0.7', args: ['features', p('flip-small-0.7.parquet'), '-o', p('f-out.parquet')], code: 2, message: UNREADABLE, absent: [p('f-out.parquet')] },
    { name: 'features ← flipped large 0.1 (read-ahead)', args: ['features', p('flip-big-0.1.parquet'), '-o', p('f-out.parquet')], code: 2, message: /flip-big-0\.1\.parquet is not a readable Parquet file/, absent: [p('f-out.parquet')] },
    { name: 'kernels ← flipped small 0.1', args: ['kernels', p('flip-small-0.1.parquet'), '--bootstrap', '0'], code: 2, message: UNREADABLE },
    { name: 'kernels ← flipped large 0.7', args: ['kernels', p('flip-big-0.7.parquet'), '--bootstrap', '0'], code: 2, message: UNREADABLE },
    { name: 'features ← flipped small 0.5', args: ['features', p('flip-small-0.5.parquet'), '-o', p('f-out2.parquet')], code: 2, message: UNREADABLE, mayDecode: true },
    { name: 'kernels ← garbage JSON', args: ['kernels', p('garbage.json')], code: 2, message: /garbage\.json is a file of no kind phantom reads/ },
    // nothing usable: exit 3, the existing output stays
    { name: 'features ← all records rejected', args: ['features', p('garbage.jsonl'), '-o', keep], code: 3, message: /no sessions: all 2 records were rejected; nothing written/, unchanged: [keep] },
    { name: 'export ← all records rejected', args: ['export', '--from', 'file', p('garbage.jsonl'), '-o', keep], code: 3, message: /no sessions: all 2 records were rejected, see the dead-letter file .*keep\.dead-letter\.jsonl/, unchanged: [keep] },
    { name: 'kernels ← all records rejected', args: ['kernels', p('garbage.jsonl'), '-o', p('k-out.json')], code: 3, message: /no sessions: all 2 records were rejected/, absent: [p('k-out.json')] },
    // paths that cannot be created or written
    ...(['features', 'export'] as const).flatMap((cmd): Case[] => {
      const input = cmd === 'features' ? [ev] : ['--from', 'file', p('events.jsonl')];
      return [
        { name: `${cmd} -o /proc/x.parquet`, args: [cmd === 'export' ? 'export' : cmd, ...input, '-o', '/proc/x.parquet'], code: 2, message: /cannot write -o \/proc\/x\.parquet/ },
        { name: `${cmd} -o /proc/x/y.parquet`, args: [cmd, ...input, '-o', '/proc/x/y.parquet'], code: 2, message: /cannot create folder \/proc\/x/ },
        { name: `${cmd} -o under a file`, args: [cmd, ...input, '-o', p('afile/out.parquet')], code: 2, message: /afile is a file, not a folder/ },
      ];
    }),
    { name: 'export -o /proc/x (folder)', args: ['export', '--from', 'file', p('events.jsonl'), '-o', '/proc/x'], code: 2, message: /cannot create folder \/proc\/x/ },
    { name: 'features -o an existing folder', args: ['features', ev, '-o', p('adir')], code: 2, message: /adir: is a folder; give a file name/ },
    { name: 'kernels --plot /proc/x', args: ['kernels', ev, '--plot', '/proc/x'], code: 2, message: /--plot \/proc\/x: cannot create folder/ },
    { name: 'separability -o /proc/x.parquet', args: ['separability', ev, '-o', '/proc/x.parquet'], code: 2, message: /cannot write -o \/proc\/x\.parquet/ },
    { name: 'evaluate --plot /proc/x', args: ['evaluate', model, ses, '--plot', '/proc/x'], code: 2, message: /--plot \/proc\/x: cannot create folder/ },
    { name: 'train-classifier -o /proc/m.json', args: ['train-classifier', ses, '-o', '/proc/m.json'], code: 2, message: /cannot write -o \/proc\/m\.json/ },
    { name: 'predict -o /proc/s.parquet', args: ['predict', model, ses, '-o', '/proc/s.parquet'], code: 2, message: /cannot write -o \/proc\/s\.parquet/ },
    { name: 'distill -o /proc/r.json', args: ['distill', model, ses, '-o', '/proc/r.json'], code: 2, message: /cannot write -o \/proc\/r\.json/ },
    { name: 'simulate -o /proc/x', args: ['simulate', '-o', '/proc/x', '--seeds', '1', '--steps', '2'], code: 2, message: /-o \/proc\/x: cannot create folder/ },
    { name: 'pipeline -o /proc/x', args: ['pipeline', '-o', '/proc/x', '-q'], code: 2, message: /cannot create folder \/proc\/x/ },
    { name: 'generate -o /proc/x.parquet', args: ['generate', '-n', '5', '-o', '/proc/x.parquet'], code: 2, message: /cannot write -o \/proc\/x\.parquet/ },
    { name: 'generate --experiments-out under a file', args: ['generate', '-n', '5', '-o', p('g-out.parquet'), '--experiments-out', p('afile/x.csv')], code: 2, message: /afile is a file, not a folder/, absent: [p('g-out.parquet')] },
    // bad URLs, busy port, conflicting flags
    { name: 'serve --redis notaurl', args: ['serve', '--redis', 'notaurl', '--port', '0'], code: 2, message: /--redis: environment variable notaurl is not set or is empty/ },
    { name: 'serve --redis http://…', args: ['serve', '--redis', 'http://127.0.0.1:6379', '--port', '0'], code: 2, message: /--redis: give a redis:\/\/host:port URL/ },
    { name: 'serve --port busy', args: ['serve', '--host', '127.0.0.1', '--port', BUSY], code: 2, message: /--port (\d+): 127\.0\.0\.1:\1 is already in use/ },
    { name: 'export --from file … --brokers', args: ['export', '--from', 'file', p('events.jsonl'), '-o', p('x-out.parquet'), '--brokers', '127.0.0.1:9'], code: 2, message: /--brokers does not apply with --from file/, absent: [p('x-out.parquet')] },
    { name: 'export --from kafka … --database-url', args: ['export', '--from', 'kafka', '--brokers', '127.0.0.1:9', '--database-url', 'postgres://127.0.0.1/x', '-o', p('x-out.parquet')], code: 2, message: /--database-url does not apply with --from kafka/, absent: [p('x-out.parquet')] },
    { name: 'separability --kernels … --smoothing 2', args: ['separability', ev, '--kernels', kern, '--smoothing', '2'], code: 2, message: /--smoothing conflicts with .*kernels\.json \(fitted with smoothing 0\.5\)/ },
  ];
  list.push(
    { name: 'features -o read-only folder', args: ['features', ev, '-o', join(READ_ONLY, 'x.parquet')], code: 2, message: /cannot write -o .*: read-only file system \(EROFS\)/ },
    { name: 'kernels --plot read-only folder', args: ['kernels', ev, '--plot', join(READ_ONLY, 'plots')], code: 2, message: /read-only file system/ },
  );
  return list;
}

let outcomes = new Map<string, Outcome>();
const matrix: Case[] = cases();

beforeAll(async () => {
  copyFileSync(join(ROOT, 'fixtures/events.parquet'), p('events.parquet'));
  copyFileSync(join(ROOT, 'fixtures/events.jsonl'), p('events.jsonl'));
  await fixtures([
    ['features', p('events.parquet'), '-o', p('sessions.parquet'), '-q'],
    ['features', p('events.parquet'), '-o', p('sessions.csv'), '-q'],
    ['kernels', p('events.parquet'), '--bootstrap', '0', '-o', p('kernels.json'), '-q'],
    // > 300k rows: features decodes it on the read-ahead thread
    ['generate', '-n', '26000', '--seed', '42', '-o', p('big.parquet'), '-q'],
  ]);
  await fixtures([['train-classifier', p('sessions.parquet'), '-o', p('model.json'), '--cv', '0', '-q']]);
  const csv = readFileSync(p('sessions.csv'), 'utf8').trimEnd().split('\n');
  writeFileSync(p('sessions-twice.csv'), `${[...csv, ...csv.slice(1)].join('\n')}\n`);
  copyFileSync(p('sessions.parquet'), p('keep.parquet'));
  writeFileSync(p('empty.parquet'), '');
  writeFileSync(p('garbage.parquet'), 'this is not parquet at all\n'.repeat(20));
  writeFileSync(p('garbage.json'), 'not json, not events\n');
  writeFileSync(p('garbage.jsonl'), 'garbage\n{"half": \n');
  writeFileSync(p('afile'), 'a file where a folder must be\n');
  mkdirSync(p('adir'));
  for (const [src, dst] of [['events.parquet', 'trunc-small.parquet'], ['big.parquet', 'trunc-big.parquet'], ['sessions.parquet', 'trunc-sessions.parquet']] as const) {
    const b = readFileSync(p(src));
    writeFileSync(p(dst), b.subarray(0, Math.floor(b.length / 2)));
  }
  for (const f of [0.1, 0.5, 0.7]) flipped(p('events.parquet'), p(`flip-small-${f}.parquet`), f);
  for (const f of [0.1, 0.7]) flipped(p('big.parquet'), p(`flip-big-${f}.parquet`), f);
  mkdirSync(READ_ONLY);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', READ_ONLY]).status === 0) readOnly = READ_ONLY;
  else console.log('read-only folder cases skipped: mounting a read-only tmpfs needs root (run as root, e.g. in CI, to include them)');
  busy = createServer();
  await new Promise<void>((r) => busy!.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
  outcomes = await runAll(matrix);
  if (process.env['PHANTOM_MATRIX_TIMES']) writeFileSync(process.env['PHANTOM_MATRIX_TIMES'], JSON.stringify([...outcomes].map(([k, o]) => [k, o.ms, o.code]), null, 1));
}, 240_000);

afterAll(() => {
  busy?.close();
  if (readOnly !== null) spawnSync('umount', [readOnly]);
  rmSync(dir, { recursive: true, force: true });
});

describe('bad-input matrix: every command refuses in one line, bounded, without touching outputs', () => {
  it('runs every case', () => {
    expect(matrix.length).toBeGreaterThanOrEqual(50);
    expect(outcomes.size).toBe(matrix.length);
  });

  it.each(matrix)('$name', (c) => {
    const o = outcomes.get(c.name)!;
    if (o.stderr === 'skipped') return; // read-only mount unavailable (said once above)
    const label = `${c.name}: phantom ${c.args.map((a) => a.replace(dir, '…')).join(' ')}\n${o.stderr}`;
    expect(o.ms, label).toBeLessThan(CASE_LIMIT_MS);
    expect(o.stderr, label).not.toMatch(/internal error|\n\s+at |RuntimeError|wasm:\/\//);
    if (c.mayDecode && o.code === 0) return; // undetectable corruption: decoded, no crash
    expect(o.code, label).toBe(c.code);
    const lines = o.stderr.trimEnd().split('\n');
    const last = lines[lines.length - 1]!;
    expect(last, label).toMatch(new RegExp(`^phantom ${c.args[0]}: `));
    expect(last, label).toMatch(c.message);
    // one line of error: anything before it is a warning line
    for (const l of lines.slice(0, -1)) expect(l, label).toMatch(/^warning: /);
    for (const f of c.absent ?? []) expect(existsSync(f), `${label}\n${f} was written`).toBe(false);
    for (const [f, before] of o.snapshot) expect(existsSync(f) ? readFileSync(f).equals(before!) : before === null, `${label}\n${f} was replaced`).toBe(true);
  });

  it('leaves no temporary files behind', () => {
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-') || f.startsWith('.phantom-probe'))).toEqual([]);
  });
});
