/**
 * Worker-thread entry for `phantom features --workers N`: receives { id, path, opts } messages, runs the
 * same file job as the main thread, and posts the session table back with its buffers transferred.
 */
import { parentPort } from 'node:worker_threads';
import { PhantomError } from '../errors.js';
import { runFileJob, transferList, type FileJobOptions } from './file-job.js';

export interface WorkerRequest {
  id: number;
  path: string;
  opts: FileJobOptions;
}

export type WorkerReply =
  | { id: number; ok: true; result: Awaited<ReturnType<typeof runFileJob>> }
  | { id: number; ok: false; message: string; exitCode: number | null; stack: string | null };

parentPort?.on('message', (req: WorkerRequest) => {
  runFileJob(req.path, req.opts).then(
    (result) => parentPort!.postMessage({ id: req.id, ok: true, result } satisfies WorkerReply, transferList(result)),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      parentPort!.postMessage({ id: req.id, ok: false, message: e.message, exitCode: err instanceof PhantomError ? err.exitCode : null, stack: e.stack ?? null } satisfies WorkerReply);
    },
  );
});
