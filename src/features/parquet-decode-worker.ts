/**
 * Worker side of `openParquetBatches`' read-ahead: decodes a Parquet file's row groups (parquet-wasm:
 * decompression, page decoding, Arrow IPC) on its own thread and posts each batch as Arrow IPC bytes,
 * transferred, never copied. It runs at most `window` batches ahead of the reader, which sends a credit
 * for every batch it takes, so memory stays bounded whatever the file size.
 */
import { openAsBlob } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import * as pw from 'parquet-wasm/node';

export interface DecodeRequest {
  path: string;
  columns: string[];
  batchSize: number;
  window: number;
  /** columns decoded first, in batches of `checkBatchSize` rows freed at once, only so a corrupt page fails */
  check?: string[];
  checkBatchSize?: number;
}

export type DecodeReply = { ipc: Uint8Array } | { done: true } | { error: string };

const req = workerData as DecodeRequest;
const port = parentPort!;
let credits = req.window;
let wake: (() => void) | null = null;
port.on('message', () => {
  credits++;
  wake?.();
  wake = null;
});

try {
  const file = await pw.ParquetFile.fromFile(await openAsBlob(req.path));
  if (req.check !== undefined && req.check.length > 0) {
    const check = await file.stream({ columns: req.check, batchSize: req.checkBatchSize ?? req.batchSize });
    for await (const batch of check as unknown as AsyncIterable<pw.RecordBatch>) batch.free();
  }
  const stream = await file.stream({ columns: req.columns, batchSize: req.batchSize });
  for await (const batch of stream as unknown as AsyncIterable<pw.RecordBatch>) {
    while (credits === 0) await new Promise<void>((resolve) => { wake = resolve; });
    credits--;
    let ipc = batch.intoIPCStream();
    // transfer needs a buffer of its own (a view into WebAssembly memory cannot be transferred)
    if (ipc.byteOffset !== 0 || ipc.byteLength !== ipc.buffer.byteLength) ipc = ipc.slice();
    port.postMessage({ ipc } satisfies DecodeReply, [ipc.buffer as ArrayBuffer]);
  }
  port.postMessage({ done: true } satisfies DecodeReply);
} catch (err) {
  port.postMessage({ error: String((err as Error).message ?? err) } satisfies DecodeReply);
}
// nothing keeps the thread alive once the batches are posted (the reader may still be sending credits)
port.unref();
