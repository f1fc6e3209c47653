// Fault injection for `phantom export` (the real binary): for each source (plain JSON and console
// envelopes through a real Kafka-protocol broker, PostgreSQL, files) and each layout (single file,
// directory, consumer group), runs are SIGKILLed and SIGTERMed at seeded random moments and made to
// fail with a real ENOSPC (the output on a small tmpfs, filled up), then run again until one ends well.
// Checked by a reader independent of phantom (hyparquet): every good record exactly once (by the
// `seq` it carries), every poison record dead-lettered exactly once with its reason, no temporary file
// or staged roll left. The seed is printed; replay with PHANTOM_FAULT_SEED=<seed>.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, type ExpectStatic, it } from 'vitest';
import { createRng, type Rng } from '../../src/stats/rng.js';
import { describeKafka, type KafkaMock, startKafkaMock } from '../support/kafka-mock.js';
import { describePostgres, startPostgres, type TestPostgres } from '../support/postgres.js';
import { ROOT } from '../support/cli.js';
import { startPhantom } from './helpers.js';

const SEED = Number(process.env.PHANTOM_FAULT_SEED ?? Math.floor(Math.random() * 1e9));
console.log(`fault-injection seed ${SEED} (replay: PHANTOM_FAULT_SEED=${SEED} npx vitest run test/export/fault-injection.test.ts)`);

const N = 2000; // good events per source
const BASE = Date.parse('2024-05-01T00:00:00Z');
const DEEP = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;

type Source = 'kafka-json' | 'kafka-envelope' | 'postgres' | 'files';
type Layout = 'file' | 'dir' | 'group';
/** it.concurrent.for, typed as it.for (vitest's types lose the test function on the concurrent chain) */
const concurrentFor = ((cases: readonly unknown[]) => it.concurrent.for(cases)) as unknown as typeof it.for;
type Fault = 'SIGKILL' | 'SIGTERM' | 'ENOSPC';

const goodEvent = (i: number): Record<string, unknown> => ({ sessionId: `s${i % 37}`, eventName: 'page_view', ts: BASE + i * 1000, metadata: { seq: i } });

/** Poison records as raw bytes, and the dead-letter reason each must get. */
const POISON: { bytes: Buffer; reason: string }[] = [
  { bytes: Buffer.from(`{"sessionId":"p","eventName":"page_view","ts":1,"metadata":${DEEP}}`), reason: 'too_deep' },
  { bytes: Buffer.from('{"sessionId":"p","eventName":"page_view","ts":-1e20}'), reason: 'bad_timestamp' },
  { bytes: Buffer.from('{"sessionId":"p","eventName":"page_view","ts":"99999999999999999"}'), reason: 'bad_timestamp' },
  { bytes: Buffer.from('{"sessionId":"p","eventName":"page_view","ts":1,"metadata":"not json"}'), reason: 'wrong_type:metadata' },
  { bytes: Buffer.from('{"sessionId":"p","eventName":"page_view","ts":1,"metadata":42}'), reason: 'wrong_type:metadata' },
  { bytes: Buffer.from('\uFEFF{"sessionId":"p","eventName":"page_view","ts":1}'), reason: 'invalid_json' },
  { bytes: Buffer.from([0xff, 0xfe, 0x7b, 0x80, 0x7d]), reason: 'invalid_utf8' }, // Kafka keeps bytes; a file line is decoded (invalid_json)
];

/** Good events with the poison records spread among them (seeded positions). */
function records(rng: Rng): { bytes: Buffer; poison: number }[] {
  const out: { bytes: Buffer; poison: number }[] = Array.from({ length: N }, (_, i) => ({ bytes: Buffer.from(JSON.stringify(goodEvent(i))), poison: -1 }));
  POISON.forEach((p, k) => out.splice(rng.int(out.length + 1), 0, { bytes: p.bytes, poison: k }));
  return out;
}

// ---- the output on a small tmpfs (real ENOSPC), else a plain folder without the ENOSPC step

interface Volume {
  dir: string;
  enospc: boolean;
  /** Fill the volume so only `free` bytes are left; `release` gives the space back. */
  fill(free: number): void;
  release(): void;
  close(): void;
}

function volume(): Volume {
  const dir = mkdtempSync(join(tmpdir(), 'phantom-faults-'));
  const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]).status === 0;
  const filler = join(dir, 'filler.bin');
  return {
    dir,
    enospc: mounted,
    fill(free) {
      const s = statfsSync(dir);
      writeFileSync(filler, Buffer.alloc(Math.max(0, s.bavail * s.bsize - free)));
    },
    release: () => rmSync(filler, { force: true }),
    close() {
      if (process.env.PHANTOM_FAULT_KEEP) return console.log(`kept ${dir}`);
      if (mounted) spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- checks by readers independent of phantom

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) walk(p, out);
  }
  return out;
}

async function seqsIn(files: string[]): Promise<number[]> {
  const seqs: number[] = [];
  for (const f of files) {
    const buf = readFileSync(f);
    const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, columns: ['metadata'], compressors });
    for (const r of rows) seqs.push((JSON.parse(r['metadata'] as string) as { seq: number }).seq);
  }
  return seqs;
}

async function verify(expect: ExpectStatic, vol: Volume, layout: Layout, expectedReasons: string[], what: string): Promise<void> {
  const all = walk(vol.dir).filter((p) => !p.endsWith('filler.bin'));
  const visible = all.filter((p) => !p.slice(vol.dir.length).split('/').some((part) => part.startsWith('.')));
  const parts = layout === 'file' ? visible.filter((p) => p.endsWith('events.parquet')) : visible.filter((p) => p.includes('/events/') && p.endsWith('.parquet'));
  const seqs = (await seqsIn(parts)).sort((a, b) => a - b);
  expect(seqs.length, `${what}: rows`).toBe(N);
  expect(seqs.every((s, i) => s === i), `${what}: every record exactly once`).toBe(true);
  const deadFiles = layout === 'file' ? visible.filter((p) => p.endsWith('.dead-letter.jsonl')) : visible.filter((p) => p.includes('/dead-letters/') && p.endsWith('.jsonl'));
  const dead = deadFiles.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { reason: string; value: unknown; value_base64?: string }));
  const reasons = dead.map((d) => d.reason);
  // the original bytes are kept: base64 when they are not UTF-8, the text (with its BOM) otherwise
  for (const d of dead.filter((x) => x.reason === 'invalid_utf8')) expect(d.value_base64).toBe(POISON[6]!.bytes.toString('base64'));
  for (const d of dead.filter((x) => x.reason === 'invalid_json' && typeof x.value === 'string' && x.value.startsWith('\uFEFF'))) expect(d.value).toBe(POISON[5]!.bytes.toString('utf8'));
  expect(reasons.sort(), `${what}: every dead letter once`).toEqual([...expectedReasons].sort());
  expect(all.filter((p) => p.includes('.tmp-')), `${what}: temporary files left`).toEqual([]);
  const staged = all.filter((p) => p.includes('/.staging/') && !/\/\.staging\/done-[0-9a-f]{32}\.json$/.test(p)); // completion notes stay
  expect(staged, `${what}: staged rolls left`).toEqual([]);
}

/** A run's exit, or a failure naming the run when it hangs (it is killed). */
async function bounded(run: ReturnType<typeof startPhantom>, ms = 40_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<null>((res) => (timer = setTimeout(() => res(null), ms)));
  const r = await Promise.race([run.exited, hung]);
  clearTimeout(timer);
  if (r !== null) return r;
  run.child.kill('SIGKILL');
  throw new Error(`phantom ${run.child.spawnargs.slice(2).join(' ')} did not end within ${ms} ms; stderr:\n${run.stderr().slice(-2000)}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Has the export begun writing (a staged roll or a temporary file that was not there before)? */
const writing = (dir: string, before: ReadonlySet<string>): boolean => walk(dir).some((p) => !before.has(p) && (p.includes('/.staging/roll-') || p.includes('.tmp-')));

// ---- one case: faulty runs in a seeded order, then clean runs until one ends well

async function runCase(expect: ExpectStatic, source: Source, layout: Layout, args: (out: string) => string[], expectedReasons: string[], rng: Rng): Promise<string> {
  const vol = volume();
  const out = layout === 'file' ? join(vol.dir, 'events.parquet') : join(vol.dir, 'out');
  const faults: Fault[] = ['SIGKILL', 'SIGTERM', 'ENOSPC'];
  for (let i = faults.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [faults[i], faults[j]] = [faults[j]!, faults[i]!];
  }
  const log: string[] = [];
  const oneShot = layout !== 'group';
  try {
    let done = false;
    for (const fault of faults) {
      if (done) break;
      if (fault === 'ENOSPC' && !vol.enospc) {
        log.push('ENOSPC skipped (no tmpfs: not root, or mount refused)');
        continue;
      }
      const free = 2_048 + rng.int(40_000);
      // mostly once the export writes (a staged roll or a temp file appears), sometimes at any moment from the start
      const afterWrite = rng.next() < 0.7;
      const delay = afterWrite ? rng.int(400) : 100 + rng.int(1500);
      if (fault === 'ENOSPC') vol.fill(free);
      const before = new Set(walk(vol.dir));
      const run = startPhantom(args(out));
      let exited = false;
      void run.exited.then(() => (exited = true));
      if (fault !== 'ENOSPC') {
        if (afterWrite) while (!exited && !writing(vol.dir, before)) await sleep(10);
        await sleep(delay);
        run.child.kill(fault);
      }
      const r = await bounded(run);
      if (fault === 'ENOSPC') vol.release();
      const outcome = r.signal ?? `exit ${r.code}`;
      log.push(`${fault}${fault === 'ENOSPC' ? `(${free} B free)` : `@${afterWrite ? 'write+' : ''}${delay}ms`} → ${outcome}`);
      expect(run.stderr(), `${source}/${layout} ${fault}: no stack trace`).not.toMatch(/\n\s+at .*\(/);
      if (fault === 'SIGTERM' && r.code === 143) {
        expect(run.stderr()).toMatch(/stopped by SIGTERM before the export finished: nothing was written under a final name/);
        if (layout === 'file') expect(existsSync(out)).toBe(false);
      }
      if (fault === 'SIGTERM' && !oneShot && r.code !== null) expect(r.code, run.stderr()).toBe(0); // a group export stops gracefully
      if (r.code === 0 && (oneShot || !/SIGTERM: stopping/.test(run.stderr()))) done = true;
    }
    for (let i = 0; !done && i < 4; i++) {
      const run = startPhantom(args(out));
      const r = await bounded(run);
      log.push(`clean → exit ${r.code}`);
      expect(r.code, `${source}/${layout} clean run: ${run.stderr()}`).toBe(0);
      done = true;
    }
    await verify(expect, vol, layout, expectedReasons, `${source}/${layout} [${log.join(', ')}]`);
    return `${source}/${layout}: ${log.join(', ')}`;
  } finally {
    vol.close();
  }
}

const caseRng = (name: string): Rng => {
  let h = SEED;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return createRng(h);
};

const fileReasons = POISON.map((p) => (p.reason === 'invalid_utf8' ? 'invalid_json' : p.reason));

describe('phantom export under faults: files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'phantom-faults-in-'));
  const input = join(dir, 'events.jsonl');
  writeFileSync(input, Buffer.concat(records(createRng(SEED)).flatMap((r) => [r.bytes, Buffer.from('\n')])));

  it('killed while publishing a one-shot directory export (after 3 of its rolls are in place): the next run undoes it, then exports once; a third adds nothing', async () => {
    const vol = volume();
    try {
      const out = join(vol.dir, 'out');
      const args = ['export', '--from', 'file', input, '-o', out, '--flush-records', '300'];
      const killed = startPhantom(args, { NODE_OPTIONS: `--import ${join(ROOT, 'test/support/export-fault-hooks.mjs')}`, PHANTOM_TEST_KILL_AFTER_RUN_ROLLS: '3' });
      expect((await bounded(killed)).signal).toBe('SIGKILL');
      const placed = walk(join(out, 'events')).filter((p) => p.endsWith('.parquet'));
      expect(placed.length).toBe(3); // a partial run is visible until the next run…
      expect(readdirSync(join(out, '.staging')).filter((n) => n.endsWith('.publishing')).length).toBe(1);
      const rerun = startPhantom(args);
      expect((await bounded(rerun)).code, rerun.stderr()).toBe(0);
      expect(rerun.stderr()).toMatch(/staging: undid 1 one-shot run\(s\) that died while publishing/);
      await verify(expect, vol, 'dir', fileReasons, 'files/dir killed while publishing'); // …which removes it
      // the completed export is noted: running it again (say after a kill that came just too late) adds nothing
      const again = startPhantom(args);
      expect((await bounded(again)).code, again.stderr()).toBe(0);
      expect(again.stderr()).toMatch(/this export already completed into .* nothing to do; export into a new directory to export again/);
      await verify(expect, vol, 'dir', fileReasons, 'files/dir run again');
    } finally {
      vol.close();
    }
  }, 60_000);

  it('a SIGTERM stops a one-shot single-file export with exit 143, a message saying so, and nothing under a final name', async () => {
    const big = join(dir, 'big-term.jsonl');
    writeFileSync(big, Array.from({ length: 300_000 }, (_, i) => `${JSON.stringify(goodEvent(i))}\n`).join('')); // seconds of reading
    const vol = volume();
    try {
      const out = join(vol.dir, 'events.parquet');
      const before = new Set(walk(vol.dir));
      const run = startPhantom(['export', '--from', 'file', big, '-o', out]);
      let exited = false;
      void run.exited.then(() => (exited = true));
      while (!exited && !writing(vol.dir, before)) await sleep(10);
      run.child.kill('SIGTERM');
      const r = await run.exited;
      expect(r.code, run.stderr()).toBe(143);
      expect(run.stderr()).toMatch(/SIGTERM: stopping; nothing will be written \(--drain would write the records read so far\)/);
      expect(run.stderr()).toMatch(/phantom export: stopped by SIGTERM before the export finished: nothing was written under a final name/);
      expect(walk(vol.dir)).toEqual([]); // no file, no temporary file
    } finally {
      vol.close();
    }
  }, 60_000);

  it('--drain: a SIGTERM makes a one-shot export write what it read so far (exit 0, stopped_by signal), once', async () => {
    const big = join(dir, 'big.jsonl');
    writeFileSync(big, Array.from({ length: 40_000 }, (_, i) => `${JSON.stringify(goodEvent(i))}\n`).join(''));
    const vol = volume();
    try {
      const out = join(vol.dir, 'out');
      const before = new Set(walk(vol.dir));
      const run = startPhantom(['export', '--from', 'file', big, '-o', out, '--flush-records', '2000', '--drain', '--json']);
      let exited = false;
      void run.exited.then(() => (exited = true));
      while (!exited && !writing(vol.dir, before)) await sleep(10);
      run.child.kill('SIGTERM');
      const r = await run.exited;
      expect(r.code, run.stderr()).toBe(0);
      const summary = JSON.parse(run.stdout()) as { stopped_by: string; records_written: number };
      expect(summary.stopped_by).toBe('signal');
      expect(run.stderr()).toMatch(/SIGTERM: stopping: finishing the current file/);
      expect(summary.records_written).toBeLessThan(40_000); // it stopped early…
      const seqs = (await seqsIn(walk(join(out, 'events')).filter((p) => p.endsWith('.parquet')))).sort((a, b) => a - b);
      expect(seqs.length).toBe(summary.records_written); // …and wrote what it read, each record once
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(walk(vol.dir).filter((p) => p.includes('.tmp-') || p.includes('/.staging/'))).toEqual([]);
    } finally {
      vol.close();
    }
  }, 60_000);

  concurrentFor<Layout>(['file', 'dir'])('files → %s: every record once, every dead letter once, no temp file', { timeout: 60_000 }, async (layout: Layout, { expect }: { expect: ExpectStatic }) => {
    const summary = await runCase(expect, 'files', layout, (out) => ['export', '--from', 'file', input, '-o', out, '--flush-records', '300'], fileReasons, caseRng(`files/${layout}`));
    console.log(summary);
  });
});

describePostgres('phantom export under faults: Postgres', () => {
  let pg: TestPostgres;
  let table: string;
  beforeAll(async () => {
    pg = await startPostgres();
    process.env.PHANTOM_TEST_DB = pg.url; // the runs read the URL from this variable, never from the command line
    table = pg.tableName('faults');
    await pg.sql(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, session_id text NOT NULL, event_name text NOT NULL, ts text, metadata text)`);
    const rows = records(createRng(SEED)).filter((r) => r.poison !== 6); // a UTF8 database cannot hold the binary one
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((r) => {
        if (r.poison >= 0) {
          const text = r.bytes.toString('utf8').replace(/^\uFEFF/, '');
          const o = JSON.parse(text) as Record<string, unknown>;
          // the BOM record becomes metadata text with a BOM (a column cannot carry the record's own bytes)
          const meta = r.poison === 5 ? '\uFEFF{"a":1}' : o['metadata'] === undefined ? null : typeof o['metadata'] === 'string' ? o['metadata'] : r.poison === 0 ? `{"a":${DEEP}}` : JSON.stringify(o['metadata']);
          return [o['sessionId'], o['eventName'], r.poison === 1 ? '-1e20' : String(o['ts']), meta];
        }
        const e = JSON.parse(r.bytes.toString('utf8')) as Record<string, unknown>;
        return [e['sessionId'], e['eventName'], String(e['ts']), JSON.stringify(e['metadata'])];
      });
      const values = chunk.map((_, k) => `($${k * 4 + 1}, $${k * 4 + 2}, $${k * 4 + 3}, $${k * 4 + 4})`).join(', ');
      await pg.sql(`INSERT INTO ${table} (session_id, event_name, ts, metadata) VALUES ${values}`, chunk.flat());
    }
  });
  afterAll(async () => {
    if (!pg) return;
    if (pg.external) await pg.sql(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pg.stop();
  });

  const pgReasons = ['too_deep', 'bad_timestamp', 'bad_timestamp', 'wrong_type:metadata', 'wrong_type:metadata', 'wrong_type:metadata'];
  concurrentFor<Layout>(['file', 'dir'])('Postgres → %s: every record once, every dead letter once, no temp file', { timeout: 60_000 }, async (layout: Layout, { expect }: { expect: ExpectStatic }) => {
    const summary = await runCase(expect, 'postgres', layout, (out) => ['export', '--from', 'supabase', '--database-url', 'PHANTOM_TEST_DB', '--table', table, '-o', out, '--flush-records', '300'], pgReasons, caseRng(`postgres/${layout}`));
    console.log(summary);
  });
});

describeKafka('phantom export under faults: Kafka', () => {
  let kafka: KafkaMock;
  beforeAll(async () => {
    kafka = await startKafkaMock();
  });
  afterAll(() => kafka?.stop());

  /** Produce the records (raw bytes) to a new 3-partition topic; envelopes claim 5 partitions of their own. */
  async function topicOf(kind: 'json' | 'envelope', name: string): Promise<string> {
    const topic = await kafka.createTopic(name, 3);
    const rs = records(caseRng(name));
    const envOffsets = [0, 0, 0, 0, 0];
    const messages = rs.map((r, i) => {
      let value = r.bytes;
      if (kind === 'envelope' && r.poison < 0) {
        const p = i % 5;
        value = Buffer.from(JSON.stringify({ topic, partitionID: p, offset: envOffsets[p]!++, timestamp: BASE + i, value: { payload: JSON.parse(r.bytes.toString('utf8')) as unknown, encoding: 'json' } }));
      }
      return { key: `k${i % 37}`, value };
    });
    process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
    const producer = new kafkajs.Kafka({ brokers: kafka.brokers.split(','), clientId: 'phantom-faults', logLevel: kafkajs.logLevel.ERROR }).producer();
    await producer.connect();
    try {
      for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
    } finally {
      await producer.disconnect();
    }
    return topic;
  }

  const cases: [Source, Layout][] = [
    ['kafka-json', 'file'], ['kafka-json', 'dir'], ['kafka-json', 'group'],
    ['kafka-envelope', 'file'], ['kafka-envelope', 'dir'], ['kafka-envelope', 'group'],
  ];
  concurrentFor<[Source, Layout]>(cases)('%s → %s: every record once, every dead letter once, no temp file', { timeout: 100_000 }, async ([source, layout]: [Source, Layout], { expect }: { expect: ExpectStatic }) => {
    const topic = await topicOf(source === 'kafka-json' ? 'json' : 'envelope', `faults-${source}-${layout}`);
    const group = layout === 'group' ? ['--group', `g-${topic}`, '--session-timeout', '6s'] : [];
    const summary = await runCase(expect, source, layout, (out) => ['export', '--from', 'kafka', '--brokers', kafka.brokers, '--topic', topic, ...group, '-o', out, '--flush-records', '300'], POISON.map((p) => p.reason), caseRng(`${source}/${layout}`));
    console.log(summary);
  });
});
