/**
 * Streaming readers for JSON inputs: JSON-lines (one value per line, streamed, bounded memory) and JSON
 * arrays (console exports). Each value comes with its 0-based index; a line that is not valid JSON is
 * passed on as text, so the normaliser dead-letters it as `invalid_json` with its line number.
 */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UsageError } from '../errors.js';

export interface JsonItem {
  index: number;
  /** the raw line (JSON-lines) or the parsed element (JSON array) */
  value: string | unknown;
}

/** Lines of a JSON-lines file, skipping blank lines; `index` is the 0-based line number. */
export async function* readJsonLines(path: string): AsyncGenerator<JsonItem> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let index = -1;
  for await (const line of rl) {
    index++;
    if (line.trim() === '') continue;
    yield { index, value: line };
  }
}

/** Elements of a file holding one JSON array (or a single object, yielded as one element). */
export async function* readJsonArray(path: string): AsyncGenerator<JsonItem> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  for (let i = 0; i < items.length; i++) yield { index: i, value: items[i] };
}

/** Guess whether a `.json` file holds an array/object document or JSON-lines, from its first bytes. */
export async function sniffJsonKind(path: string): Promise<'array' | 'lines'> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8').trimStart();
    if (head.startsWith('[')) return 'array';
    // one object spread over several lines is a document; one object per line is JSON-lines
    const [line = ''] = head.split('\n', 1);
    const firstLine = line.trim();
    try {
      JSON.parse(firstLine);
      return 'lines';
    } catch {
      return 'array';
    }
  } finally {
    await fh.close();
  }
}
