/**
 * An agent scorer backed by phantom's kernel gap scorer (src/sim/session-scorer.ts): per run, a pool of
 * human and agent sessions is walked on the behaviour profiles' Markov kernels and scored with
 * f = σ(gap / T); each opportunity's p_agent is a draw from its true class's pool. The scores are the
 * scorer's own (not recalibrated), so the defence inherits its real separation and its miscalibration.
 */
import type { Profile } from '../generate/profile.js';
import { compileBehaviour, type ClassWalk } from '../sim/behaviour.js';
import { GAP_SCORER_DEFAULTS, kernelGapScorer, profileRows } from '../sim/session-scorer.js';
import type { Rng } from '../stats/rng.js';
import type { AgentScorer } from './agent-scorer.js';

/** Sessions walked and scored per class. */
export const KERNEL_POOL = 4096;

function walk(w: ClassWalk, start: number, end: number, rng: Rng, traj: Int32Array): number {
  let s = start, n = 0;
  traj[n++] = s;
  while (s !== end && n < traj.length - 1) {
    const cum = w.cumulative[s]!, next = w.next[s]!, u = rng.next();
    if (next.length === 0) break;
    let k = 0;
    while (k < cum.length - 1 && cum[k]! <= u) k++;
    s = next[k]!;
    traj[n++] = s;
  }
  if (s !== end) traj[n++] = end;
  return n;
}

/**
 * Score pools for both classes from behaviour profiles; the scorer draws from them.
 * @example const scorer = kernelPoolScorer({ human, agent }, rng)
 */
export function kernelPoolScorer(profiles: { human: Profile; agent: Profile }, rng: Rng, pool = KERNEL_POOL): AgentScorer & { human: Float64Array; agent: Float64Array } {
  const behaviour = compileBehaviour(profiles);
  const scorer = kernelGapScorer(behaviour.states, profileRows(profiles.human), profileRows(profiles.agent), GAP_SCORER_DEFAULTS);
  const human = new Float64Array(pool), agent = new Float64Array(pool);
  for (const [w, out] of [[behaviour.human, human], [behaviour.agent, agent]] as const) {
    const traj = new Int32Array(w.maxEvents + 2);
    for (let i = 0; i < pool; i++) out[i] = scorer.score(traj, walk(w, behaviour.start, behaviour.end, rng, traj));
  }
  return { human, agent, score: (isAgent, r) => (isAgent ? agent : human)[r.int(pool)]! };
}
