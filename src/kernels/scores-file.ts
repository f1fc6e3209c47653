/**
 * The per-session scores file of `phantom separability -o`: Parquet (default) or CSV, one row per session:
 * sessionId, is_agent, events, in_fit, delta_human, delta_agent, gap, agent_probability, status.
 */
import { boolData, float64Data, int32Data, recordBatch, utf8Data } from '../io/arrow-vectors.js';
import { writeTable } from '../io/table-file.js';
import { UNSCORED } from './gap-scores.js';
import { CLASSES } from './kernel.js';
import type { SeparabilityResult } from './separability.js';

export const SCORE_COLUMNS = ['sessionId', 'is_agent', 'events', 'in_fit', 'delta_human', 'delta_agent', 'gap', 'agent_probability', 'status'] as const;

const STATUS_NAMES = Object.fromEntries(Object.entries(UNSCORED).map(([k, v]) => [v, k === 'tooShort' ? 'too_short' : k])) as Record<number, string>;

/** Status name per session: `scored`, `too_short` (< 2 events) or `undefined` (a KL without a finite value). */
export function statusNames(r: SeparabilityResult): string[] {
  return Array.from(r.sessions.scores.status, (s) => STATUS_NAMES[s]!);
}

/**
 * Write scores to `.parquet` or `.csv` (by extension, src/io/table-file.ts), atomically.
 * @example await writeScores('scores.parquet', result)
 */
export async function writeScores(path: string, r: SeparabilityResult): Promise<void> {
  const s = r.sessions, sc = s.scores;
  const inFit = Array.from(s.inFit, (c) => (c < 0 ? null : CLASSES[c]!));
  await writeTable(path, [recordBatch([
    { name: 'sessionId', data: utf8Data(s.ids), nullable: false },
    { name: 'is_agent', data: boolData(s.labels), nullable: true },
    { name: 'events', data: int32Data(s.events, -2), nullable: false },
    { name: 'in_fit', data: utf8Data(inFit), nullable: true },
    { name: 'delta_human', data: float64Data(sc.deltaHuman), nullable: true },
    { name: 'delta_agent', data: float64Data(sc.deltaAgent), nullable: true },
    { name: 'gap', data: float64Data(sc.gap), nullable: true },
    { name: 'agent_probability', data: float64Data(sc.probability), nullable: true },
    { name: 'status', data: utf8Data(statusNames(r)), nullable: false },
  ])], { metadata: { 'phantom.kind': 'separability-scores', 'phantom.schema_version': '1', 'phantom.in_sample': String(r.params.inSample) } });
}
