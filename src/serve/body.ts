/**
 * Reading a JSON request body under a size limit: a declared Content-Length over the limit is refused
 * before any byte is read, a streamed body is cut off at the limit (413 either way), and text that is not
 * JSON is a 400 that says where parsing failed. Bytes that are not UTF-8 and documents nested deeper than
 * the depth limit are 400 too (checked before parsing, by one pass over the bytes), and no message ever
 * quotes the body: it names a byte position only.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body_too_large', `request body exceeds the ${limit}-byte limit`, { connection: 'close' });
}

/** Called once with the body bytes, or with the HttpError that ends reading them. */
export type BodyCallback = (err: HttpError | null, buf: Buffer | null) => void;

/** What a request's body reader keeps between its events (one object per request, no closures). */
interface BodyRead {
  limit: number;
  size: number;
  done: boolean;
  first: Buffer | null;
  more: Buffer[] | null;
  cb: BodyCallback;
}

const READ = Symbol('phantom.bodyRead');
type Reading = IncomingMessage & { [READ]: BodyRead };

// the listeners are shared by every request (`this` is the request): reading a body allocates no closure
function onData(this: Reading, chunk: Buffer): void {
  const s = this[READ];
  if (s.done) return;
  s.size += chunk.length;
  if (s.size > s.limit) {
    s.done = true;
    s.first = null;
    s.more = null;
    s.cb(tooLarge(s.limit), null);
    return;
  }
  if (s.first === null) s.first = chunk;
  else (s.more ??= [s.first]).push(chunk);
}

function onEnd(this: Reading): void {
  const s = this[READ];
  if (!s.done) s.cb(null, s.more === null ? (s.first ?? EMPTY) : Buffer.concat(s.more, s.size));
  s.done = true;
}

function onError(this: Reading, err: Error): void {
  const s = this[READ];
  if (!s.done) s.cb(new HttpError(400, 'body_unreadable', `request body could not be read: ${err.message}`), null);
  s.done = true;
}

const EMPTY = Buffer.alloc(0);

/**
 * The Content-Length a request declares (NaN when it has none), found in `rawHeaders`: reading
 * `req.headers` would build the whole header object on every request. Node's parser refuses a request
 * with two Content-Length headers, so the first one found is the one `req.headers` would hold.
 */
function declaredLength(req: IncomingMessage): number {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 14 && name.toLowerCase() === 'content-length') return Number(raw[i + 1]);
  }
  return Number.NaN;
}

/**
 * The raw body bytes, at most `limit` of them, passed to `cb` (the callback form of readBody, for the
 * request path: no promise, no closure per request). A declared Content-Length over the limit calls `cb`
 * with the 413 at once.
 * @example readBodyInto(req, 1 << 20, (err, buf) => …)
 */
export function readBodyInto(req: IncomingMessage, limit: number, cb: BodyCallback): void {
  const declared = declaredLength(req);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    cb(tooLarge(limit), null);
    return;
  }
  (req as Reading)[READ] = { limit, size: 0, done: false, first: null, more: null, cb };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
}

/**
 * The raw body bytes, at most `limit` of them.
 * @example const buf = await readBody(req, 1 << 20)
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => readBodyInto(req, limit, (err, buf) => (err === null ? resolve(buf!) : reject(err))));
}

/**
 * The body parsed as JSON; 400 when empty or malformed. The Content-Type is not enforced (curl -d sends
 * form-urlencoded): what counts is that the bytes are JSON.
 * @example const value = await readJsonBody(req, 1 << 20)
 */
export async function readJsonBody(req: IncomingMessage, limit: number, maxDepth = 32): Promise<unknown> {
  const buf = await readBody(req, limit);
  return parseJsonBody(buf, maxDepth);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether `buf` holds at most `limit` bytes `{` and `[` together (Buffer's indexOf, no loop over every byte). */
function bracketsAtMost(buf: Uint8Array, limit: number): boolean {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let n = 0;
  for (let i = b.indexOf(0x7b); i !== -1; i = b.indexOf(0x7b, i + 1)) if (++n > limit) return false;
  for (let i = b.indexOf(0x5b); i !== -1; i = b.indexOf(0x5b, i + 1)) if (++n > limit) return false;
  return true;
}

/**
 * Nesting depth of a JSON text's arrays and objects (brackets inside strings ignored), stopping as soon
 * as it passes `limit`: returns the byte offset where it did, or -1 when the text stays within it.
 */
export function depthExceededAt(buf: Uint8Array, limit: number): number {
  // a text with at most `limit` opening brackets (strings included) cannot nest deeper: counted natively
  if (bracketsAtMost(buf, limit)) return -1;
  let depth = 0, inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/**
 * A body's bytes as JSON: 400 `empty_body`, `not_utf8`, `too_deep` (past `maxDepth` levels) or
 * `malformed_json` (with the byte position, never the text).
 * @example parseJsonBody(Buffer.from('{"a":1}'), 32) // { a: 1 }
 */
export function parseJsonBody(buf: Buffer, maxDepth: number): unknown {
  if (buf.length === 0) throw new HttpError(400, 'empty_body', 'request body is empty; send a JSON document');
  let text: string;
  try {
    text = utf8.decode(buf); // also drops a leading BOM
  } catch {
    throw new HttpError(400, 'not_utf8', 'request body is not UTF-8 text; send a JSON document');
  }
  const deep = depthExceededAt(buf, maxDepth);
  if (deep >= 0) throw new HttpError(400, 'too_deep', `request body nests arrays/objects more than ${maxDepth} levels deep (at byte ${deep})`);
  try {
    return JSON.parse(text);
  } catch (err) {
    const m = (err as Error).message, at = /position (\d+)/.exec(m)?.[1];
    const where = at !== undefined ? ` (at character ${at})` : /end of JSON input/.test(m) ? ' (it ends before the document is complete)' : '';
    throw new HttpError(400, 'malformed_json', `request body is not valid JSON${where}`);
  }
}
