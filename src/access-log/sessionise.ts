/**
 * Requests → sessions. A session key is the `--session-by` field's value (a cookie, say) when the line
 * has one, else the client (address + user agent); a key's session ends after `--inactivity` without a
 * request. Session ids are keyed hashes — HMAC-SHA256(key, session key, start time) — so ids reveal no
 * address and cannot be recomputed without the key; only the key's fingerprint is recorded.
 * Lines are expected in time order per client (as servers write them); a request a little older than
 * the previous one of its key stays in that session. Keys idle for longer than the inactivity window
 * are forgotten as the log advances, so memory follows the number of active clients, not the log size.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';
import { flatCopy, StringCanon } from '../events/string-canon.js';

export interface SessionKeyInfo {
  key: Buffer;
  /** `env:VAR` or `random` */
  source: string;
  /** first 16 hex digits of SHA-256(key): tells two runs' keys apart without revealing them */
  fingerprint: string;
}

/**
 * `--session-key-env VAR`: the key from that variable (ids repeat across runs), else a random key per run.
 * @example sessionKey('PHANTOM_SESSION_KEY').fingerprint // 'a3f0…'
 */
export function sessionKey(envVar: string | undefined, env: NodeJS.ProcessEnv = process.env): SessionKeyInfo {
  let key: Buffer, source: string;
  if (envVar !== undefined) {
    const v = env[envVar];
    if (v === undefined || v.length < 16) throw new UsageError(`--session-key-env ${envVar}: the variable is ${v === undefined ? 'not set' : 'shorter than 16 characters'} (it holds the secret key for session ids)`);
    key = Buffer.from(v, 'utf8');
    source = `env:${envVar}`;
  } else {
    key = randomBytes(32);
    source = 'random';
  }
  return { key, source, fingerprint: createHash('sha256').update(key).digest('hex').slice(0, 16) };
}

interface OpenSession {
  id: string;
  ord: number;
  last: number;
}

/**
 * A client's sessions by user agent: the first agent's session inline (most clients use one agent; one
 * object less to reach per line), other agents' in a map. `id` is null once the inline session was swept.
 */
interface ClientSessions {
  ua: string;
  id: string | null;
  ord: number;
  last: number;
  more: Map<string, OpenSession> | null;
}

/** Called when a session starts, with the raw client it belongs to (for client-keyed labels; never written). */
export type OnSessionStart = (sessionId: string, client: string | null, userAgent: string | null) => void;

const SWEEP_EVERY = 65_536;

/**
 * A dotted-quad IPv4 address in canonical spelling (no leading zeros) as an int32, else null: such
 * clients are looked up by number (no string hashing or comparing); the spelling ↔ number map is
 * one-to-one, so this changes no session.
 */
function ipv4Key(s: string): number | null {
  const n = s.length;
  if (n < 7 || n > 15) return null;
  let ip = 0, part = 0, digits = 0, dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return null;
      ip = ip * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return null; // a leading zero: another spelling of the same address
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else return null;
  }
  if (dots !== 3 || digits === 0) return null;
  return (ip * 256 + part) | 0;
}

export class Sessioniser {
  // session value → session, and client → its sessions by user agent (no key string built per line).
  // Keys are stored as flat copies: a slice of an input line would keep the whole input chunk alive.
  private readonly byValue = new Map<string, OpenSession>();
  private readonly byClient = new Map<string, ClientSessions>();
  private readonly byIpv4 = new Map<number, ClientSessions>();
  private seen = 0;
  private maxTs = -Infinity;
  /** distinct session ids so far; a session's ordinal is the count before its id first appeared (0, 1, 2, …) */
  sessions = 0;
  // id → ordinal, one entry per session (not per line). A late line (older than a sweep's horizon) can
  // restart a swept session at its own start time, which gives the same id: it then gets the same
  // ordinal, so ordinals and ids stay one-to-one (export counts and the events builder rely on it).
  private readonly ordinals = new Map<string, number>();
  /** the ordinal of the session `sessionFor` last returned */
  lastOrdinal = -1;

  /**
   * @param agents where user agents are canonicalised (events/string-canon.ts); a caller that already
   *   canonicalises with the same table makes the per-line agent comparison an identity check
   */
  constructor(private readonly key: Buffer, private readonly inactivityMs: number, private readonly onStart?: OnSessionStart, private readonly agents = new StringCanon()) {}

  /**
   * Session id of a request; null when it has neither a session value nor a client address.
   * @example s.sessionFor(ts, null, '203.0.113.9', 'Mozilla/5.0 …')
   */
  sessionFor(ts: number, sessionValue: string | null, client: string | null, userAgent: string | null): string | null {
    if (ts > this.maxTs) this.maxTs = ts;
    if (++this.seen % SWEEP_EVERY === 0) this.sweep();
    if (sessionValue !== null && sessionValue !== '') {
      const s = this.byValue.get(sessionValue);
      if (s !== undefined && ts - s.last <= this.inactivityMs) {
        if (ts > s.last) s.last = ts;
        this.lastOrdinal = s.ord;
        return s.id;
      }
      const id = this.start(`s\u0000${sessionValue}`, ts, client, userAgent);
      this.byValue.set(flatCopy(sessionValue), { id, ord: this.lastOrdinal, last: ts });
      return id;
    }
    if (client === null) return null;
    const k = userAgent === null ? '' : this.agents.canon(userAgent)!;
    const ip = ipv4Key(client);
    let c = ip === null ? this.byClient.get(client) : this.byIpv4.get(ip);
    if (c === undefined) {
      c = { ua: k, id: null, ord: -1, last: -Infinity, more: null };
      if (ip === null) this.byClient.set(flatCopy(client), c);
      else this.byIpv4.set(ip, c);
    }
    if (c.ua === k) {
      if (c.id !== null && ts - c.last <= this.inactivityMs) {
        if (ts > c.last) c.last = ts;
        this.lastOrdinal = c.ord;
        return c.id;
      }
      c.id = this.start(`c\u0000${client}\u0000${k}`, ts, client, userAgent);
      c.ord = this.lastOrdinal;
      c.last = ts;
      return c.id;
    }
    const s = c.more?.get(k);
    if (s !== undefined && ts - s.last <= this.inactivityMs) {
      if (ts > s.last) s.last = ts;
      this.lastOrdinal = s.ord;
      return s.id;
    }
    const id = this.start(`c\u0000${client}\u0000${k}`, ts, client, userAgent);
    if (c.id === null && s === undefined) {
      // the inline slot was swept and this agent is not in `more`: it takes the slot
      c.ua = k;
      c.id = id;
      c.ord = this.lastOrdinal;
      c.last = ts;
    } else (c.more ??= new Map()).set(k, { id, ord: this.lastOrdinal, last: ts });
    return id;
  }

  /** A new session's id: HMAC-SHA256(key, material, start time), 22 base64url characters; sets its ordinal. */
  private start(material: string, ts: number, client: string | null, userAgent: string | null): string {
    const id = createHmac('sha256', this.key).update(`${material}\u0000${ts}`).digest('base64url').slice(0, 22);
    let ord = this.ordinals.get(id);
    if (ord === undefined) this.ordinals.set(id, (ord = this.sessions++));
    this.lastOrdinal = ord;
    this.onStart?.(id, client, userAgent);
    return id;
  }

  /** Forget keys idle for longer than the inactivity window (their next request starts a new session anyway). */
  private sweep(): void {
    const horizon = this.maxTs - this.inactivityMs;
    for (const [k, s] of this.byValue) if (s.last < horizon) this.byValue.delete(k);
    for (const table of [this.byClient, this.byIpv4] as Map<unknown, ClientSessions>[]) {
      for (const [client, c] of table) {
        if (c.id !== null && c.last < horizon) c.id = null;
        if (c.more !== null) {
          for (const [k, s] of c.more) if (s.last < horizon) c.more.delete(k);
          if (c.more.size === 0) c.more = null;
        }
        if (c.id === null && c.more === null) table.delete(client);
      }
    }
  }
}
