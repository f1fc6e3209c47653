// argv → options of `phantom generate`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parseGenerateArgs as parse } from '../../src/commands/generate.js';
import { GENERATE_DEFAULTS as D, isoText } from '../../src/generate/run-generate.js';

describe('generate argv → options', () => {
  it('defaults are GENERATE_DEFAULTS', () => {
    expect(parse(['-o', 'events.parquet'])).toEqual({ out: 'events.parquet', json: false, quiet: false, options: D });
    expect(isoText(D.startMs)).toBe('2025-01-06T00:00:00Z');
  });

  it('maps every flag to its option', () => {
    const a = parse(['-o', 'access.log', '-n', '50', '-a', '0.5', '-s', '7', '--start', '2025-03-01T12:00:00Z', '--span-days', '2', '--products', '20', '--sessions-per-experiment', '4',
      '--format', 'access-log', '--labels-out', 'l.csv', '--partitions', '5', '--compression', 'gzip', '-w', '2', '--experiments-out', 'x.csv', '--profile-human', 'h.json', '--profile-agent', 'a.json',
      '--no-labels', '--json']);
    expect(a).toEqual({
      out: 'access.log', json: true, quiet: false,
      options: {
        sessions: 50, agentShare: 0.5, seed: 7, startMs: Date.parse('2025-03-01T12:00:00Z'), spanDays: 2, products: 20, sessionsPerExperiment: 4, format: 'access-log', labelsOut: 'l.csv',
        partitions: 5, compression: 'gzip', workers: 2, experimentsOut: 'x.csv', profileHuman: 'h.json', profileAgent: 'a.json', labels: false,
      },
    });
    expect(parse(['-o', 'e.parquet', '--threads', '3']).options.workers).toBe(3);
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parse([])).toThrow(/required option '-o, --out <file>' not specified/);
    expect(() => parse(['-o', 'e.parquet', '--start', 'monday'])).toThrow('--start: cannot parse "monday" as an ISO-8601 time');
    expect(() => parse(['-o', 'e.parquet', '--format', 'xml'])).toThrow('--format must be one of flat, kafka-envelope, access-log, impressions, got "xml"');
    expect(() => parse(['-o', 'e.parquet', '--agent-share', '2'])).toThrow('--agent-share must be between 0 and 1, got 2');
    expect(() => parse(['-o', 'e.parquet', '-w', '2', '--threads', '3'])).toThrow(/--threads is the old name of --workers/);
  });
});
