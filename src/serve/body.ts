/**
 * Reading a JSON request body under a size limit: a declared Content-Length over the limit is refused
 * before any byte is read, a streamed body is cut off at the limit (413 either way), and text that is not
 * JSON is a 400 that says where parsing failed.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body_too_large', `request body exceeds the ${limit}-byte limit`, { connection: 'close' });
}

/**
 * The raw body bytes, at most `limit` of them.
 * @example const buf = await readBody(req, 1 << 20)
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0, done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
      done = true;
    });
    req.on('error', (err) => {
      if (!done) reject(new HttpError(400, 'body_unreadable', `request body could not be read: ${err.message}`));
      done = true;
    });
  });
}

/**
 * The body parsed as JSON; 400 when empty or malformed. The Content-Type is not enforced (curl -d sends
 * form-urlencoded): what counts is that the bytes are JSON.
 * @example const value = await readJsonBody(req, 1 << 20)
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const buf = await readBody(req, limit);
  if (buf.length === 0) throw new HttpError(400, 'empty_body', 'request body is empty; send a JSON document');
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, 'malformed_json', `request body is not valid JSON: ${(err as Error).message}`);
  }
}
