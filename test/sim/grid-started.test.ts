// The grid on workers started before its spec existed (startGridWorkers, as `phantom simulate` does while it
// reads its inputs): the spec arrives as the workers' first message and the rows and traces are those of the
// main thread, run for run.
import { describe, expect, it } from 'vitest';
import type { GridSpec } from '../../src/sim/grid-cell.js';
import { gridRunCount, gridWorkerCount, runGrid, startGridWorkers } from '../../src/sim/grid.js';
import { resolvePolicyParams } from '../../src/sim/policies/policy-params.js';
import { setupData } from './setup-fixture.js';

const spec: GridSpec = {
  setup: setupData(), alphas: [0, 0.4], policies: ['static', 'defended-linucb'], seeds: [5, 6], steps: 12,
  params: resolvePolicyParams(), traceAlpha: 0.4,
};

describe('runGrid on started workers', () => {
  it('gives the main thread’s rows and traces', async () => {
    const here = await runGrid(spec, { workers: 0 });
    const started = startGridWorkers(2);
    const ahead = await runGrid(spec, { workers: 2, started });
    expect(ahead.workers).toBe(2);
    expect(ahead.rows).toEqual(here.rows);
    expect(ahead.traces).toEqual(here.traces);
    expect(started.workers.every((w) => w.threadId === -1)).toBe(true); // terminated
  });

  it('counts runs (the oracle added once per cell) and caps the workers at one per run', async () => {
    expect(gridRunCount(spec)).toBe(2 * 2 * 3);
    expect(gridRunCount({ ...spec, policies: ['oracle', 'static'] })).toBe(2 * 2 * 2);
    expect(gridWorkerCount(3, 8)).toBe(3);
    expect(gridWorkerCount(12, 0)).toBe(0);
    const unused = startGridWorkers(2); // --workers 0 after all: runGrid terminates them
    const here = await runGrid(spec, { workers: 0, started: unused });
    expect(here.workers).toBe(0);
    expect(unused.workers.every((w) => w.threadId === -1)).toBe(true);
  });
});
