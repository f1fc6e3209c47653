// argv → options of `phantom export`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parseExportArgs as parse } from '../../src/commands/export.js';
import { EXPORT_DEFAULTS as D } from '../../src/export/export-defaults.js';

describe('export argv → options', () => {
  it('defaults are EXPORT_DEFAULTS', () => {
    const a = parse(['--from', 'file', 'e.jsonl', '-o', 'events.parquet']);
    expect(a).toMatchObject({ inputs: ['e.jsonl'], sinceMs: undefined, untilMs: undefined, toDir: false });
    expect(a.options).toEqual({ out: 'events.parquet', partitionBy: D.partitionBy, compression: D.compression, rowGroupSize: D.rowGroupSize, flushRecords: D.flushRecords, flushIntervalMs: null, label: null, withPrices: false, drain: false, follow: false });
    expect(a.flags).toMatchObject({ topic: D.topic, logFormat: D.logFormat, timezone: D.timezone });
    expect(parse(['--from', 'kafka', '--brokers', '127.0.0.1:9092', '--follow', '-o', 'out/']).options).toMatchObject({ follow: true, flushIntervalMs: D.followFlushIntervalMs });
  });

  it('maps every flag to its option', () => {
    const a = parse(['--from', 'file', 'a.jsonl', 'b.csv', '-o', 'out/', '--since', '2025-01-01', '--until', '2025-02-01', '--max-messages', '10', '--flush-records', '5', '--flush-interval', '5m',
      '--price-from', 'p.jsonl', '--label-value', 'agent', '--dedupe', '--partition-by', 'date', '--compression', 'gzip', '--row-group-size', '100', '--dead-letter', 'dl/', '--drain', '--strict', '--json']);
    expect(a).toMatchObject({ inputs: ['a.jsonl', 'b.csv'], sinceMs: Date.parse('2025-01-01T00:00:00Z'), untilMs: Date.parse('2025-02-01T00:00:00Z'), toDir: true, flags: { strict: true, json: true, priceFrom: ['p.jsonl'] } });
    expect(a.options).toEqual({
      out: 'out/', partitionBy: 'date', compression: 'gzip', rowGroupSize: 100, flushRecords: 5, flushIntervalMs: 300_000, deadLetter: 'dl/', dedupe: true, maxMessages: 10,
      label: true, sinceMs: a.sinceMs, untilMs: a.untilMs, withPrices: true, drain: true, follow: false,
    });
    // the window is the source's own filter for Kafka and Postgres: not in the run options there
    const kafka = parse(['--from', 'kafka', '--brokers', 'h:1', '--group', 'g', '--since', '2025-01-01', '--price-topic', 'p', '-o', 'o/']);
    expect(kafka.options).toMatchObject({ group: 'g', withPrices: true });
    expect(kafka.sinceMs).toBe(Date.parse('2025-01-01T00:00:00Z'));
    expect('sinceMs' in kafka.options).toBe(false);
    expect(parse(['--from', 'access-log', 'x.log', '-o', 'e.parquet', '--inactivity', '10m', '--timezone', '+02:00']).flags).toMatchObject({ inactivity: 600_000, timezone: '+02:00' });
  });

  it('takes the legacy --label alias', () => {
    expect(parse(['--from', 'file', 'e.jsonl', '-o', 'e.parquet', '--label', 'human']).options.label).toBe(false);
    expect(() => parse(['--from', 'file', 'e.jsonl', '-o', 'e.parquet', '--label', 'human', '--label-value', 'agent'])).toThrow('--label is the old name of --label-value; give one of them');
  });

  it('refuses bad values and flags of another source with the documented message', () => {
    expect(() => parse(['--from', 'ftp', '-o', 'e.parquet'])).toThrow('--from must be one of kafka, supabase, file, access-log, got "ftp"');
    expect(() => parse(['--from', 'file', 'e.jsonl', '-o', 'e.parquet', '--brokers', 'h:1'])).toThrow('--brokers does not apply with --from file');
    expect(() => parse(['--from', 'kafka', 'e.jsonl', '-o', 'o/'])).toThrow('unexpected arguments e.jsonl (input files go with --from file or --from access-log)');
    expect(() => parse(['--from', 'file', 'e.jsonl', '-o', 'e.parquet', '--since', 'yesterday'])).toThrow('--since: cannot parse "yesterday" as an ISO-8601 time');
    expect(() => parse(['--from', 'file', 'e.jsonl', '-o', 'e.parquet', '--since', '2025-02-01', '--until', '2025-01-01'])).toThrow('--since must be earlier than --until');
    expect(() => parse(['--from', 'kafka', '--brokers', 'h:1', '--follow', '-o', 'e.parquet'])).toThrow('--follow and --flush-interval roll part files: give --out a directory');
    expect(() => parse(['--from', 'kafka', '--brokers', 'h:1', '--session-timeout', '0s', '-o', 'o/'])).toThrow('--session-timeout takes a duration like 60s, 5m or 1h, got "0s"');
  });
});
