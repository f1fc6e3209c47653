/**
 * Batch prediction on two cores: a helper thread (started once, then idle and unref'd) and the caller walk
 * the flattened forest over one matrix in shared memory, taking blocks of rows from a shared counter
 * (Atomics.add) until none are left; the caller then waits on an Atomics word for the blocks the helper
 * holds. Each row is walked by one thread exactly as predictForest walks it, so the margins are the same
 * bits whichever thread took its block. A helper that has not started yet takes no block, so a slow start
 * (a loaded machine) costs the caller nothing; a helper that fails inside a block is reported as an error.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../../worker-script.js';
import { predictForest, predictForestRows, type FlatForest } from './predict-flat.js';

/** Rows × trees below which one thread scores alone (the copies into shared memory and a wake-up cost more). */
export const SHARED_MIN_WALKS = 4_000_000;
/** Rows per block taken from the counter (a multiple of predict-flat's 128-row block). */
const BLOCK_ROWS = 4096;
/** How long the caller waits for the helper's last block before reporting it as hung. */
const HELPER_TIMEOUT_MS = 120_000;

/** ctl words: next block, rows done, helper failed, rows the helper scored. */
const NEXT = 0, DONE = 1, FAILED = 2, HELPER_ROWS = 3;

/** What the caller posts to the helper: everything in shared memory, plus the forest's small index arrays. */
export interface PredictJob {
  nodes: SharedArrayBuffer;
  roots: Int32Array;
  depths: Int32Array;
  x: SharedArrayBuffer;
  margins: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  nRows: number;
  nCols: number;
}

let helper: Worker | null | undefined;
let online: Promise<boolean> = Promise.resolve(false);

function startHelper(): Worker | null {
  if (helper !== undefined) return helper;
  try {
    const w = new Worker(workerScript(import.meta.url, 'models/gbdt/predict-worker.js'));
    w.on('error', () => { if (helper === w) helper = null; }); // no helper from then on: the caller takes every block
    w.on('exit', () => { if (helper === w) helper = null; });
    w.unref();
    helper = w;
    online = new Promise((resolve) => { w.once('online', () => resolve(true)); w.once('error', () => resolve(false)); });
  } catch {
    helper = null;
  }
  return helper;
}

/**
 * Take blocks of rows from the job's counter and score them, until none are left (both threads run this).
 * @example takeBlocks(job);
 */
export function takeBlocks(job: PredictJob, isHelper: boolean): void {
  const ctl = new Int32Array(job.ctl);
  const nodes = new Int32Array(job.nodes);
  const forest: FlatForest = { nodes, values: new Float32Array(job.nodes), roots: job.roots, depths: job.depths };
  const x = new Float32Array(job.x), margins = new Float32Array(job.margins);
  for (;;) {
    const from = Atomics.add(ctl, NEXT, 1) * BLOCK_ROWS;
    if (from >= job.nRows) return;
    const to = Math.min(job.nRows, from + BLOCK_ROWS);
    predictForestRows(forest, x, from, to, job.nCols, margins);
    if (isHelper) Atomics.add(ctl, HELPER_ROWS, to - from);
    Atomics.add(ctl, DONE, to - from);
    Atomics.notify(ctl, DONE);
  }
}

/**
 * Resolves true once the helper thread runs (false when it could not start, or was never asked to).
 * @example await predictHelperOnline();
 */
export function predictHelperOnline(): Promise<boolean> {
  return online;
}

/**
 * predictForest on two threads for large batches (rows × trees ≥ SHARED_MIN_WALKS), else on this one;
 * the margins are predictForest's bit for bit.
 * @returns how many rows the helper thread scored (0 when this thread scored them all)
 * @example predictForestShared(flattenForest(model.trees), x32, nRows, nCols, margins);
 */
export function predictForestShared(forest: FlatForest, x32: Float32Array, nRows: number, nCols: number, margins: Float32Array): number {
  const w = nRows * forest.roots.length >= SHARED_MIN_WALKS && nRows > BLOCK_ROWS ? startHelper() : null;
  if (w === null) { predictForest(forest, x32, nRows, nCols, margins); return 0; }
  const share = (a: Int32Array | Float32Array): SharedArrayBuffer => {
    const sab = new SharedArrayBuffer(a.byteLength);
    new Uint8Array(sab).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return sab;
  };
  const job: PredictJob = {
    nodes: share(forest.nodes), roots: forest.roots, depths: forest.depths, x: share(x32), margins: share(margins),
    ctl: new SharedArrayBuffer(16), nRows, nCols,
  };
  w.postMessage(job);
  takeBlocks(job, false);
  const ctl = new Int32Array(job.ctl);
  const deadline = Date.now() + HELPER_TIMEOUT_MS;
  for (let done = Atomics.load(ctl, DONE); done < nRows; done = Atomics.load(ctl, DONE)) {
    if (Atomics.load(ctl, FAILED) !== 0) throw new Error('the prediction helper thread failed inside a block of rows');
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`the prediction helper thread did not finish its rows within ${HELPER_TIMEOUT_MS / 1000} s`);
    Atomics.wait(ctl, DONE, done, Math.min(left, 1000));
  }
  margins.set(new Float32Array(job.margins));
  return Atomics.load(ctl, HELPER_ROWS);
}

/**
 * Tell the caller that the helper failed inside a job (predict-worker.ts).
 * @example markFailed(job);
 */
export function markFailed(job: PredictJob): void {
  const ctl = new Int32Array(job.ctl);
  Atomics.store(ctl, FAILED, 1);
  Atomics.notify(ctl, DONE);
}
