// `phantom export --from file`, end to end through the real binary, on the committed fixtures.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import { rowAt } from '../../src/events/table.js';
import type { EventRow } from '../../src/events/normalise.js';
import type { ExportSummary } from '../../src/export/types.js';
import { readParquet } from '../../src/io/parquet.js';
import { phantom, ROOT } from '../support/cli.js';
import { parquetFiles, readJsonLines, readRows, tempFiles } from './helpers.js';

const FX = join(ROOT, 'fixtures');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'phantom-export-'));
const content = (r: EventRow): string => JSON.stringify([r.sessionId, r.experimentId, r.ts, r.eventName, r.page, r.productId, r.storeMode, r.price, r.dwellMs, r.userAgent, r.metadata]);

function run(args: string[]): { code: number; summary: ExportSummary; stderr: string; stdout: string } {
  const r = phantom(['export', ...args, '--json']);
  let summary = {} as ExportSummary;
  try {
    summary = JSON.parse(r.stdout) as ExportSummary;
  } catch {
    // not JSON: a failure; the test looks at code and stderr
  }
  return { code: r.code, summary, stderr: r.stderr, stdout: r.stdout };
}

describe('phantom export --from file', () => {
  it('exports the fixture losslessly and joins labels from the experiments table export', async () => {
    const out = join(tmp(), 'events.parquet');
    const r = run(['--from', 'file', join(FX, 'events.jsonl'), '--experiments-from', join(FX, 'experiments.csv'), '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.records_read).toBe(3471);
    expect(r.summary.records_written).toBe(3471);
    expect(r.summary.sessions).toBe(300);
    expect(r.summary.dead_lettered.total).toBe(0);
    expect(r.summary.files_written).toEqual([out]);
    const got = await readRows(out);
    const ref = await readEventsParquet(join(FX, 'events.parquet'));
    const want: EventRow[] = [];
    for (let i = 0; i < ref.length; i++) want.push(rowAt(ref, i));
    expect(got.map(content)).toEqual(want.map(content)); // same rows, same order
    expect(got.map((x) => x.isAgent)).toEqual(want.map((x) => x.isAgent)); // is_agent = NOT xp_human_only
    expect(r.summary.labels.agent + r.summary.labels.human).toBe(3471);
    expect(got.every((x) => x.srcTopic === join(FX, 'events.jsonl'))).toBe(true);
    const meta = Object.fromEntries((await readParquet(out)).schema.metadata);
    expect(meta['phantom.rows']).toBe('3471');
    expect(meta['phantom.command']).toContain('export --from file');
  });

  it('reads console envelopes to the same events; provenance from the file, the envelope coordinates as origin_*', async () => {
    const out = join(tmp(), 'events.parquet');
    const r = run(['--from', 'file', join(FX, 'events-console.json'), '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const got = await readRows(out);
    const flat = await readRows((run(['--from', 'file', join(FX, 'events.jsonl'), '-o', join(tmp(), 'e.parquet')]).summary.files_written[0])!);
    expect(got.map(content).sort()).toEqual(flat.map(content).sort());
    const file = join(FX, 'events-console.json');
    expect(got.every((x, i) => x.srcTopic === file && x.srcPartition === null && x.srcOffset === i && x.srcTs !== null)).toBe(true);
    expect(got.every((x) => typeof x.originPartition === 'number' && typeof x.originOffset === 'number')).toBe(true);
  });

  it('dead-letters bad records with reason and provenance; --strict exits 3 after writing the good ones', async () => {
    const dir = tmp();
    const out = join(dir, 'events.parquet');
    const reasons = JSON.parse(readFileSync(join(FX, 'bad-records.reasons.json'), 'utf8')) as string[];
    const r = run(['--from', 'file', join(FX, 'events.jsonl'), join(FX, 'bad-records.jsonl'), '-o', out, '--strict']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--strict: 17 record\(s\) rejected .*the good records were written; see .*events\.dead-letter\.jsonl/);
    expect(r.summary.records_written).toBe(3471);
    expect(r.summary.dead_lettered.total).toBe(reasons.length);
    const byReason: Record<string, number> = {};
    for (const x of reasons) byReason[x] = (byReason[x] ?? 0) + 1;
    expect(r.summary.dead_lettered.by_reason).toEqual(byReason);
    const dead = readJsonLines<{ reason: string; provenance: { topic: string; offset: number } }>(join(dir, 'events.dead-letter.jsonl'));
    expect(dead.map((d) => d.reason)).toEqual(reasons);
    expect(dead.every((d) => d.provenance.topic.endsWith('bad-records.jsonl'))).toBe(true);
    expect(dead.map((d) => d.provenance.offset)).toEqual(reasons.map((_, i) => i));
    expect((await readRows(out)).length).toBe(3471);
  });

  it('--dedupe drops identical events across files; counts add up', () => {
    const r = run(['--from', 'file', join(FX, 'events.jsonl'), join(FX, 'events.jsonl'), '--dedupe', '-o', join(tmp(), 'e.parquet')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.records_read).toBe(6942);
    expect(r.summary.duplicates).toMatchObject({ total: 3471, redelivered: 0, already_exported: 0, identical: 3471 });
    expect(r.summary.records_written).toBe(3471);
  });

  it('partitions by date into a directory, with --label, --since/--until and --max-messages', async () => {
    const dir = tmp();
    const r = run(['--from', 'file', join(FX, 'events.jsonl'), '--label', 'agent', '--partition-by', 'date', '--since', '2025-01-08T00:00:00Z', '--until', '2025-01-10T00:00:00Z', '-o', dir]);
    expect(r.code, r.stderr).toBe(0);
    const rows = await readRows(dir);
    expect(rows.length).toBe(r.summary.records_written);
    expect(r.summary.outside_window + r.summary.records_written).toBe(3471);
    expect(rows.every((x) => x.ts >= Date.parse('2025-01-08') && x.ts < Date.parse('2025-01-10') && x.isAgent === true)).toBe(true);
    const days = parquetFiles(join(dir, 'events')).map((f) => /date=(\d{4}-\d{2}-\d{2})/.exec(f)![1]);
    expect([...new Set(days)].sort()).toEqual(['2025-01-08', '2025-01-09']);
    for (const x of rows) expect(x.file).toContain(`date=${new Date(x.ts).toISOString().slice(0, 10)}`);
    const capped = run(['--from', 'file', join(FX, 'events.jsonl'), '--max-messages', '100', '-o', join(tmp(), 'e.parquet')]);
    expect(capped.summary.records_read).toBe(100);
    expect(capped.summary.stopped_by).toBe('max-messages');
  });

  it('writes price logs from files with the documented columns', async () => {
    const dir = tmp();
    const prices = join(dir, 'prices.jsonl');
    writeFileSync(prices, [
      JSON.stringify({ productId: 'p1', price: 120.5, sessionId: 's1', experimentId: 'x', storeMode: 'hotel', ts: '2025-01-06T10:00:00Z' }),
      JSON.stringify({ productId: 'p2', price: 'free', sessionId: 's1', storeMode: 'hotel', ts: 1 }),
    ].join('\n'));
    const r = run(['--from', 'file', join(FX, 'events.jsonl'), '--price-from', prices, '-o', join(dir, 'out', 'events.parquet')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.price_logs).toEqual({ read: 2, written: 1 });
    expect(r.summary.dead_lettered.by_reason).toEqual({ 'wrong_type:price': 1 });
    const t = await readParquet(join(dir, 'out', 'price-logs.parquet'));
    expect(t.schema.fields.map((f) => f.name)).toEqual(['productId', 'price', 'sessionId', 'experimentId', 'storeMode', 'ts', 'src_topic', 'src_partition', 'src_offset', 'src_ts']);
    const row = t.get(0)!.toJSON() as Record<string, unknown>;
    expect([row['productId'], row['price'], row['sessionId'], row['experimentId'], row['storeMode'], Number(row['ts'])]).toEqual(['p1', 120.5, 's1', 'x', 'hotel', Date.parse('2025-01-06T10:00:00Z')]);
  });

  it('leaves no partial output when the export fails part-way', () => {
    const dir = tmp();
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '[{"sessionId": "a", "eventName": "page_view", "ts": 1}, {oops');
    // > 65,536 events: the first chunk is already streaming into the temporary file when the failure comes
    const big = join(dir, 'big.jsonl');
    expect(phantom(['generate', '-n', '7000', '-o', big, '-q']).code).toBe(0);
    const out = join(dir, 'out', 'events.parquet');
    const r = run(['--from', 'file', big, broken, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.json is not valid JSON/);
    expect(existsSync(out)).toBe(false);
    expect(tempFiles(join(dir, 'out'))).toEqual([]);
  });

  it('rejects contradictory flags with exit 2', () => {
    expect(run(['--from', 'file', join(FX, 'events.jsonl'), '--partition-by', 'date', '-o', join(tmp(), 'e.parquet')]).stderr).toMatch(/--partition-by date needs --out to be a directory/);
    expect(run(['--from', 'kafka', '-o', tmp()]).stderr).toMatch(/--from kafka needs --brokers/);
    const follow = run(['--from', 'kafka', '--brokers', 'localhost:1', '--follow', '-o', 'x.parquet']);
    expect(follow.code).toBe(2);
    expect(follow.stderr).toMatch(/--follow and --flush-interval roll part files: give --out a directory/);
    expect(run(['--from', 'file', join(FX, 'events.jsonl'), '--since', 'yesterday', '-o', 'x.parquet']).stderr).toMatch(/--since: cannot parse "yesterday"/);
  });
});
