/**
 * zod, loaded on first need. The model readers (classifier metadata, calibrators, CART trees) check a
 * well-formed input without it and build their zod schemas only to word the problems of a malformed one, so
 * train-classifier, predict, evaluate and distill never import zod's 95 modules (≈ 0.07 s of CPU) for good
 * input (docs/perf/trainrest.md).
 */
import { createRequire } from 'node:module';
import type { z as Z } from 'zod';

/** zod's `z`. */
export type ZodApi = typeof Z;

let zod: ZodApi | undefined;
/** zod, loaded synchronously on first use (its CommonJS build: the same version and messages as `import 'zod'`). */
export function zodApi(): ZodApi {
  zod ??= (createRequire(import.meta.url)('zod') as { z: ZodApi }).z;
  return zod;
}
