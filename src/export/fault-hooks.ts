/**
 * Points in the export where a test may inject a fault (kill the process at an exact step); empty, and
 * so without effect, in normal runs. Tests fill them from a module preloaded into the real binary with
 * `node --import` (test/support/export-fault-hooks.mjs), so no test switch lives in the export itself.
 *
 *   exportFaultHooks.afterCommit = (n) => { if (n === 2) process.kill(process.pid, 'SIGKILL'); };
 */
export interface ExportFaultHooks {
  /** A roll is staged and its offsets are about to be committed; awaited (a test widens the window a rebalance can fall into). */
  beforeCommit?: () => Promise<void>;
  /** The group took the n-th roll's offsets (1-based); the roll is not published yet. */
  afterCommit?: (n: number) => void;
  /** A one-shot directory export recorded that it is publishing; none of its rolls is in place yet. */
  afterRunRecorded?: () => void;
  /** A one-shot directory export put its n-th roll in place (1-based). */
  afterRunRoll?: (n: number) => void;
}

export const exportFaultHooks: ExportFaultHooks = {};
