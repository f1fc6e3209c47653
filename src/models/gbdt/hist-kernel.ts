/**
 * The WebAssembly histogram kernels (hist-kernel.wat, 128-bit SIMD) and the one shared memory they work in.
 * A KernelArena owns a shared WebAssembly.Memory: the trainer places the bin index, the node rows with their
 * gradient pairs and the histograms in it (`view`), and its helper threads attach to the same memory
 * (`attachArena`), so every thread's kernel reads and writes the same bytes without a copy. The kernels add
 * the same IEEE doubles in the same order as histogram.ts's JavaScript ones, so their histograms are the
 * same bit for bit. Where WebAssembly SIMD or shared memory is missing, `createArena` returns null and the
 * JavaScript kernels run.
 */
import { HIST_KERNEL_BASE64 } from './hist-kernel-wasm.js';

const PAGE = 65536;
/** The memory's maximum in pages (4 GiB: 32-bit addresses). */
const MAX_PAGES = 65536;
/** The first bytes stay unused: a kernel touching the bin before an empty column range reads them. */
const RESERVED = 64;

/** The kernels' exports (hist-kernel.wat); every pointer is a byte offset into the arena's memory. */
export interface HistKernelExports {
  byRow(bins: number, nCols: number, c0: number, c1: number, rows: number, grad: number, hess: number, begin: number, end: number, hist: number): void;
  scattered(bins: number, nCols: number, c0: number, c1: number, rows: number, grad: number, hess: number, begin: number, end: number, hist: number): number;
  byColumn(byCol: number, nRows: number, c0: number, c1: number, rows: number, grad: number, hess: number, begin: number, end: number, hist: number): void;
  subtract(parent: number, small: number, from: number, to: number): void;
  scan(hist: number, slot0: number, nb: number, G: number, H: number, mcw: number, lambda: number, rootGain: number, withMissing: number): number;
  scanBin(): number;
  scanDefaultLeft(): number;
  partition(column: number, rows: number, grad: number, hess: number, sRows: number, sGrad: number, sHess: number,
    begin: number, end: number, splitSlot: number, missSlot: number, defLeft: number): number;
}

/** The WebAssembly API this module uses (the project's TypeScript lib, ES2022 without DOM, does not declare it). */
export interface KernelMemory { readonly buffer: ArrayBuffer | SharedArrayBuffer; grow(pages: number): number }
/** A compiled module (opaque; it can be posted to a worker). */
export type KernelModule = object & { readonly __kernelModule?: never };
interface WasmApi {
  Module: new (bytes: Uint8Array) => KernelModule;
  Instance: new (module: KernelModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => KernelMemory;
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

type View = Uint16Array | Int32Array | Float32Array | Float64Array;
type ViewKind<T extends View> = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => T;

let compiled: KernelModule | null | undefined;

/** The compiled kernel module, or null when this runtime lacks WebAssembly SIMD or shared memory. */
export function kernelModule(): KernelModule | null {
  if (compiled !== undefined) return compiled;
  if (wasmApi === undefined) return (compiled = null);
  try {
    compiled = new wasmApi.Module(Buffer.from(HIST_KERNEL_BASE64, 'base64'));
  } catch {
    compiled = null;
  }
  return compiled;
}

/** A shared memory with the kernels instantiated over it; views of it are what the kernels accept. */
export class KernelArena {
  readonly kernel: HistKernelExports;
  /** The SharedArrayBuffer objects this thread has seen of the memory (one per size it has grown to). */
  private readonly buffers = new Set<ArrayBufferLike>();
  private top = RESERVED;

  constructor(readonly memory: KernelMemory, readonly module: KernelModule) {
    this.kernel = new wasmApi!.Instance(module, { env: { memory } }).exports as unknown as HistKernelExports;
  }

  /** `length` elements of `kind` at byte `offset` (a view the kernels accept). */
  view<T extends View>(kind: ViewKind<T>, offset: number, length: number): T {
    const buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(buffer);
    return new kind(buffer, offset, length);
  }

  /** Whether every array lives in this memory (seen through this thread's views). */
  has(...arrays: ArrayBufferView[]): boolean {
    for (const a of arrays) if (!this.buffers.has(a.buffer)) return false;
    return true;
  }

  /** A new zeroed array of `length` elements in the memory (16-byte aligned; grows the memory when full). */
  alloc<T extends View>(kind: ViewKind<T> & { BYTES_PER_ELEMENT: number }, length: number): T {
    const at = (this.top + 15) & ~15, end = at + length * kind.BYTES_PER_ELEMENT;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((Math.max(end - have, 16 << 20)) / PAGE));
    this.top = end;
    return this.view(kind, at, length);
  }
}

/**
 * A new arena of `bytes` initial bytes (it grows as arrays are allocated), or null when this runtime lacks
 * WebAssembly SIMD or shared memory.
 * @example const arena = createArena(4 * nRows * nCols); // then arena?.alloc(Uint16Array, nRows * nCols)
 */
export function createArena(bytes: number): KernelArena | null {
  const module = kernelModule();
  if (module === null) return null;
  try {
    const initial = Math.min(MAX_PAGES, Math.ceil((bytes + RESERVED + PAGE) / PAGE));
    return new KernelArena(new wasmApi!.Memory({ initial, maximum: MAX_PAGES, shared: true }), module);
  } catch {
    return null;
  }
}

/** The same memory and module in another thread (a helper's side of createArena's arena). */
export function attachArena(memory: KernelMemory, module: KernelModule): KernelArena {
  return new KernelArena(memory, module);
}
