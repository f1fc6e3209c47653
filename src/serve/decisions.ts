/**
 * LinUCB price decisions kept for their feedback: locally in a ring of `max` slots (arm, markup, time and
 * the context x in typed arrays, ~170 bytes a decision with its id; the oldest slot is reused first) and,
 * with Redis, under `<prefix>d:<id>` with the TTL, so feedback may reach any replica. The Redis write is
 * not awaited on the price path; a claim that misses locally asks Redis.
 */
import type { RedisLink } from './redis-link.js';

export interface Decision {
  decisionId: string;
  /** LinUCB arm */
  arm: number;
  /** the context the arm was chosen for */
  x: number[];
  markup: number;
}

export class DecisionLog {
  private readonly slotOf = new Map<string, number>();
  private readonly ids: (string | null)[];
  private readonly arm: Int32Array;
  private readonly markup: Float64Array;
  private readonly at: Float64Array;
  /** 1 once Redis acknowledged the slot's copy: then a GETDEL miss means another replica claimed it */
  private readonly inRedis: Uint8Array;
  private xs: Float64Array | null = null;
  private next = 0;

  constructor(private readonly link: RedisLink, private readonly max: number, private readonly ttlMs: number, private readonly now: () => number = Date.now) {
    this.ids = new Array<string | null>(max).fill(null);
    this.arm = new Int32Array(max);
    this.markup = new Float64Array(max);
    this.at = new Float64Array(max);
    this.inRedis = new Uint8Array(max);
  }

  /** Remember a decision (Redis write in the background). @example log.record({ decisionId, arm, x, markup }) */
  record(d: Omit<Decision, 'x'> & { x: ArrayLike<number> }): void {
    const d0 = d.x.length;
    this.xs ??= new Float64Array(this.max * d0);
    const slot = this.next;
    this.next = (this.next + 1) % this.max;
    const old = this.ids[slot];
    if (old !== null && old !== undefined) this.slotOf.delete(old);
    this.ids[slot] = d.decisionId;
    this.slotOf.set(d.decisionId, slot);
    this.arm[slot] = d.arm;
    this.markup[slot] = d.markup;
    this.at[slot] = this.now();
    this.xs.set(d.x, slot * d0);
    this.inRedis[slot] = 0;
    const client = this.link.client;
    if (client !== null && this.link.state() === 'up') {
      client.set(`${this.link.prefix}d:${d.decisionId}`, JSON.stringify({ arm: d.arm, x: Array.from(d.x), markup: d.markup }), 'PX', this.ttlMs)
        .then(() => { if (this.ids[slot] === d.decisionId) this.inRedis[slot] = 1; }, () => {});
    }
  }

  /** Take the local copy out of its slot (undefined when absent or expired), and whether Redis has it too. */
  private takeLocal(id: string): { decision: Decision; inRedis: boolean } | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    this.slotOf.delete(id);
    this.ids[slot] = null;
    if (this.now() - this.at[slot]! > this.ttlMs) return undefined;
    const d0 = this.xs!.length / this.max;
    const decision = { decisionId: id, arm: this.arm[slot]!, markup: this.markup[slot]!, x: Array.from(this.xs!.subarray(slot * d0, (slot + 1) * d0)) };
    return { decision, inRedis: this.inRedis[slot] === 1 };
  }

  /**
   * Take a decision for its feedback, once: removed locally and, with Redis, by an atomic GETDEL, so a
   * second feedback for it finds nothing. Undefined when unknown, expired, or already claimed. Past the
   * request budget the local copy answers (the GETDEL may still run later; it only deletes).
   */
  async claim(id: string): Promise<Decision | undefined> {
    const hit = this.takeLocal(id);
    const client = this.link.client;
    if (client === null || this.link.state() !== 'up') return hit?.decision;
    try {
      const text = await this.link.withinBudget(client.getdel(`${this.link.prefix}d:${id}`));
      if (text === null) return hit?.inRedis === false ? hit.decision : undefined; // Redis had it: claimed elsewhere
      const d = JSON.parse(text) as Omit<Decision, 'decisionId'>;
      return hit?.decision ?? { decisionId: id, arm: d.arm, x: d.x, markup: d.markup };
    } catch {
      return hit?.decision;
    }
  }

  get size(): number {
    return this.slotOf.size;
  }
}
