/**
 * Lines of a log file, gzip or plain (told by the first two bytes, not the name), or of standard input
 * (`-`), in chunks of lines: one string split per chunk, no per-line stream events.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { UsageError } from '../errors.js';

/** A gzip stream is recognised by its magic bytes, on stdin as in a file: peek at the first chunk (a file is opened once). */
async function* stdinBytes(): AsyncGenerator<Buffer> {
  yield* process.stdin as AsyncIterable<Buffer>;
}

/**
 * Lines of `path` (`-` = stdin), yielded in arrays of up to ~`batch` lines; a final line without a
 * newline is still a line, an empty file yields nothing.
 * @example for await (const lines of readLogLines('access.log.gz')) for (const l of lines) …
 */
export async function* readLogLines(path: string, batch = 1024): AsyncGenerator<string[]> {
  const it: AsyncIterator<Buffer> = path === '-' ? stdinBytes() : (createReadStream(path) as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await it.next();
  } catch (e) {
    if (path === '-') throw e;
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  if (first.done) return;
  const head = first.value;
  const rest = async function* (): AsyncGenerator<Buffer> {
    try {
      yield head;
      for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
    } finally {
      await it.return?.(); // a reader that stops early closes the file
    }
  };
  let source: AsyncIterable<Buffer> = rest();
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gz = createGunzip();
    (async () => {
      for await (const b of rest()) if (!gz.write(b)) await new Promise((r) => gz.once('drain', r));
      gz.end();
    })().catch((e: Error) => gz.destroy(e));
    source = gz;
  }
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let out: string[] = [];
  try {
    for await (const chunk of source) {
      const text = carry + decoder.decode(chunk, { stream: true });
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        out.push(text.slice(start, nl));
        start = nl + 1;
      }
      carry = text.slice(start);
      if (out.length >= batch) {
        yield out;
        out = [];
      }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' || (e as NodeJS.ErrnoException).code === 'Z_BUF_ERROR') {
      throw new UsageError(`${path}: corrupt gzip data (${(e as Error).message})`);
    }
    throw e;
  }
  carry += decoder.decode();
  if (carry !== '') out.push(carry);
  if (out.length > 0) yield out;
}
