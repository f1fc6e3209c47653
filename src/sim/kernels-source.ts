/**
 * Class kernels for the market from a `phantom kernels` file: the pooling mass of each class as count
 * rows over event states, with the file's smoothing. They then drive both the trajectory walk (their
 * unsmoothed MLE) and the scorer's smoothed centroids — exactly the centroids `phantom separability`
 * scores against.
 */
import { UsageError } from '../errors.js';
import type { KernelsModel } from '../kernels/fit-kernels.js';
import type { ClassKernels } from './setup.js';
import type { KernelRows } from './session-scorer.js';

/**
 * Convert a kernels model (state `event`, with `<start>`/`<end>`) to count rows.
 * @example kernelsFromModel(await readKernelsFile('kernels.json'), 'kernels.json')
 */
export function kernelsFromModel(model: KernelsModel, source: string): ClassKernels & { smoothing: number } {
  if (model.params.state !== 'event') throw new UsageError(`--kernels ${source}: the simulator walks event-name states; this file was fitted with --state ${model.params.state}`);
  if (!model.params.boundary) throw new UsageError(`--kernels ${source}: the simulator needs <start>/<end> states; refit without --no-boundary`);
  const v = model.vocabulary.length;
  const rows = (c: 'human' | 'agent'): KernelRows => {
    const out: KernelRows = {};
    const m = model.classes[c].mass.values;
    for (let a = 0; a < v; a++) {
      const row: Record<string, number> = {};
      for (let b = 0; b < v; b++) if (m[a * v + b]! > 0) row[model.vocabulary[b]!] = m[a * v + b]!;
      if (Object.keys(row).length > 0) out[model.vocabulary[a]!] = row;
    }
    return out;
  };
  const human = rows('human'), agent = rows('agent');
  if (Object.keys(human).length === 0 || Object.keys(agent).length === 0) throw new UsageError(`--kernels ${source}: both classes need observed transitions`);
  return { human, agent, counts: true, source, vocabulary: [...model.vocabulary], smoothing: model.params.smoothing };
}
