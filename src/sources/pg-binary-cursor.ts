/**
 * A server-side cursor read in Postgres' binary result format, its DataRow messages decoded straight from
 * the socket into array-mode rows. pg-cursor (pg-row-cursor.ts) gets text rows from pg-protocol, which
 * builds one UTF-8 string per field and a message object per row, and pg then parses numbers, booleans
 * and times back out of that text; here a float8 is 8 bytes, a boolean one, and a text value equal to
 * one of the column's last eight (a session id or user agent repeated from the previous row, an event name
 * alternating among a few) is that value's string, with no new string made. The protocol is the same as pg-cursor's (Parse, Bind with binary results, Execute `rows`
 * at a time, Sync), so reads stay one batch at a time with the server producing nothing ahead: the
 * read timeout, back-pressure and crash behaviour of the source are unchanged.
 *
 * While the cursor reads, it takes the connection's socket `data` listener over (pg's own parser is
 * text-only); every message other than its own (an error, a notice, ReadyForQuery) is handed to pg's
 * parser as it stands, and pg's listener is put back at the ReadyForQuery ending the read, or at an
 * error. Rows equal `new Cursor(sql, values, { rowMode: 'array' })`'s with the source's type parsers
 * (int8 → number) for the types `binaryDecoders` accepts; any other column type keeps the text cursor.
 *
 *   const decoders = binaryDecoders(probe.fields); // null: a type this cursor does not decode
 *   const cursor = client.query(new BinaryCursor(plan.sql, plan.values, decoders));
 *   const rows = await cursor.read(2_000); // unknown[][], [] at the end
 */
import type { Connection, Submittable } from 'pg';

const OID = { bool: 16, int8: 20, int2: 21, int4: 23, text: 25, json: 114, float8: 701, varchar: 1043, jsonb: 3802 } as const;

/** How one column's binary value becomes the row's value (the same value pg's text parser gives). */
type Decoder = 'text' | 'float8' | 'bool' | 'int8' | 'int4' | 'int2' | 'json' | 'jsonb';

const DECODER: Record<number, Decoder> = {
  [OID.text]: 'text', [OID.varchar]: 'text', [OID.float8]: 'float8', [OID.bool]: 'bool', [OID.int8]: 'int8',
  [OID.int4]: 'int4', [OID.int2]: 'int2', [OID.json]: 'json', [OID.jsonb]: 'jsonb',
};

/** One decoder per result column, or null when a column's type is not one this cursor decodes. */
export function binaryDecoders(fields: readonly { dataTypeID: number }[]): Decoder[] | null {
  const out: Decoder[] = [];
  for (const f of fields) {
    const d = DECODER[f.dataTypeID];
    if (d === undefined) return null;
    out.push(d);
  }
  return out;
}

// message type bytes (PostgreSQL frontend/backend protocol, "Message Formats")
const DATA_ROW = 0x44, PORTAL_SUSPENDED = 0x73, COMMAND_COMPLETE = 0x43, READY = 0x5a;
const PARSE_COMPLETE = 0x31, BIND_COMPLETE = 0x32, CLOSE_COMPLETE = 0x33, NO_DATA = 0x6e;
/** Text values up to this many bytes are compared with the column's recent values before a string is made. */
const CACHE_BYTES = 256;
/**
 * Recent values remembered per text column: a value that alternates row by row among a few (event names,
 * store modes, pages) is found as well as one repeated from the previous row (session ids, user agents).
 */
const RECENT = 8;

type DataListener = (chunk: Buffer) => void;
/** The part of pg's Connection this cursor drives (@types/pg types `bind`'s `binary` and `execute`'s `rows` as strings). */
interface Wire {
  readonly stream: NodeJS.EventEmitter & { writable?: boolean };
  parse(query: { text: string }, more: boolean): void;
  bind(config: { portal: string; values: string[]; binary: boolean }, more: boolean): void;
  execute(config: { portal: string; rows: number }, more: boolean): void;
  close(config: { type: 'P'; name: string }, more: boolean): void;
  flush(): void;
  sync(): void;
}
type Row = unknown[];

/**
 * The last RECENT texts of one column (slot k: bytes at k × CACHE_BYTES, its length, its string),
 * remembered to reuse a string when a row's bytes are the same as one of them.
 */
class LastText {
  readonly bytes = Buffer.allocUnsafe(CACHE_BYTES * RECENT);
  readonly lens = new Int32Array(RECENT).fill(-1);
  readonly texts: string[] = new Array<string>(RECENT).fill('');
  /** The slot of the previous row's value (compared first); the slot the next new value replaces. */
  last = 0;
  next = 0;
  /** Lookups and hits since the last check; rows left with the comparison off (a column that rarely repeats). */
  tries = 0;
  hits = 0;
  off = 0;
}

export class BinaryCursor implements Submittable {
  private connection: Wire | null = null;
  private readonly portal: string;
  private readonly values: string[];
  private readonly last: LastText[];
  private rows: Row[] = [];
  private state: 'initialized' | 'idle' | 'busy' | 'done' | 'error' = 'initialized';
  private error: unknown = null;
  private pending: { rows: number; resolve: (rows: Row[]) => void; reject: (err: unknown) => void } | null = null;
  private closed: (() => void) | null = null;
  private pgListeners: DataListener[] = [];
  /** The start of a message split across socket chunks. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private readonly onData: DataListener = (chunk) => this.receive(chunk);

  constructor(private readonly text: string, values: readonly number[], private readonly decoders: readonly Decoder[]) {
    this.portal = `B_${nextId++}`;
    this.values = values.map(String); // as pg sends a number parameter (prepareValue)
    this.last = decoders.map(() => new LastText());
  }

  submit(connection: Connection): void {
    this.connection = connection as unknown as Wire;
    this.takeSocket();
    this.connection.parse({ text: this.text }, true);
    this.connection.bind({ portal: this.portal, values: this.values, binary: true }, true);
    this.state = 'idle';
    if (this.pending) this.execute(this.pending.rows);
  }

  /** The next `rows` rows (fewer only at the end); an empty array once the result is exhausted. */
  read(rows: number): Promise<Row[]> {
    if (this.pending) return Promise.reject(new Error('BinaryCursor: a read is already in progress'));
    if (this.state === 'error') return Promise.reject(this.error);
    if (this.state === 'done') return Promise.resolve([]);
    return new Promise<Row[]>((resolve, reject) => {
      this.pending = { rows, resolve, reject };
      if (this.state === 'idle') this.execute(rows);
    });
  }

  /**
   * Close the portal of a read stopped part-way (as pg-cursor's close does); resolves when the server has
   * answered. A finished or failed read has nothing left to close.
   */
  close(): Promise<void> {
    if (this.state !== 'idle' || this.pending) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.closed = resolve;
      this.state = 'busy';
      this.connection!.close({ type: 'P', name: this.portal }, true);
      this.connection!.sync();
    });
  }

  private execute(rows: number): void {
    this.state = 'busy';
    this.connection!.execute({ portal: this.portal, rows }, true);
    this.connection!.flush();
  }

  // pg's client calls these for the messages it parses itself

  handleError(err: unknown): void {
    if (this.state === 'done' || this.state === 'error') return;
    const wasSubmitted = this.state !== 'initialized';
    this.state = 'error';
    this.error = err;
    this.giveSocketBack();
    // an error in the extended protocol waits for a Sync before the server answers ReadyForQuery
    if (wasSubmitted && this.connection?.stream.writable) this.connection.sync();
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
    this.closed?.();
    this.closed = null;
  }

  handleReadyForQuery(): void {
    if (this.state !== 'error') this.state = 'done';
  }

  handleEmptyQuery(): void {
    // an empty statement cannot come from the source's SELECT; pg answers with a Sync as for any query
    this.connection?.sync();
  }

  private takeSocket(): void {
    const stream = this.connection!.stream;
    this.pgListeners = stream.listeners('data') as DataListener[];
    stream.on('data', this.onData);
    for (const l of this.pgListeners) stream.removeListener('data', l);
  }

  private giveSocketBack(): void {
    const stream = this.connection?.stream;
    if (!stream || this.pgListeners.length === 0) return;
    for (const l of this.pgListeners) stream.on('data', l);
    stream.removeListener('data', this.onData);
    this.pgListeners = [];
    this.partial = [];
    this.partialBytes = 0;
  }

  private receive(chunk: Buffer): void {
    let pos = 0;
    if (this.partial.length > 0) {
      // finish the message the last chunk began, copying only its bytes
      pos = this.completePartial(chunk);
      if (pos < 0) return; // still incomplete, or the read handed the socket back
    }
    const end = chunk.length;
    while (pos + 5 <= end) {
      const msgEnd = pos + 1 + readInt32(chunk, pos + 1);
      if (msgEnd > end) break;
      if (!this.handle(chunk, pos, msgEnd)) return;
      pos = msgEnd;
    }
    if (pos < end) {
      this.partial.push(chunk.subarray(pos));
      this.partialBytes = end - pos;
    }
  }

  /** Add `chunk`'s first bytes to the partial message; handle it once whole. The chunk offset reached, or -1. */
  private completePartial(chunk: Buffer): number {
    let pos = 0;
    if (this.partialBytes < 5) {
      const head = Buffer.concat([...this.partial, chunk.subarray(0, 5 - this.partialBytes)]);
      pos = head.length - this.partialBytes;
      this.partial = [head];
      this.partialBytes = head.length;
      if (head.length < 5) return -1;
    }
    const first = this.partial[0]!.length >= 5 ? this.partial[0]! : Buffer.concat(this.partial);
    const total = 1 + readInt32(first, 1);
    const take = Math.min(total - this.partialBytes, chunk.length - pos);
    this.partial.push(chunk.subarray(pos, pos + take));
    this.partialBytes += take;
    pos += take;
    if (this.partialBytes < total) return -1;
    const msg = Buffer.concat(this.partial, total);
    this.partial = [];
    this.partialBytes = 0;
    if (!this.handle(msg, 0, total)) {
      // handed back: what follows in this chunk is pg's
      if (pos < chunk.length) this.toPgAfterGiveBack(chunk.subarray(pos));
      return -1;
    }
    return pos;
  }

  /** Handle the message at `buf[pos, msgEnd)`; false when the socket went back to pg (the rest of `buf` with it). */
  private handle(buf: Buffer, pos: number, msgEnd: number): boolean {
    const code = buf[pos]!;
    if (code === DATA_ROW) {
      this.rows.push(this.decodeRow(buf, pos + 5));
    } else if (code === PORTAL_SUSPENDED) {
      this.state = 'idle';
      this.deliver();
    } else if (code === COMMAND_COMPLETE) {
      this.connection!.sync();
    } else if (code === READY) {
      // the read is over (or failed): pg's parser takes this and everything after it
      const rows = this.rows;
      this.rows = [];
      this.giveSocketBack();
      if (this.state !== 'error') {
        this.state = 'done';
        const p = this.pending;
        this.pending = null;
        p?.resolve(rows);
      }
      this.closed?.();
      this.closed = null;
      this.toPgAfterGiveBack(buf.subarray(pos));
      return false;
    } else if (code !== PARSE_COMPLETE && code !== BIND_COMPLETE && code !== CLOSE_COMPLETE && code !== NO_DATA) {
      // ErrorResponse, NoticeResponse, ParameterStatus, NotificationResponse…: pg's own handling
      const listeners = this.pgListeners;
      for (const l of listeners) l(buf.subarray(pos, msgEnd));
      if (this.pgListeners.length === 0) {
        // handleError gave the socket back: pg's parser reads what follows
        if (msgEnd < buf.length) for (const l of listeners) l(buf.subarray(msgEnd));
        return false;
      }
    }
    return true;
  }

  private toPgAfterGiveBack(bytes: Buffer): void {
    const stream = this.connection!.stream;
    for (const l of stream.listeners('data') as DataListener[]) l(bytes);
  }

  private deliver(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    const rows = this.rows;
    this.rows = [];
    p.resolve(rows);
  }

  private decodeRow(buf: Buffer, start: number): Row {
    const n = (buf[start]! << 8) | buf[start + 1]!;
    const row = new Array<unknown>(n);
    let pos = start + 2;
    for (let i = 0; i < n; i++) {
      const len = readInt32(buf, pos);
      pos += 4;
      if (len < 0) {
        row[i] = null;
        continue;
      }
      const end = pos + len;
      switch (this.decoders[i]) {
        case 'text':
          row[i] = this.decodeText(i, buf, pos, len);
          break;
        case 'float8':
          row[i] = buf.readDoubleBE(pos);
          break;
        case 'bool':
          row[i] = buf[pos] !== 0;
          break;
        case 'int8': {
          const hi = buf.readInt32BE(pos);
          const v = hi * 4294967296 + buf.readUInt32BE(pos + 4);
          // exact within ±2^53; beyond it, Number() rounds as Number(text) does
          row[i] = Number.isSafeInteger(v) ? v : Number(buf.readBigInt64BE(pos));
          break;
        }
        case 'int4':
          row[i] = buf.readInt32BE(pos);
          break;
        case 'int2':
          row[i] = buf.readInt16BE(pos);
          break;
        case 'json':
          row[i] = JSON.parse(utf8(buf, pos, end));
          break;
        case 'jsonb':
          // version byte 1, then the same text jsonb's text output gives
          if (buf[pos] !== 1) throw new Error(`unsupported jsonb binary version ${buf[pos]}`);
          row[i] = JSON.parse(utf8(buf, pos + 1, end));
          break;
        default:
          throw new Error(`BinaryCursor: no decoder for column ${i}`);
      }
      pos = end;
    }
    return row;
  }

  private decodeText(i: number, buf: Buffer, pos: number, len: number): string {
    const last = this.last[i]!;
    if (len > CACHE_BYTES) return utf8(buf, pos, pos + len);
    if (last.off > 0) {
      last.off--;
      if (last.off === 0) last.lens.fill(-1);
      return utf8(buf, pos, pos + len);
    }
    if (++last.tries === 256) {
      // a column whose values mostly differ from its recent ones is decoded without comparing for a while
      if (last.hits < 128) last.off = 4096;
      last.tries = 0;
      last.hits = 0;
    }
    // the previous row's value first, then the other recent ones
    const b = last.bytes, lens = last.lens;
    const words = len & ~3;
    for (let n = 0, k = last.last; n < RECENT; n++, k = k + 1 === RECENT ? 0 : k + 1) {
      if (lens[k] !== len) continue;
      // compare four bytes at a time, then the tail
      const at = k * CACHE_BYTES;
      let j = 0;
      while (j < words && readInt32(b, at + j) === readInt32(buf, pos + j)) j += 4;
      if (j < words) continue;
      while (j < len && b[at + j] === buf[pos + j]) j++;
      if (j === len) {
        last.hits++;
        last.last = k;
        return last.texts[k]!;
      }
    }
    const text = utf8(buf, pos, pos + len);
    const slot = last.next;
    last.next = slot + 1 === RECENT ? 0 : slot + 1;
    buf.copy(b, slot * CACHE_BYTES, pos, pos + len);
    lens[slot] = len;
    last.texts[slot] = text;
    last.last = slot;
    return text;
  }
}

let nextId = 1;

const readInt32 = (b: Buffer, p: number): number => (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;

/** UTF-8 text of `b[start, end)` (Buffer#toString('utf8', …) without its argument handling). */
const utf8 = (b: Buffer, start: number, end: number): string => (b as Buffer & { utf8Slice(s: number, e: number): string }).utf8Slice(start, end);
