/**
 * Who is who in a generated dataset: each session's class, experiment and start time, decided up front
 * from the seed so any chunk of sessions can be generated independently and identically.
 */
import { createRng, type Rng } from '../stats/rng.js';

export interface PlanOptions {
  sessions: number;
  agentShare: number;
  seed: number;
  /** epoch ms of the earliest session start */
  startMs: number;
  /** sessions start uniformly over this many days */
  spanDays: number;
  /** sessions per experiment (one subject, one class, like the original study's experiments table) */
  sessionsPerExperiment: number;
}

export interface Experiment {
  id: string;
  createdAtMs: number;
  subjectName: string;
  humanOnly: boolean;
  marketMode: string;
  taskId: string;
}

export interface SessionPlan {
  n: number;
  isAgent: Uint8Array;
  experiment: Int32Array;
  startMs: Float64Array;
  experimentCount: number;
  /**
   * Experiment e's id. Ids are drawn lazily, in order (a forward cursor): a generator thread asks only for
   * the experiments of its own chunks, in increasing order, and never holds the whole table.
   */
  experimentId: (e: number) => string;
  /** The whole experiments table (built on each call). */
  experiments: () => Experiment[];
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const NIBBLE = '0123456789abcdef';

/**
 * A version-4-shaped UUID drawn from the generator: four 32-bit draws as 32 hex digits, with digit 12
 * replaced by the version `4` and digit 16 by the variant (8–b). Built from a byte table: experiments
 * tables of a million rows draw a million of these.
 */
export function uuidFrom(rng: Rng): string {
  const a = Math.floor(rng.next() * 4294967296), b = Math.floor(rng.next() * 4294967296);
  const c = Math.floor(rng.next() * 4294967296), d = Math.floor(rng.next() * 4294967296);
  const byte = (x: number, k: number): number => (x >>> (24 - 8 * k)) & 0xff;
  const word = (x: number): string => HEX[byte(x, 0)]! + HEX[byte(x, 1)]! + HEX[byte(x, 2)]! + HEX[byte(x, 3)]!;
  return `${word(a)}-${HEX[byte(b, 0)]}${HEX[byte(b, 1)]}-4${NIBBLE[byte(b, 2) & 15]}${HEX[byte(b, 3)]}-${NIBBLE[((byte(c, 0) >> 4) & 3) | 8]}${NIBBLE[byte(c, 0) & 15]}${HEX[byte(c, 1)]}-${HEX[byte(c, 2)]}${HEX[byte(c, 3)]}${word(d)}`;
}

/** Seed of session i's own generator (independent of chunking and thread count). */
export function sessionSeed(seed: number, i: number): number {
  return (Math.trunc(seed) % 1_000_003) * 2_147_483_647 + i;
}

/** Decide classes (exactly round(α · experiments) agent experiments), experiments and start times. */
export function planSessions(o: PlanOptions): SessionPlan {
  const rng = createRng(o.seed);
  const n = o.sessions;
  const g = Math.max(1, o.sessionsPerExperiment);
  const nExp = Math.ceil(n / g);
  const order = Int32Array.from({ length: nExp }, (_, i) => i);
  for (let i = nExp - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nAgentExp = Math.round(o.agentShare * nExp);
  const expIsAgent = new Uint8Array(nExp);
  for (let k = 0; k < nAgentExp; k++) expIsAgent[order[k]!] = 1;
  const tasks = [uuidFrom(rng), uuidFrom(rng), uuidFrom(rng)];
  const span = o.spanDays * 86_400_000;
  const startMs = new Float64Array(n);
  for (let i = 0; i < n; i++) startMs[i] = o.startMs + Math.floor(rng.next() * span);
  // experiment ids continue the same stream: a replay skips the draws made above (one 32-bit draw each)
  const drawsBefore = Math.max(0, nExp - 1) + 12 + n;
  const idStream = (): Rng => {
    const r = createRng(o.seed);
    for (let k = 0; k < drawsBefore; k++) r.next();
    return r;
  };
  let cursor: Rng | null = null, drawn = 0, lastId = '';
  const experimentId = (e: number): string => {
    if (e < drawn - 1) throw new Error(`experiment ids are drawn in order: asked for ${e} after ${drawn - 1}`);
    cursor ??= idStream();
    for (; drawn < e; drawn++) for (let k = 0; k < 4; k++) cursor.next();
    if (drawn === e) {
      lastId = uuidFrom(cursor);
      drawn++;
    }
    return lastId;
  };
  const experiments = (): Experiment[] => {
    const ids = idStream();
    const out: Experiment[] = [];
    for (let e = 0; e < nExp; e++) {
      let first = Infinity;
      for (let i = e * g; i < Math.min(n, (e + 1) * g); i++) first = Math.min(first, startMs[i]!);
      out.push({
        id: uuidFrom(ids),
        createdAtMs: first - 60_000,
        subjectName: `subject-${String(e + 1).padStart(4, '0')}`,
        humanOnly: expIsAgent[e] === 0,
        marketMode: 'dynamic',
        taskId: tasks[e % tasks.length]!,
      });
    }
    return out;
  };
  const isAgent = new Uint8Array(n);
  const experiment = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    experiment[i] = Math.floor(i / g);
    isAgent[i] = expIsAgent[experiment[i]!]!;
  }
  return { n, isAgent, experiment, startMs, experimentCount: nExp, experimentId, experiments };
}
