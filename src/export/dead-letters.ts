/**
 * The dead-letter file (SPEC §2): one JSON line per rejected record with its reason, detail, provenance,
 * key and raw value, so it can be inspected, fixed and replayed.
 * 'replace' (single-file output): streamed to a temporary file, renamed into place at the end, removed
 * on failure. 'append' (directory output): each roll's lines are appended and fsynced before that roll's
 * Parquet files are renamed — at-least-once: after a crash the same record may be dead-lettered again.
 */
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { commitTemp, tempPathFor } from '../io/atomic.js';
import type { RawRecord } from '../sources/types.js';
import type { StreamKind } from './types.js';

/**
 * One dead-letter line.
 * @example deadLetterLine(record, 'events', 'bad_timestamp', 'cannot parse ts "x"')
 */
export function deadLetterLine(record: RawRecord, stream: StreamKind, reason: string, detail: string): string {
  const p = record.provenance;
  return `${JSON.stringify({
    reason,
    detail,
    stream,
    provenance: { topic: p.topic, partition: p.partition, offset: p.offset, timestamp: p.timestamp },
    key: record.key ?? null,
    value: record.value === undefined ? null : record.value,
  })}\n`;
}

export class DeadLetterFile {
  private handle: FileHandle | null = null;
  private temp: string | null = null;
  lines = 0;

  constructor(
    readonly path: string,
    readonly mode: 'replace' | 'append',
  ) {}

  /** Write lines: appended to the temp file ('replace') or to the file itself, fsynced ('append'). */
  async write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const text = lines.join('');
    if (this.mode === 'append') {
      await mkdir(dirname(this.path), { recursive: true });
      const fh = await open(this.path, 'a');
      try {
        await fh.write(text); // one write per roll: concurrent workers' lines do not interleave
        await fh.sync();
      } finally {
        await fh.close();
      }
    } else {
      if (this.handle === null) {
        await mkdir(dirname(this.path), { recursive: true });
        this.temp = tempPathFor(this.path);
        this.handle = await open(this.temp, 'w');
      }
      await this.handle.write(text);
    }
    this.lines += lines.length;
  }

  /** 'replace': move the temp file into place (nothing is written when there were no lines). */
  async finish(): Promise<string | null> {
    if (this.mode === 'append') return this.lines > 0 ? this.path : null;
    if (this.handle === null || this.temp === null) return null;
    await this.handle.close();
    this.handle = null;
    await commitTemp(this.temp, this.path);
    return this.path;
  }

  /** 'replace': drop the temp file. 'append': lines already written stay. */
  async abort(): Promise<void> {
    if (this.handle !== null) await this.handle.close().catch(() => undefined);
    this.handle = null;
    if (this.temp !== null) await rm(this.temp, { force: true });
  }
}
