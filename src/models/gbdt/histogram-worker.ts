/**
 * A histogram helper thread (see histogram-threads.ts): waits on its control block, does its column range
 * of every job of the level (level-share.ts: histograms, subtraction, split search), and reports the
 * command's sequence number as done. New histogram buffers arrive as messages, read synchronously before
 * each command. An error is posted on the port with its exit class before the failed state is reported.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { PhantomError } from '../../errors.js';
import type { BinIndex } from './binning.js';
import { attachArena, type KernelMemory, type KernelModule } from './hist-kernel.js';
import type { BinLayouts, NodeRows } from './histogram.js';
import { candidateAt, HIST_CMD, HIST_JOBS, HIST_STATE, JOB_INTS, PART_FIELDS, partitionView, type HelperFailure, type SharedRef } from './histogram-threads.js';
import { levelShare, type SplitSetup } from './level-share.js';
import { partitionShare, partStart, updateShare, type RowState } from './row-share.js';

/** An array the trainer shares: a SharedRef, or a whole SharedArrayBuffer. */
type Ref = SharedRef | SharedArrayBuffer;

interface HelperData {
  ctl: SharedArrayBuffer; dbl: SharedArrayBuffer; block: number; thread: number; jobsAt: number; featuresAt: number;
  bins: Ref; binsByColumn: Ref; binsWide: boolean;
  rows: Ref; grad: Ref; hess: Ref; nRows: number; nCols: number; port: MessagePort; setup: SplitSetup;
  /** The row-range commands' buffers (row-share.ts); a helper without them only builds histograms. */
  /** The node-order gradient pairs are float32 (histogram.ts nodeRows). */
  pairs32?: boolean;
  scratch?: { rows: Ref; grad: Ref; hess: Ref }; part?: SharedArrayBuffer; parts?: number;
  /** The trainer's kernel memory (hist-kernel.ts): every SharedRef then points into it; null: plain buffers. */
  wasm?: { memory: KernelMemory; module: KernelModule } | null;
}

/** A message on the port: a new histogram buffer, or the trainer's per-row arrays. */
type HelperMessage = { id: number; hist: SharedRef }
  | { rows: { margins: SharedArrayBuffer; labels: SharedArrayBuffer; grad: SharedArrayBuffer; hess: SharedArrayBuffer; scalePosWeight: number } };

const d = workerData as HelperData;
const ctl = new Int32Array(d.ctl, 0, d.jobsAt);
const jobs = new Int32Array(d.ctl, 4 * d.jobsAt, JOB_INTS * HIST_JOBS);
const featureWords = new Int32Array(d.ctl, 4 * d.featuresAt, 1 + d.nCols);
const dbl = new Float64Array(d.dbl);
const b = d.block;
const SEQ = b, COUNT = b + 1, COL_BEGIN = b + 2, COL_END = b + 3, DONE = b + 4, CMD = b + 5;
const arena = d.wasm === undefined || d.wasm === null ? undefined : attachArena(d.wasm.memory, d.wasm.module);
type Kind<T> = new (buffer: SharedArrayBuffer, offset: number, length: number) => T;
/** The array a SharedRef names (a view of the kernel memory when there is one); a bare buffer is the whole of it. */
function open<T extends Uint16Array | Int32Array | Float32Array | Float64Array>(kind: Kind<T> & { BYTES_PER_ELEMENT: number }, r: Ref): T {
  if (r instanceof SharedArrayBuffer) return new kind(r, 0, r.byteLength / kind.BYTES_PER_ELEMENT);
  return arena === undefined ? new kind(r.buffer, r.offset, r.length) : arena.view(kind, r.offset, r.length);
}
const binIndex = (r: Ref): BinIndex => {
  if (!d.binsWide) return open(Uint16Array, r);
  return r instanceof SharedArrayBuffer ? new Uint32Array(r) : new Uint32Array(r.buffer, r.offset, r.length);
};
const layouts: BinLayouts = { bins: binIndex(d.bins), binsByColumn: binIndex(d.binsByColumn), nRows: d.nRows, nCols: d.nCols, ...(arena === undefined ? {} : { arena }) };
const pairs = (r: Ref) => (d.pairs32 === true ? open(Float32Array, r) : open(Float64Array, r));
const node: NodeRows = { rows: open(Int32Array, d.rows), grad: pairs(d.grad), hess: pairs(d.hess) };
const rowRanges = d.scratch !== undefined && d.part !== undefined && d.parts !== undefined ? {
  scratch: { rows: open(Int32Array, d.scratch.rows), grad: pairs(d.scratch.grad), hess: pairs(d.scratch.hess) } satisfies NodeRows,
  words: new Int32Array(d.part, 0, PART_FIELDS * HIST_JOBS), lefts: new Int32Array(d.part, 4 * (PART_FIELDS + d.thread) * HIST_JOBS, HIST_JOBS), parts: d.parts,
} : null;
let state: RowState | null = null;
const hists: Float64Array[] = [];
const begin = new Int32Array(HIST_JOBS), end = new Int32Array(HIST_JOBS);

function drain(): void {
  for (let m = receiveMessageOnPort(d.port); m !== undefined; m = receiveMessageOnPort(d.port)) {
    const msg = m.message as HelperMessage;
    if ('rows' in msg) {
      const r = msg.rows;
      state = { margins: new Float32Array(r.margins), labels: new Uint8Array(r.labels), grad: new Float64Array(r.grad), hess: new Float64Array(r.hess), scalePosWeight: r.scalePosWeight };
    } else {
      hists[msg.id] = open(Float64Array, msg.hist);
    }
  }
}

/** The histogram with this id (its buffer's message may be a moment behind the command). */
function histogram(id: number): Float64Array {
  for (let spins = 0; hists[id] === undefined && spins < 1000; spins++) drain();
  const hist = hists[id];
  if (hist === undefined) throw new Error(`histogram ${id} was never sent`);
  return hist;
}

Atomics.store(ctl, DONE, HIST_STATE.ready);
Atomics.notify(ctl, DONE);
let seen = 0;
try {
  for (;;) {
    Atomics.wait(ctl, SEQ, seen);
    const seq = Atomics.load(ctl, SEQ);
    if (seq === seen) continue;
    seen = seq;
    if (ctl[CMD] === HIST_CMD.exit) break;
    drain();
    const count = ctl[COUNT]!;
    if (ctl[CMD] === HIST_CMD.partition || ctl[CMD] === HIST_CMD.update) {
      if (rowRanges === null) throw new Error('a row-range command without the row-range buffers');
      const { scratch, words, lefts, parts } = rowRanges;
      if (ctl[CMD] === HIST_CMD.partition) {
        partitionShare(layouts.binsByColumn, d.nRows, node, scratch, partitionView(words, count), d.thread, parts, lefts, arena);
      } else {
        if (state === null) throw new Error('a row update before the rows were sent');
        updateShare(node.rows, state, count, words.subarray(0, HIST_JOBS), words.subarray(HIST_JOBS, 2 * HIST_JOBS), dbl.subarray(0, HIST_JOBS),
          partStart(0, d.nRows, d.thread, parts), partStart(0, d.nRows, d.thread + 1, parts), ctl[COL_BEGIN] === 1);
      }
    } else {
      build(count);
    }
    Atomics.store(ctl, DONE, seq);
    Atomics.notify(ctl, DONE);
  }
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  d.port.postMessage({ message: e.message, exitCode: err instanceof PhantomError ? err.exitCode : null, stack: e.stack ?? null } satisfies HelperFailure);
  Atomics.store(ctl, DONE, HIST_STATE.failed);
  Atomics.notify(ctl, DONE);
}
d.port.close();

/** The build command: this thread's column range of every job of the level. */
function build(count: number): void {
  for (let j = 0; j < count; j++) { begin[j] = jobs[JOB_INTS * j]!; end[j] = jobs[JOB_INTS * j + 1]!; }
  const features = featureWords.subarray(1, 1 + featureWords[0]!);
  levelShare(layouts, d.setup, node, {
    count, begin, end, sums: dbl.subarray(0, 4 * count),
    small: (j) => histogram(jobs[JOB_INTS * j + 2]!), parent: (j) => (jobs[JOB_INTS * j + 3]! < 0 ? null : histogram(jobs[JOB_INTS * j + 3]!)),
  }, features, ctl[COL_BEGIN]!, ctl[COL_END]!, dbl, (j, which) => candidateAt(d.thread, j, which));
}
