/**
 * The dead-letter file (docs/export.md): one JSON line per rejected record with its reason, detail, provenance,
 * key and raw value, so it can be inspected, fixed and replayed.
 * Single-file output streams them to a temporary file, renamed into place at the end, removed on failure.
 * (Directory output stages each roll's lines with the roll and appends them when it is published:
 * staging.ts.)
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringifyAnyDepth } from '../events/bounded-json.js';
import { commitTemp, tempPathFor } from '../io/atomic.js';
import type { RawRecord } from '../sources/types.js';
import type { StreamKind } from './types.js';
import { ensureDir } from '../io/ensure-dir.js';

/**
 * One dead-letter line. The value is kept as it came: text as a JSON string, bytes that are not UTF-8
 * as `value_base64` (with `value: null`), a parsed value (Postgres row) as JSON whatever its depth.
 * @example deadLetterLine(record, 'events', 'bad_timestamp', 'cannot parse ts "x"')
 */
export function deadLetterLine(record: RawRecord, stream: StreamKind, reason: string, detail: string): string {
  const p = record.provenance;
  const head = JSON.stringify({ reason, detail, stream, provenance: { topic: p.topic, partition: p.partition, offset: p.offset, timestamp: p.timestamp }, key: record.key ?? null });
  const v = record.value;
  const value = v instanceof Uint8Array ? `null,"value_base64":${JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'))}` : stringifyAnyDepth(v === undefined ? null : v);
  return `${head.slice(0, -1)},"value":${value}}\n`;
}

export class DeadLetterFile {
  private handle: FileHandle | null = null;
  private temp: string | null = null;
  lines = 0;

  constructor(readonly path: string) {}

  /** Append lines to the temporary file. */
  async write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    if (this.handle === null) {
      await ensureDir(dirname(this.path));
      this.temp = tempPathFor(this.path);
      this.handle = await open(this.temp, 'w');
    }
    // writeFile loops until every byte is written; a bare write() may write part of the text and return
    // (a nearly full disk), which left a truncated line under the final name
    await this.handle.writeFile(lines.join(''));
    this.lines += lines.length;
  }

  /** Move the temp file into place; with no lines, a dead-letter file of an earlier run is removed (each run replaces it). */
  async finish(): Promise<string | null> {
    if (this.handle === null || this.temp === null) {
      await rm(this.path, { force: true });
      return null;
    }
    await this.handle.close();
    this.handle = null;
    await commitTemp(this.temp, this.path);
    return this.path;
  }

  /** Drop the temp file. */
  async abort(): Promise<void> {
    if (this.handle !== null) await this.handle.close().catch(() => undefined);
    this.handle = null;
    if (this.temp !== null) await rm(this.temp, { force: true });
  }
}
