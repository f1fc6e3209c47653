// The models the serve benches load (bench/serve.mjs, serve-heap.mjs, serve-alloc.mjs): a classifier and
// kernels trained on the bundled fixtures by the real binary, written into `dir`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Write sessions.parquet, model.json and kernels.json for the fixtures into `dir`. */
export function trainServeModels(dir) {
  const phantom = (args) => {
    const r = spawnSync(process.execPath, ['bin/phantom.js', ...args, '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`phantom ${args[0]} failed: ${r.stderr}`);
  };
  phantom(['features', 'fixtures/events.parquet', '-o', join(dir, 'sessions.parquet')]);
  phantom(['train-classifier', join(dir, 'sessions.parquet'), '-o', join(dir, 'model.json'), '--cv', '0']);
  phantom(['kernels', 'fixtures/events.parquet', '-o', join(dir, 'kernels.json'), '--bootstrap', '0']);
}
