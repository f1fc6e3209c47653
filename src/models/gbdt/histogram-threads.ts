/**
 * Histogram building on more than one core: helper threads share the bin index (both layouts), the
 * gradients, the row index and the histogram buffers (SharedArrayBuffer) and each fills a disjoint range of
 * columns of the same rows. Every slot still receives its rows in row order, so the histograms — and the
 * trees — are those of one thread, bit for bit. Each thread also subtracts its columns of the parents'
 * histograms and searches its features for the best splits (level-share.ts). The trainer hands over a whole
 * depth level at once (one wake-up per level, not per node); it takes the first column range itself and
 * waits on an Atomics word for the helpers (no event loop round trip). An error in a helper is thrown by
 * the caller with the same exit class. The same helpers also take row ranges of the per-row work
 * (row-share.ts): the partition of a level's nodes after their splits, and the margin update with the next
 * gradients after a tree. Where the runtime has WebAssembly SIMD and shared memory, every one of these
 * arrays and histograms lives in one shared WebAssembly.Memory (arenaPlacement, hist-kernel.ts) and the
 * histograms, subtractions, split scans and partitions run in the WebAssembly kernels (hist-kernel.wat): the
 * same floating-point operations in the same order, so the same trees.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { PhantomError } from '../../errors.js';
import { workerScript } from '../../worker-script.js';
import { newBinIndex, type BinAlloc, type BinIndex } from './binning.js';
import { createArena, type KernelArena } from './hist-kernel.js';
import { nodeRows, type BinLayouts, type NodeRows } from './histogram.js';
import { bestOfShares, CANDIDATE_WORDS, levelShare, type LevelJobs, type SplitSetup } from './level-share.js';
import { joinParts, partitionPart, partitionShare, partStart, updateShare, type PartitionJobs, type RowState } from './row-share.js';

/** Fills the histograms of one level's nodes and finds their best splits. */
export interface HistogramBuilder {
  /** Rows in node order with their gradient pairs (the trainer writes them before each tree and partitions them). */
  readonly node: NodeRows;
  /** Threads that fill histograms: the caller plus the helpers that started. */
  readonly threads: number;
  /** Allocates histogram buffers the helpers can see. */
  allocate(size: number): Float64Array;
  /** Runs a level's jobs (see LevelJobs; every small[j] starts zeroed) over `features` (ascending); fills jobs.found. */
  buildLevel(jobs: LevelJobs, features: Int32Array): void;
  /** Partitions a level's nodes in node.rows (see PartitionJobs, row-share.ts); fills jobs.mid. */
  partitionLevel(jobs: PartitionJobs): void;
  /** Arrays the per-row state may live in (shared memory when helpers run). */
  rowArray<T extends Float32Array | Float64Array | Uint8Array>(kind: new (buffer: ArrayBuffer | SharedArrayBuffer) => T, bytesPerRow: number): T;
  /** The trainer's margins, labels and gradient pairs by row id (arrays from rowArray), for updateRows. */
  bindRows(state: RowState): void;
  /**
   * After a tree: every row of leaf i (node positions [leafBegin[i], leafEnd[i])) adds leafValue[i] to its
   * margin and, with `gradients`, gets its next gradient pair (row-share.ts updateShare).
   */
  updateRows(leafCount: number, leafBegin: Int32Array, leafEnd: Int32Array, leafValue: Float32Array, gradients: boolean): void;
  /** Ends the helper threads (idempotent). */
  close(): void;
}

/** Below this many cells (rows × columns) in a level, the calling thread builds it alone: waking a helper costs more. */
const MIN_SHARED_CELLS = 64 * 1024;
/** Below this many rows in a level's partitions (or a round's update), the calling thread does them alone. */
const MIN_SHARED_ROWS = 8 * 1024;
/** How long the trainer waits for a helper before giving up (a helper that hangs never answers). */
const HELPER_TIMEOUT_MS = 120_000;
/** How long a helper may take to start (a loaded machine can take seconds); past it, one thread does the work. */
const HELPER_START_MS = 15_000;
/** Nodes handed over per wake-up (a deeper level goes in several batches). */
export const HIST_JOBS = 1024;

// control words (Int32Array over a SharedArrayBuffer): one block per helper, then the job list (begin, end,
// small id, parent id or −1), then the feature count and the features; doubles in a second buffer: the
// (G, H) sums of each job, then every thread's candidates
const SEQ = 0, COUNT = 1, COL_BEGIN = 2, COL_END = 3, DONE = 4, CMD = 5;
export const HIST_BLOCK = 6;
export const JOB_INTS = 4;
/** Where thread t's candidate `which` of job j is in the doubles buffer. */
export function candidateAt(t: number, j: number, which: number): number {
  return 4 * HIST_JOBS + ((t * HIST_JOBS + j) * 2 + which) * CANDIDATE_WORDS;
}
export const HIST_CMD = { build: 1, exit: 2, partition: 3, update: 4 } as const;
/** Partition and update jobs (row-share.ts), structure of arrays: PART_FIELDS Int32 fields of HIST_JOBS each. */
export const PART_FIELDS = 6;
/** DONE values before any command: starting, ready, failed. */
export const HIST_STATE = { starting: -1, ready: 0, failed: -2 } as const;
/** What a helper posts on its port before it reports HIST_STATE.failed. */
export interface HelperFailure { message: string; exitCode: number | null; stack: string | null }

/** The arena's first size: both bin layouts, the node rows and scratch (24 bytes a row), 2 MB of histograms. */
function arenaBytes(nRows: number, nCols: number): number {
  return 4 * nRows * nCols + 24 * nRows + (2 << 20); // the histograms grow it as they come
}

/** Where the trainer makes its bin index (arenaBins): the allocator, and the arena once it made one. */
export interface ArenaBins { alloc: BinAlloc; arena(): KernelArena | undefined }

/**
 * A BinAlloc that makes 16-bit bin indexes of nRows × nCols cells in a new kernel arena (hist-kernel.ts),
 * created at the first such index, so the binning and the transpose write both layouts where the
 * WebAssembly kernels read them and arenaPlacement need not copy them (the copy was the trainer's peak
 * memory). 32-bit indexes, `kernels` 'js' or a runtime without the kernels get newBinIndex's arrays.
 * @example const place = arenaBins(nRows, nCols); const { bins } = binOnThreads(x32, nRows, nCols, 256, 2, undefined, place.alloc);
 */
export function arenaBins(nRows: number, nCols: number, kernels: 'auto' | 'js' = 'auto'): ArenaBins {
  let arena: KernelArena | null | undefined = kernels === 'js' ? null : undefined;
  return {
    alloc: (length, wide, shared) => {
      if (wide || length !== nRows * nCols) return newBinIndex(length, wide, shared);
      if (arena === undefined) arena = createArena(arenaBytes(nRows, nCols));
      return arena === null ? newBinIndex(length, wide, shared) : arena.alloc(Uint16Array, length);
    },
    arena: () => arena ?? undefined,
  };
}

/**
 * The bin index (both layouts), the node rows and the partition's scratch in one shared WebAssembly memory
 * (hist-kernel.ts), where the WebAssembly kernels read them: the layouts' own arena when both already live
 * there (arenaBins), else a new one with a copy of each; null when the runtime lacks WebAssembly SIMD or
 * shared memory, or the bins are 32-bit (the kernels read 16-bit slots).
 */
export function arenaPlacement(layouts: BinLayouts, kernels: 'auto' | 'js' = 'auto'): { layouts: BinLayouts; node: NodeRows; scratch: NodeRows } | null {
  if (kernels === 'js' || !(layouts.bins instanceof Uint16Array) || !(layouts.binsByColumn instanceof Uint16Array)) return null;
  const { nRows, nCols } = layouts, cells = nRows * nCols;
  const rows = (arena: KernelArena): NodeRows => ({ rows: arena.alloc(Int32Array, nRows), grad: arena.alloc(Float32Array, nRows), hess: arena.alloc(Float32Array, nRows) });
  const own = layouts.arena;
  if (own?.has(layouts.bins, layouts.binsByColumn)) return { layouts, node: rows(own), scratch: rows(own) };
  const arena = createArena(arenaBytes(nRows, nCols));
  if (arena === null) return null;
  const bins = arena.alloc(Uint16Array, cells), binsByColumn = arena.alloc(Uint16Array, cells);
  bins.set(layouts.bins);
  binsByColumn.set(layouts.binsByColumn);
  return { layouts: { bins, binsByColumn, nRows, nCols, arena }, node: rows(arena), scratch: rows(arena) };
}

/** One thread: the calling thread fills every column. */
function serialBuilder(plain: BinLayouts, setup: SplitSetup, kernels: 'auto' | 'js'): HistogramBuilder {
  const placed = arenaPlacement(plain, kernels);
  const layouts = placed?.layouts ?? plain, arena = layouts.arena;
  const { nRows, nCols } = layouts;
  const node = placed?.node ?? nodeRows(nRows, false, true), scratch = placed?.scratch ?? nodeRows(nRows, false, true);
  let out = new Float64Array(0);
  let state: RowState | null = null;
  const lefts = new Int32Array(1);
  return {
    node, threads: 1,
    allocate: (size) => (arena === undefined ? new Float64Array(size) : arena.alloc(Float64Array, size)),
    partitionLevel: (jobs) => {
      for (let j = 0; j < jobs.count; j++) {
        const b = jobs.begin[j]!, e = jobs.end[j]!;
        lefts[0] = partitionPart(layouts.binsByColumn, jobs.feature[j]! * nRows, node, scratch, b, e, jobs.splitSlot[j]!, jobs.missSlot[j]!, jobs.defaultLeft[j] === 1, arena);
        jobs.mid[j] = joinParts(node, scratch, b, e, lefts, 1);
      }
    },
    rowArray: (kind, bytesPerRow) => new kind(new ArrayBuffer(bytesPerRow * nRows)),
    bindRows: (s) => { state = s; },
    updateRows: (leafCount, leafBegin, leafEnd, leafValue, gradients) => {
      if (state === null) throw new Error('updateRows before bindRows');
      updateShare(node.rows, state, leafCount, leafBegin, leafEnd, leafValue, 0, nRows, gradients);
    },
    buildLevel: (jobs, features) => {
      if (out.length < 2 * CANDIDATE_WORDS * jobs.count) out = new Float64Array(2 * CANDIDATE_WORDS * jobs.count);
      levelShare(layouts, setup, node, jobView(jobs), features, 0, nCols, out, (j, w) => (2 * j + w) * CANDIDATE_WORDS);
      for (let j = 0; j < jobs.count; j++) {
        jobs.found[2 * j] = bestOfShares(out, [2 * j * CANDIDATE_WORDS]);
        jobs.found[2 * j + 1] = jobs.parent[j] === null ? null : bestOfShares(out, [(2 * j + 1) * CANDIDATE_WORDS]);
      }
    },
    close: () => {},
  };
}

/** LevelJobs (or a batch of them from `from`) as levelShare reads them. */
function jobView(jobs: LevelJobs, from = 0, to = jobs.count) {
  return {
    count: to - from, begin: jobs.begin.subarray(from, to), end: jobs.end.subarray(from, to), sums: jobs.sums.subarray(4 * from, 4 * to),
    small: (j: number) => jobs.small[from + j]!, parent: (j: number) => jobs.parent[from + j]!,
  };
}

/** Column ranges for `parts` threads, on multiples of four (the accumulation loops' step) where possible. */
export function columnRanges(nCols: number, parts: number): Int32Array {
  const bounds = new Int32Array(parts + 1);
  for (let p = 1; p < parts; p++) bounds[p] = Math.min(nCols, Math.round((nCols * p) / parts / 4) * 4);
  bounds[parts] = nCols;
  for (let p = 1; p <= parts; p++) if (bounds[p]! < bounds[p - 1]!) bounds[p] = bounds[p - 1]!;
  return bounds;
}

/**
 * A histogram builder on `threads` threads (the caller plus threads − 1 helpers). With one thread, too few
 * columns, or helpers that cannot start, it builds on the calling thread alone — same results either way.
 * `kernels` 'js' keeps the JavaScript kernels (the same results again).
 * @example const hb = histogramBuilder({ bins, binsByColumn, nRows, nCols }, { cuts, hasMissing, gain }, 2); try { … } finally { hb.close(); }
 */
export function histogramBuilder(layouts: BinLayouts, setup: SplitSetup, threads: number, kernels: 'auto' | 'js' = 'auto'): HistogramBuilder {
  const helpers = Math.min(Math.max(1, Math.floor(threads)), Math.floor(layouts.nCols / 4)) - 1;
  if (helpers < 1) return serialBuilder(layouts, setup, kernels);
  try {
    return new SharedBuilder(layouts, setup, helpers, kernels);
  } catch {
    return serialBuilder(layouts, setup, kernels);
  }
}

/** The partition jobs in the shared PART_FIELDS × HIST_JOBS words (see PartitionJobs). */
export function partitionView(part: Int32Array, count: number): PartitionJobs {
  const field = (i: number) => part.subarray(i * HIST_JOBS, (i + 1) * HIST_JOBS);
  return { count, begin: field(0), end: field(1), feature: field(2), splitSlot: field(3), missSlot: field(4), defaultLeft: field(5), mid: new Int32Array(0) };
}

/** A shared array as a helper rebuilds it: its buffer, byte offset and length. */
export interface SharedRef { buffer: SharedArrayBuffer; offset: number; length: number }
function ref(a: ArrayBufferView & { length: number }): SharedRef {
  return { buffer: a.buffer as SharedArrayBuffer, offset: a.byteOffset, length: a.length };
}

/** The same bin index in shared memory (a copy unless it already lives there). */
export function sharedBins(bins: BinIndex): BinIndex {
  if (bins.buffer instanceof SharedArrayBuffer) return bins;
  const out = bins instanceof Uint16Array ? new Uint16Array(new SharedArrayBuffer(bins.byteLength)) : new Uint32Array(new SharedArrayBuffer(bins.byteLength));
  out.set(bins);
  return out;
}

class SharedBuilder implements HistogramBuilder {
  readonly node: NodeRows;
  private readonly layouts: BinLayouts;
  private readonly arena: KernelArena | undefined;
  private readonly ctl: Int32Array;
  private readonly jobs: Int32Array;
  private readonly features: Int32Array;
  private readonly dbl: Float64Array;
  private readonly workers: Worker[] = [];
  private readonly ports: MessageChannel['port1'][] = [];
  private readonly histIds = new Map<Float64Array, number>();
  private readonly bounds: Int32Array;
  private readonly scratch: NodeRows;
  /** Partition or update jobs (PART_FIELDS fields of HIST_JOBS), then every thread's left counts (HIST_JOBS each). */
  private readonly part: Int32Array;
  private readonly lefts: Int32Array;
  private state: RowState | null = null;
  private seq = 0;
  private closed = false;

  get threads(): number {
    return this.closed ? 1 : this.workers.length + 1;
  }

  constructor(layouts: BinLayouts, private readonly setup: SplitSetup, helpers: number, kernels: 'auto' | 'js') {
    const { nRows, nCols } = layouts;
    const placed = arenaPlacement(layouts, kernels);
    if (placed !== null) {
      this.layouts = placed.layouts; this.node = placed.node; this.scratch = placed.scratch;
    } else {
      this.layouts = { bins: sharedBins(layouts.bins), binsByColumn: sharedBins(layouts.binsByColumn), nRows, nCols };
      this.node = nodeRows(nRows, true, true);
      this.scratch = nodeRows(nRows, true, true);
    }
    const { bins, binsByColumn } = this.layouts;
    this.arena = this.layouts.arena;
    const partBuffer = new SharedArrayBuffer(4 * HIST_JOBS * (PART_FIELDS + helpers + 1));
    this.part = new Int32Array(partBuffer, 0, PART_FIELDS * HIST_JOBS);
    this.lefts = new Int32Array(partBuffer, 4 * PART_FIELDS * HIST_JOBS);
    const jobsAt = HIST_BLOCK * helpers, featuresAt = jobsAt + JOB_INTS * HIST_JOBS;
    const ctlBuffer = new SharedArrayBuffer(4 * (featuresAt + 1 + nCols));
    const dblBuffer = new SharedArrayBuffer(8 * candidateAt(helpers + 1, 0, 0));
    this.ctl = new Int32Array(ctlBuffer, 0, jobsAt);
    this.jobs = new Int32Array(ctlBuffer, 4 * jobsAt, JOB_INTS * HIST_JOBS);
    this.features = new Int32Array(ctlBuffer, 4 * featuresAt, 1 + nCols);
    this.dbl = new Float64Array(dblBuffer);
    this.bounds = columnRanges(nCols, helpers + 1);
    const script = workerScript(import.meta.url, 'models/gbdt/histogram-worker.js');
    if (!existsSync(fileURLToPath(script))) throw new Error('histogram helper script is not built');
    for (let w = 0; w < helpers; w++) {
      this.ctl[w * HIST_BLOCK + DONE] = HIST_STATE.starting;
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(script, {
        workerData: {
          ctl: ctlBuffer, dbl: dblBuffer, block: w * HIST_BLOCK, thread: w + 1, jobsAt, featuresAt, bins: ref(bins), binsByColumn: ref(binsByColumn),
          binsWide: bins instanceof Uint32Array, rows: ref(this.node.rows), grad: ref(this.node.grad), hess: ref(this.node.hess), pairs32: true, nRows, nCols, port: port2,
          scratch: { rows: ref(this.scratch.rows), grad: ref(this.scratch.grad), hess: ref(this.scratch.hess) }, part: partBuffer, parts: helpers + 1,
          wasm: this.arena === undefined ? null : { memory: this.arena.memory, module: this.arena.module },
          setup: { cuts: setup.cuts, hasMissing: setup.hasMissing, gain: setup.gain },
        },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
    for (let w = 0; w < helpers; w++) {
      if (!this.waitFor(w, (v) => v !== HIST_STATE.starting, HELPER_START_MS) || Atomics.load(this.ctl, w * HIST_BLOCK + DONE) !== HIST_STATE.ready) {
        this.close();
        throw new Error('histogram helper thread did not start');
      }
    }
  }

  allocate(size: number): Float64Array {
    const hist = this.arena === undefined ? new Float64Array(new SharedArrayBuffer(8 * size)) : this.arena.alloc(Float64Array, size);
    const id = this.histIds.size;
    this.histIds.set(hist, id);
    for (const port of this.ports) port.postMessage({ id, hist: ref(hist) });
    return hist;
  }

  buildLevel(jobs: LevelJobs, features: Int32Array): void {
    for (let from = 0; from < jobs.count; from += HIST_JOBS) this.buildBatch(jobs, features, from, Math.min(jobs.count, from + HIST_JOBS));
  }

  private buildBatch(jobs: LevelJobs, features: Int32Array, from: number, to: number): void {
    const { nCols } = this.layouts;
    let cells = 0, registered = true;
    for (let j = from; j < to; j++) {
      cells += (jobs.end[j]! - jobs.begin[j]!) * nCols;
      const small = this.histIds.get(jobs.small[j]!), parent = jobs.parent[j] === null ? -1 : this.histIds.get(jobs.parent[j]!);
      if (small === undefined || parent === undefined) { registered = false; continue; }
      const at = JOB_INTS * (j - from);
      this.jobs[at] = jobs.begin[j]!; this.jobs[at + 1] = jobs.end[j]!; this.jobs[at + 2] = small; this.jobs[at + 3] = parent;
      for (let k = 0; k < 4; k++) this.dbl[4 * (j - from) + k] = jobs.sums[4 * j + k]!;
    }
    const view = jobView(jobs, from, to), sums = this.dbl.subarray(0, 4 * (to - from));
    const share = (t: number, c0: number, c1: number) => levelShare(this.layouts, this.setup, this.node,
      { ...view, sums }, features, c0, c1, this.dbl, (j, which) => candidateAt(t, j, which));
    let used = this.workers.length + 1;
    if (this.closed || !registered || cells < MIN_SHARED_CELLS) {
      share(0, 0, nCols);
      used = 1;
    } else {
      this.features[0] = features.length;
      this.features.set(features, 1);
      this.run(HIST_CMD.build, to - from, (w) => [this.bounds[w + 1]!, this.bounds[w + 2]!], () => share(0, this.bounds[0]!, this.bounds[1]!));
    }
    const at0: number[] = [], at1: number[] = [];
    for (let j = from; j < to; j++) {
      at0.length = 0; at1.length = 0;
      for (let t = 0; t < used; t++) { at0.push(candidateAt(t, j - from, 0)); at1.push(candidateAt(t, j - from, 1)); }
      jobs.found[2 * j] = bestOfShares(this.dbl, at0);
      jobs.found[2 * j + 1] = jobs.parent[j] === null ? null : bestOfShares(this.dbl, at1);
    }
  }

  /**
   * Wakes every helper with command `cmd` over `count` jobs (helper w gets the two words args(w)), runs the
   * caller's share, and waits for the helpers.
   */
  private run(cmd: number, count: number, args: (w: number) => [number, number], mine: () => void): void {
    const seq = ++this.seq;
    for (let w = 0; w < this.workers.length; w++) {
      const b = w * HIST_BLOCK, [a0, a1] = args(w);
      this.ctl[b + COUNT] = count;
      this.ctl[b + COL_BEGIN] = a0; this.ctl[b + COL_END] = a1;
      this.ctl[b + CMD] = cmd;
      Atomics.store(this.ctl, b + SEQ, seq);
      Atomics.notify(this.ctl, b + SEQ);
    }
    mine();
    for (let w = 0; w < this.workers.length; w++) {
      if (!this.waitFor(w, (v) => v === seq || v === HIST_STATE.failed, HELPER_TIMEOUT_MS)) {
        this.close();
        throw new Error('a histogram helper thread stopped answering');
      }
      if (Atomics.load(this.ctl, w * HIST_BLOCK + DONE) !== seq) throw this.helperError(w);
    }
  }

  partitionLevel(jobs: PartitionJobs): void {
    const { binsByColumn, nRows } = this.layouts;
    const parts = this.workers.length + 1;
    let rows = 0;
    for (let j = 0; j < jobs.count; j++) rows += jobs.end[j]! - jobs.begin[j]!;
    if (this.closed || rows < MIN_SHARED_ROWS) {
      const lefts = this.lefts.subarray(0, 1);
      for (let j = 0; j < jobs.count; j++) {
        const b = jobs.begin[j]!, e = jobs.end[j]!;
        lefts[0] = partitionPart(binsByColumn, jobs.feature[j]! * nRows, this.node, this.scratch, b, e, jobs.splitSlot[j]!, jobs.missSlot[j]!, jobs.defaultLeft[j] === 1, this.arena);
        jobs.mid[j] = joinParts(this.node, this.scratch, b, e, lefts, 1);
      }
      return;
    }
    const view = partitionView(this.part, 0);
    const got = new Int32Array(parts);
    for (let from = 0; from < jobs.count; from += HIST_JOBS) {
      const to = Math.min(jobs.count, from + HIST_JOBS), count = to - from;
      view.begin.set(jobs.begin.subarray(from, to)); view.end.set(jobs.end.subarray(from, to)); view.feature.set(jobs.feature.subarray(from, to));
      view.splitSlot.set(jobs.splitSlot.subarray(from, to)); view.missSlot.set(jobs.missSlot.subarray(from, to)); view.defaultLeft.set(jobs.defaultLeft.subarray(from, to));
      view.count = count;
      this.run(HIST_CMD.partition, count, () => [0, 0],
        () => partitionShare(binsByColumn, nRows, this.node, this.scratch, view, 0, parts, this.lefts.subarray(0, HIST_JOBS), this.arena));
      for (let j = 0; j < count; j++) {
        for (let t = 0; t < parts; t++) got[t] = this.lefts[t * HIST_JOBS + j]!;
        jobs.mid[from + j] = joinParts(this.node, this.scratch, jobs.begin[from + j]!, jobs.end[from + j]!, got, parts);
      }
    }
  }

  rowArray<T extends Float32Array | Float64Array | Uint8Array>(kind: new (buffer: ArrayBuffer | SharedArrayBuffer) => T, bytesPerRow: number): T {
    return new kind(new SharedArrayBuffer(bytesPerRow * this.layouts.nRows));
  }

  bindRows(state: RowState): void {
    this.state = state;
    const shared = [state.margins, state.labels, state.grad, state.hess].every((a) => a.buffer instanceof SharedArrayBuffer);
    if (!shared) return; // updateRows then runs on the calling thread
    for (const port of this.ports) {
      port.postMessage({ rows: { margins: state.margins.buffer, labels: state.labels.buffer, grad: state.grad.buffer, hess: state.hess.buffer, scalePosWeight: state.scalePosWeight } });
    }
  }

  updateRows(leafCount: number, leafBegin: Int32Array, leafEnd: Int32Array, leafValue: Float32Array, gradients: boolean): void {
    const state = this.state;
    if (state === null) throw new Error('updateRows before bindRows');
    const { nRows } = this.layouts, parts = this.workers.length + 1;
    const shared = state.margins.buffer instanceof SharedArrayBuffer && state.grad.buffer instanceof SharedArrayBuffer;
    if (this.closed || !shared || nRows < MIN_SHARED_ROWS) {
      updateShare(this.node.rows, state, leafCount, leafBegin, leafEnd, leafValue, 0, nRows, gradients);
      return;
    }
    const begin = this.part.subarray(0, HIST_JOBS), end = this.part.subarray(HIST_JOBS, 2 * HIST_JOBS), value = this.dbl.subarray(0, HIST_JOBS);
    for (let from = 0; from < leafCount; from += HIST_JOBS) {
      const to = Math.min(leafCount, from + HIST_JOBS), count = to - from;
      begin.set(leafBegin.subarray(from, to)); end.set(leafEnd.subarray(from, to)); value.set(leafValue.subarray(from, to));
      this.run(HIST_CMD.update, count, () => [gradients ? 1 : 0, 0],
        () => updateShare(this.node.rows, state, count, begin, end, value, partStart(0, nRows, 0, parts), partStart(0, nRows, 1, parts), gradients));
    }
  }

  /** A failed helper's error (posted on its port before it stopped), with its exit class, as the caller's. */
  private helperError(w: number): Error {
    const m = receiveMessageOnPort(this.ports[w]!)?.message as HelperFailure | undefined;
    this.close();
    if (m === undefined) return new Error('a histogram helper thread failed');
    if (m.exitCode !== null) return new PhantomError(m.message, m.exitCode);
    const err = new Error(`histogram helper thread: ${m.message}`);
    if (m.stack !== null) err.stack = m.stack;
    return err;
  }

  /** Wait until helper w's DONE word satisfies `ok`; false on timeout. */
  private waitFor(w: number, ok: (v: number) => boolean, timeoutMs: number): boolean {
    const at = w * HIST_BLOCK + DONE, deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = Atomics.load(this.ctl, at);
      if (ok(v)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.ctl, at, v, Math.min(left, 1000));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let w = 0; w < this.workers.length; w++) {
      const b = w * HIST_BLOCK;
      this.ctl[b + CMD] = HIST_CMD.exit;
      Atomics.store(this.ctl, b + SEQ, ++this.seq);
      Atomics.notify(this.ctl, b + SEQ);
      this.ports[w]!.close();
    }
  }
}
