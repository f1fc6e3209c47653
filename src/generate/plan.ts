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
  experiments: Experiment[];
}

/** A version-4-shaped UUID drawn from the generator. */
export function uuidFrom(rng: Rng): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += Math.floor(rng.next() * 4294967296).toString(16).padStart(8, '0');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
  const experiments: Experiment[] = [];
  for (let e = 0; e < nExp; e++) {
    let first = Infinity;
    for (let i = e * g; i < Math.min(n, (e + 1) * g); i++) first = Math.min(first, startMs[i]!);
    experiments.push({
      id: uuidFrom(rng),
      createdAtMs: first - 60_000,
      subjectName: `subject-${String(e + 1).padStart(4, '0')}`,
      humanOnly: expIsAgent[e] === 0,
      marketMode: 'dynamic',
      taskId: tasks[e % tasks.length]!,
    });
  }
  const isAgent = new Uint8Array(n);
  const experiment = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    experiment[i] = Math.floor(i / g);
    isAgent[i] = expIsAgent[experiment[i]!]!;
  }
  return { n, isAgent, experiment, startMs, experiments };
}
