/**
 * Labels for events that carry none: `--experiments-from FILE.csv|json` joins is_agent = NOT xp_human_only
 * per experimentId (docs/contract.md §1), then `--label human|agent` fills what is still null. A label already in
 * the events always wins.
 */
import { loadExperimentLabels as loadLabels } from '../sources/experiments.js';
import type { FeatureEvents } from './feature-events.js';

/**
 * experimentId → is_agent from an experiments export (CSV, JSON array or JSON-lines with `id` and
 * `xp_human_only`); the one reader in src/sources/experiments.ts does the work.
 * @example const labels = await loadExperimentLabels('fixtures/experiments.csv') // Map { '2b3c…' => true, … }
 */
export function loadExperimentLabels(path: string): Promise<Map<string, boolean>> {
  return loadLabels({ kind: 'file', path });
}

export interface LabelOptions {
  /** experimentId → is_agent */
  experiments: Map<string, boolean> | null;
  /** label for events still unlabelled after the join (`--label`) */
  label: boolean | null;
}

/**
 * Fill null is_agent values in place; returns how many events got a label from each source.
 * @example applyLabels(events, { experiments: await loadExperimentLabels('experiments.csv'), label: null })
 */
export function applyLabels(ev: FeatureEvents, opts: LabelOptions): { fromExperiments: number; fromLabel: number } {
  let fromExperiments = 0, fromLabel = 0;
  const byCode = new Int8Array(ev.experimentId.dict.length).fill(-1);
  if (opts.experiments !== null) {
    ev.experimentId.dict.forEach((id, c) => {
      const v = opts.experiments!.get(id);
      if (v !== undefined) byCode[c] = v ? 1 : 0;
    });
  }
  const fill = opts.label === null ? -1 : opts.label ? 1 : 0;
  for (let i = 0; i < ev.length; i++) {
    if (ev.isAgent[i] !== -1) continue;
    const c = ev.experimentId.codes[i]!;
    const v = c >= 0 ? byCode[c]! : -1;
    if (v >= 0) {
      ev.isAgent[i] = v;
      fromExperiments++;
    } else if (fill >= 0) {
      ev.isAgent[i] = fill;
      fromLabel++;
    }
  }
  return { fromExperiments, fromLabel };
}
