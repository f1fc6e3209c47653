/**
 * Streaming text output (JSON-lines, JSON arrays, CSV) with atomic landing and write back-pressure, so
 * memory holds one chunk at a time whatever the output size.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { commitTemp, tempPathFor } from './atomic.js';
import { ensureDir } from './ensure-dir.js';

/**
 * Write text pieces to `path` atomically (temp + fsync + rename). Returns bytes written.
 * @example await writeTextStream('events.jsonl', lines())
 */
export async function writeTextStream(path: string, pieces: AsyncIterable<string> | Iterable<string>): Promise<number> {
  await ensureDir(dirname(path));
  const tmp = tempPathFor(path);
  const out = createWriteStream(tmp);
  let bytes = 0;
  try {
    for await (const piece of pieces) {
      bytes += Buffer.byteLength(piece);
      if (!out.write(piece)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await commitTemp(tmp, path);
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
  return bytes;
}

/** Quote a CSV field when needed (RFC 4180). */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
