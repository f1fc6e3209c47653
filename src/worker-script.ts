/**
 * Where a worker thread's compiled script is: beside the calling module when it runs from dist/, else the
 * built copy in dist/ (tests load the TypeScript sources directly; `npm test` builds dist/ first).
 */
import { existsSync } from 'node:fs';

/**
 * The compiled worker `distPath` (relative to dist/, e.g. 'generate/generate-worker.js') for a module
 * under src/<folder>/ or dist/<folder>/ whose `import.meta.url` is `moduleUrl`.
 * @example new Worker(workerScript(import.meta.url, 'events/parquet-worker.js'))
 */
export function workerScript(moduleUrl: string, distPath: string): URL {
  const beside = new URL(`./${distPath.slice(distPath.lastIndexOf('/') + 1)}`, moduleUrl);
  if (existsSync(beside)) return beside;
  const src = moduleUrl.lastIndexOf('/src/');
  return src >= 0 ? new URL(`${moduleUrl.slice(0, src)}/dist/${distPath}`) : new URL(`../../dist/${distPath}`, moduleUrl);
}
