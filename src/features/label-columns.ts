/**
 * Pass-through label columns (`phantom export --labels FILE` with extra columns such as `kind`): the
 * export records them per session in the events file's footer (`phantom.session_labels`); here they are
 * read back and attached to the session table, which writes them after `purchased` and lists them in
 * sessions.parquet's footer (`phantom.label_columns`) so readers never take them for features.
 */
import { SESSION_LABELS_KEY } from '../events/session-labels.js';
import { readFooterKeyValues } from '../io/parquet-key-values.js';
import type { SessionTable } from './session-table.js';

/** sessions.parquet footer key: JSON list of the pass-through label columns. */
export const LABEL_COLUMNS_KEY = 'phantom.label_columns';

/** Pass-through columns per session, gathered from the footers of events files (null when none has any). */
export async function readSessionLabelFooters(paths: readonly string[]): Promise<{ columns: string[]; bySession: Map<string, (string | null)[]> } | null> {
  const texts: string[] = [];
  for (const path of paths) {
    if (!path.toLowerCase().endsWith('.parquet')) continue;
    // through the guarded path: the loader has read these files already, a failure here names the file
    const text = (await readFooterKeyValues(path)).get(SESSION_LABELS_KEY);
    if (text !== undefined) texts.push(text);
  }
  return sessionLabelFooters(texts);
}

/**
 * Pass-through columns per session from the `phantom.session_labels` footer texts of events files, in
 * file order (null when there are none).
 * @example sessionLabelFooters([footer['phantom.session_labels']])?.columns // ['kind']
 */
export function sessionLabelFooters(texts: readonly string[]): { columns: string[]; bySession: Map<string, (string | null)[]> } | null {
  const columns: string[] = [];
  const bySession = new Map<string, Map<string, string | null>>();
  for (const text of texts) {
    const doc = JSON.parse(text) as { columns: string[]; sessions: Record<string, (string | null)[]> };
    for (const c of doc.columns) if (!columns.includes(c)) columns.push(c);
    for (const [id, values] of Object.entries(doc.sessions)) {
      const m = bySession.get(id) ?? new Map<string, string | null>();
      doc.columns.forEach((c, k) => m.set(c, values[k] ?? null));
      bySession.set(id, m);
    }
  }
  if (columns.length === 0) return null;
  return { columns, bySession: new Map([...bySession].map(([id, m]) => [id, columns.map((c) => m.get(c) ?? null)])) };
}

/**
 * Attach the pass-through columns of the events files to a session table (in place).
 * @example await attachLabelColumns(table, ['events.parquet']); table.labelColumns?.['kind']
 */
export async function attachLabelColumns(t: SessionTable, paths: readonly string[]): Promise<void> {
  attachFoundColumns(t, await readSessionLabelFooters(paths));
}

/**
 * Attach the pass-through columns of events footers already in memory (`phantom.session_labels` texts).
 * @example attachLabelFooters(table, [sessionLabels.footer()['phantom.session_labels']!]);
 */
export function attachLabelFooters(t: SessionTable, texts: readonly string[]): void {
  attachFoundColumns(t, sessionLabelFooters(texts));
}

function attachFoundColumns(t: SessionTable, found: ReturnType<typeof sessionLabelFooters>): void {
  if (found === null) return;
  const out: Record<string, (string | null)[]> = {};
  found.columns.forEach((c, k) => (out[c] = t.sessionIds.map((id) => found.bySession.get(id)?.[k] ?? null)));
  t.labelColumns = out;
}
