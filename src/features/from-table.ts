/**
 * Session features of an events table already in memory (the pipeline's export), with the same result and
 * summary `featuresFromFiles` gives for the events.parquet that table was written to: the request columns
 * and site of access-log events, the labels, and the pass-through label columns of the events footer.
 */
import type { EventsTable } from '../events/table.js';
import { SESSION_LABELS_KEY } from '../events/session-labels.js';
import { computeSessionFeatures } from './compute.js';
import { fromEventsTable, type FeatureEvents } from './feature-events.js';
import type { FeaturesRunSummary } from './features-from-files.js';
import type { FileJobOptions } from './file-job.js';
import { attachLabelFooters } from './label-columns.js';
import { applyLabels } from './labels.js';
import type { RequestColumns } from './requests.js';
import type { SessionTable } from './session-table.js';

/** The feature columns of an events table, request columns and site included (as the Parquet loader reads them). */
export function featureEventsOf(t: EventsTable, baseFirst: boolean): FeatureEvents {
  const r = t.requests;
  const requests: RequestColumns | null = r === undefined ? null : {
    resource_kind: r.resourceKind, method: r.method, path: r.path, query: r.query, referrer: r.referrer,
    status: Float64Array.from(r.status, (s) => (s < 0 ? NaN : s)), bytes: r.bytes,
  };
  return { ...fromEventsTable(t, baseFirst), requests, site: r?.site ?? null };
}

/**
 * Session features of `events`; `footer` is the events file's footer metadata (its `phantom.session_labels`
 * pass-through columns are attached). The table is not changed: labels are applied to a copy of is_agent.
 * @example const { table, summary } = featuresFromTable(events, { ...DEFAULT_FEATURE_OPTIONS, labels: { experiments: null, label: null } });
 */
export function featuresFromTable(events: EventsTable, opts: FileJobOptions, footer: Record<string, string> = {}): { table: SessionTable; summary: FeaturesRunSummary } {
  const ev = featureEventsOf(events, opts.featureSet === 'original');
  let labelled = { fromExperiments: 0, fromLabel: 0 };
  if (opts.labels.experiments !== null || opts.labels.label !== null) labelled = applyLabels({ ...ev, isAgent: (ev.isAgent = ev.isAgent.slice()) }, opts.labels);
  const { table, stats } = computeSessionFeatures(ev, opts);
  const labelFooter = footer[SESSION_LABELS_KEY];
  attachLabelFooters(table, labelFooter === undefined ? [] : [labelFooter]);
  const summary: FeaturesRunSummary = {
    files: 1, events: stats.events, sessions: table.nSessions, rowsWithoutSession: stats.rowsWithoutSession, unknownEvents: stats.unknownEvents,
    conflictingLabels: stats.conflictingLabelSessions.length, unlabeledSessions: stats.unlabeledSessions, splitSessions: 0, raw: null, labelled,
  };
  return { table, summary };
}
