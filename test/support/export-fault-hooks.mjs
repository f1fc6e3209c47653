// Preloaded into the real binary (`NODE_OPTIONS=--import <this file>`) by export fault tests: turns
// environment variables into fault hooks of dist/export/fault-hooks.js. Nothing here ships.
import { existsSync } from 'node:fs';
import { exportFaultHooks } from '../../dist/export/fault-hooks.js';

const kill = () => process.kill(process.pid, 'SIGKILL');
const afterCommits = Number(process.env.PHANTOM_TEST_KILL_AFTER_COMMITS ?? 0);
if (afterCommits > 0) exportFaultHooks.afterCommit = (n) => n === afterCommits && kill();
if (process.env.PHANTOM_TEST_KILL_AFTER_RUN_RECORDED) exportFaultHooks.afterRunRecorded = kill;
const afterRunRolls = Number(process.env.PHANTOM_TEST_KILL_AFTER_RUN_ROLLS ?? 0);
if (afterRunRolls > 0) exportFaultHooks.afterRunRoll = (n) => n === afterRunRolls && kill();
// hold every commit until the test creates this file (a rebalance can complete meanwhile)
const holdUntil = process.env.PHANTOM_TEST_HOLD_COMMITS_UNTIL;
if (holdUntil) {
  exportFaultHooks.beforeCommit = async () => {
    while (!existsSync(holdUntil)) await new Promise((r) => setTimeout(r, 50));
  };
}
