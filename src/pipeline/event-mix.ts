/**
 * The event mix by class: how often each event name occurs among human and among agent events. The
 * first picture a reader wants of the data, and a check that both classes came through the join.
 */
import type { EventsTable } from '../events/table.js';

export interface EventMix {
  /** event names, most frequent overall first */
  names: string[];
  /** events per name for humans / agents, aligned with `names` */
  human: number[];
  agent: number[];
  totals: { human: number; agent: number; unlabelled: number };
}

/**
 * Count events by name and class from event-level labels (−1 unlabelled, 0 human, 1 agent).
 * @example eventMix(table, table.isAgent).names[0]; // 'page_view'
 */
export function eventMix(table: EventsTable, flags: Int8Array): EventMix {
  const { codes, dict } = table.eventName;
  const counts = [new Float64Array(dict.length), new Float64Array(dict.length)] as const;
  let unlabelled = 0;
  for (let i = 0; i < table.length; i++) {
    const code = codes[i]!, label = flags[i]!;
    if (label < 0) unlabelled++;
    else if (code >= 0) counts[label as 0 | 1][code]!++;
  }
  const order = dict.map((_, k) => k).filter((k) => counts[0][k]! + counts[1][k]! > 0);
  order.sort((a, b) => counts[0][b]! + counts[1][b]! - (counts[0][a]! + counts[1][a]!) || (dict[a]! < dict[b]! ? -1 : 1));
  const sum = (a: Float64Array) => a.reduce((s, x) => s + x, 0);
  return {
    names: order.map((k) => dict[k]!),
    human: order.map((k) => counts[0][k]!),
    agent: order.map((k) => counts[1][k]!),
    totals: { human: sum(counts[0]), agent: sum(counts[1]), unlabelled },
  };
}
