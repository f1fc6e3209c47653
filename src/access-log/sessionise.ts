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
  last: number;
}

/** Called when a session starts, with the raw client it belongs to (for client-keyed labels; never written). */
export type OnSessionStart = (sessionId: string, client: string | null, userAgent: string | null) => void;

const SWEEP_EVERY = 65_536;

export class Sessioniser {
  // session value → session, and client → user agent → session (nested maps: no key string per line)
  private readonly byValue = new Map<string, OpenSession>();
  private readonly byClient = new Map<string, Map<string, OpenSession>>();
  private seen = 0;
  private maxTs = -Infinity;
  sessions = 0;

  constructor(private readonly key: Buffer, private readonly inactivityMs: number, private readonly onStart?: OnSessionStart) {}

  /**
   * Session id of a request; null when it has neither a session value nor a client address.
   * @example s.sessionFor(ts, null, '203.0.113.9', 'Mozilla/5.0 …')
   */
  sessionFor(ts: number, sessionValue: string | null, client: string | null, userAgent: string | null): string | null {
    if (ts > this.maxTs) this.maxTs = ts;
    if (++this.seen % SWEEP_EVERY === 0) this.sweep();
    let table: Map<string, OpenSession>, k: string;
    if (sessionValue !== null && sessionValue !== '') {
      table = this.byValue;
      k = sessionValue;
    } else if (client !== null) {
      let t = this.byClient.get(client);
      if (t === undefined) this.byClient.set(client, (t = new Map()));
      table = t;
      k = userAgent ?? '';
    } else return null;
    const s = table.get(k);
    if (s !== undefined && ts - s.last <= this.inactivityMs) {
      if (ts > s.last) s.last = ts;
      return s.id;
    }
    const material = table === this.byValue ? `s\u0000${k}` : `c\u0000${client}\u0000${k}`;
    const id = createHmac('sha256', this.key).update(`${material}\u0000${ts}`).digest('base64url').slice(0, 22);
    table.set(k, { id, last: ts });
    this.sessions++;
    this.onStart?.(id, client, userAgent);
    return id;
  }

  /** Forget keys idle for longer than the inactivity window (their next request starts a new session anyway). */
  private sweep(): void {
    const horizon = this.maxTs - this.inactivityMs;
    for (const [k, s] of this.byValue) if (s.last < horizon) this.byValue.delete(k);
    for (const [c, t] of this.byClient) {
      for (const [k, s] of t) if (s.last < horizon) t.delete(k);
      if (t.size === 0) this.byClient.delete(c);
    }
  }
}
