/**
 * LinUCB parameters shared through Redis, so replicas learn as one. The shared copy is a hash of the
 * additive sums (Σ x xᵀ, Σ r x, n per arm) plus a version; a replica adds its pending updates with one
 * atomic Lua script (HINCRBYFLOAT per cell, version + 1) and pulls the whole hash when the version moved.
 * Pushes and pulls run one at a time off the request path, every `intervalMs` and after feedback.
 * While Redis is down updates stay pending locally (the replica keeps learning alone) and are added to
 * the shared copy when it is back, so no feedback is lost and the replicas converge again. If Redis came
 * back empty (restarted without persistence), the first replica to reconnect seeds it with the shared
 * sums it last knew before adding its pending updates.
 *
 * Each push is applied at most once: it carries a random write id, and the script adds the sums only if
 * it can create the marker key `<hash>:w:<id>` (SET NX, kept a day). A push that timed out client-side
 * may still run when a hung Redis resumes, so it is never merged back into the pending updates: the same
 * sums are retried under the same id until Redis answers, and whichever copy runs second adds nothing.
 */
import { randomBytes } from 'node:crypto';
import type { LinUcbState, LinUcbSums } from './linucb-state.js';
import { zeroSums } from './linucb-state.js';
import type { RedisLink } from './redis-link.js';

// KEYS: hash, write marker. ARGV: marker TTL ms, d, then per arm with updates: arm, n, d·d cells of Σxxᵀ,
// d cells of Σrx. Returns the new version, or -1 when this write id was applied before.
const ADD_BODY = `
local d = tonumber(ARGV[2])
local i = 3
while i <= #ARGV do
  local a = ARGV[i]
  redis.call('HINCRBYFLOAT', KEYS[1], 'n:' .. a, ARGV[i + 1])
  for c = 0, d * d - 1 do
    local v = ARGV[i + 2 + c]
    if v ~= '0' then redis.call('HINCRBYFLOAT', KEYS[1], 'x:' .. a .. ':' .. c, v) end
  end
  for c = 0, d - 1 do
    local v = ARGV[i + 2 + d * d + c]
    if v ~= '0' then redis.call('HINCRBYFLOAT', KEYS[1], 'r:' .. a .. ':' .. c, v) end
  end
  i = i + 2 + d * d + d
end
return redis.call('HINCRBY', KEYS[1], 'v', 1)
`;
const ADD_SCRIPT = `if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return -1 end\n${ADD_BODY}`;

// The same, only when the hash does not exist: re-seeds a Redis that restarted empty (first replica wins).
const SEED_SCRIPT = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end\n${ADD_BODY}`;

/** How long a write id is remembered: far longer than any retry of it. */
const WRITE_MARK_TTL_MS = 24 * 3600_000;

/** Hash fields → sums (unknown or malformed fields are ignored). */
export function parseSums(hash: Record<string, string>, arms: number, d: number): LinUcbSums {
  const s = zeroSums(arms, d);
  for (const [field, text] of Object.entries(hash)) {
    const parts = field.split(':');
    const a = Number(parts[1]), v = Number(text);
    if (!(a >= 0 && a < arms) || !Number.isFinite(v)) continue;
    const c = Number(parts[2]);
    if (parts[0] === 'n') s.n[a] = v;
    else if (parts[0] === 'x' && c >= 0 && c < d * d) s.xx[a * d * d + c] = v;
    else if (parts[0] === 'r' && c >= 0 && c < d) s.xr[a * d + c] = v;
  }
  return s;
}

/** The script's arguments for a set of sums (arms without updates are left out). */
export function scriptArgs(sums: LinUcbSums, d: number): string[] {
  const args = [String(d)];
  for (let a = 0; a < sums.n.length; a++) {
    if (sums.n[a] === 0) continue;
    args.push(String(a), String(sums.n[a]));
    for (let c = 0; c < d * d; c++) args.push(String(sums.xx[a * d * d + c]));
    for (let c = 0; c < d; c++) args.push(String(sums.xr[a * d + c]));
  }
  return args;
}

export class SharedBandit {
  readonly key: string;
  private version = -1;
  private chain: Promise<void> = Promise.resolve();
  private waiting: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** completed pulls that changed the local model (for tests and metrics) */
  pulls = 0;
  /** Redis restarted since the last sync: put the shared sums this replica knew back if the hash is gone */
  private reseed = false;
  /** id of the in-flight write, kept until Redis confirms it (retries reuse it) */
  private writeId: string | null = null;
  /** pushes confirmed by Redis, and retries of a write already applied (for tests and metrics) */
  writes = 0;
  duplicateWrites = 0;

  constructor(readonly state: LinUcbState, private readonly link: RedisLink) {
    const p = state.params;
    this.key = `${link.prefix}linucb:d${p.dimension}:${p.arms.join(',')}`;
    link.onUp((restarted) => {
      this.version = -1;
      this.reseed ||= restarted;
      void this.sync();
    });
  }

  /**
   * Push pending updates, then pull if the shared version moved. Runs after any sync in progress; calls
   * made while one is waiting to start share it (a burst of feedback costs one round of Redis calls).
   */
  sync(): Promise<void> {
    if (this.waiting !== null) return this.waiting;
    const next = this.chain.then(() => {
      this.waiting = null;
      return this.syncOnce();
    }).catch(() => {});
    this.waiting = next;
    this.chain = next;
    return next;
  }

  private async syncOnce(): Promise<void> {
    const client = this.link.client;
    if (client === null || this.link.state() !== 'up') return;
    if (this.reseed) {
      const known = this.state.sharedSums();
      if (known.n.some((v) => v > 0)) await client.eval(SEED_SCRIPT, 1, this.key, '0', ...scriptArgs(known, this.state.d));
      this.reseed = false;
    }
    const out = this.state.inFlight() ?? this.state.beginWrite();
    if (out !== null) {
      this.writeId ??= randomBytes(12).toString('hex');
      let answer: unknown;
      try {
        answer = await client.eval(ADD_SCRIPT, 2, this.key, `${this.key}:w:${this.writeId}`, String(WRITE_MARK_TTL_MS), ...scriptArgs(out, this.state.d));
      } catch {
        return; // outcome unknown (it may still run): keep it in flight, retry under the same id
      }
      if (Number(answer) === -1) this.duplicateWrites++;
      else this.writes++;
      this.state.endWrite(true);
      this.writeId = null;
    }
    const v = Number((await client.hget(this.key, 'v')) ?? 0);
    if (v === this.version) return;
    const hash = await client.hgetall(this.key);
    this.version = Number(hash['v'] ?? 0);
    this.state.adoptShared(parseSums(hash, this.state.params.arms.length, this.state.d));
    this.pulls++;
  }

  /** Sync every `intervalMs` (the timer does not keep the process alive). */
  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.sync(), intervalMs);
    this.timer.unref();
  }

  /** Stop the timer and make a last attempt to push pending updates. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.sync();
  }
}
