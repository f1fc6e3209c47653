/**
 * `--labels FILE` for any export source: a CSV or JSON-lines file naming sessions and their class.
 * Key: `sessionId`, or (access logs, whose session ids are keyed hashes made during the export)
 * `client_address` with an optional `user_agent`, matched against the client a session started from.
 * Class: `label` (human | agent) or `is_agent` (0/1/true/false). Other columns (e.g. `kind`) pass
 * through: they are recorded per session in the events file's footer (`phantom.session_labels`) and
 * `phantom features` copies them into sessions.parquet. A label here wins over one in the records.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { readCsvRows } from '../io/csv.js';

interface LabelRow {
  isAgent: boolean | null;
  extra: (string | null)[];
}

/** Footer key holding the pass-through columns per session: `{"columns": [...], "sessions": {"id": [...]}}`. */
export const SESSION_LABELS_KEY = 'phantom.session_labels';

const KEY_COLUMNS = new Set(['sessionId', 'client_address', 'user_agent', 'label', 'is_agent']);

function parseClass(label: unknown, isAgent: unknown, where: string): boolean | null {
  if (label !== undefined && label !== null && label !== '') {
    const l = String(label).trim().toLowerCase();
    if (l === 'human') return false;
    if (l === 'agent' || l === 'bot') return true;
    throw new UsageError(`${where}: label is ${JSON.stringify(label)}; expected human or agent`);
  }
  if (isAgent !== undefined && isAgent !== null && isAgent !== '') {
    const v = String(isAgent).trim().toLowerCase();
    if (v === '1' || v === 'true') return true;
    if (v === '0' || v === 'false') return false;
    throw new UsageError(`${where}: is_agent is ${JSON.stringify(isAgent)}; expected 0, 1, true or false`);
  }
  return null;
}

export class SessionLabels {
  private readonly bySession = new Map<string, LabelRow>();
  private readonly byClient = new Map<string, LabelRow>();
  /** sessions given a row while exporting, for the footer */
  private readonly used = new Map<string, LabelRow>();
  /** events whose session the file names (0 after a run: the file is keyed for another input) */
  matchedEvents = 0;

  private constructor(readonly file: string, readonly columns: string[]) {}

  /**
   * Read a labels file (`.jsonl`/`.ndjson`/`.json` lines of objects, else CSV with a header).
   * @example const labels = await SessionLabels.load('labels.csv')
   */
  static async load(file: string): Promise<SessionLabels> {
    let records: Record<string, unknown>[];
    if (/\.(jsonl|ndjson|json)$/i.test(file)) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        throw new UsageError(`--labels ${file}: cannot read the file`);
      }
      records = text.split('\n').map((l, i) => [l, i] as const).filter(([l]) => l.trim() !== '').map(([l, i]) => {
        try {
          const v: unknown = JSON.parse(l);
          if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
          return v as Record<string, unknown>;
        } catch (e) {
          throw new UsageError(`--labels ${file}: line ${i + 1} is not a JSON object (${(e as Error).message})`);
        }
      });
    } else {
      records = [];
      let header: string[] | null = null;
      try {
        for await (const row of readCsvRows(file)) {
          if (header === null) header = row.map((h) => h.trim().replace(/^\uFEFF/, ''));
          else if (!(row.length === 1 && row[0] === '')) records.push(Object.fromEntries(header.map((h, k) => [h, row[k] ?? ''])));
        }
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`--labels ${file}: cannot read the file (${(e as Error).message})`);
      }
    }
    const names = new Set<string>();
    for (const r of records) for (const k of Object.keys(r)) names.add(k);
    if (!names.has('sessionId') && !names.has('client_address')) throw new UsageError(`--labels ${file}: needs a sessionId column (or client_address for access logs)`);
    if (!names.has('label') && !names.has('is_agent')) throw new UsageError(`--labels ${file}: needs a label (human|agent) or is_agent (0/1/true/false) column`);
    const columns = [...names].filter((n) => !KEY_COLUMNS.has(n));
    const labels = new SessionLabels(file, columns);
    records.forEach((r, i) => {
      const where = `--labels ${file}: row ${i + 1}`;
      const row: LabelRow = { isAgent: parseClass(r['label'], r['is_agent'], where), extra: columns.map((c) => (r[c] === undefined || r[c] === null || r[c] === '' ? null : String(r[c]))) };
      const sid = r['sessionId'];
      if (typeof sid === 'string' && sid !== '') labels.bySession.set(sid, row);
      else if (typeof r['client_address'] === 'string' && r['client_address'] !== '') {
        const ua = r['user_agent'];
        labels.byClient.set(clientKey(r['client_address'], typeof ua === 'string' && ua !== '' ? ua : null), row);
      } else throw new UsageError(`${where} has neither sessionId nor client_address`);
    });
    return labels;
  }

  /** How many rows the file has (keyed by session or by client). */
  get size(): number {
    return this.bySession.size + this.byClient.size;
  }

  /** True when some rows are keyed by client (only access-log exports can use them). */
  get hasClientRows(): boolean {
    return this.byClient.size > 0;
  }

  /** A session started from this client: give it the client's row (address + user agent first, then address alone). */
  bindClient(sessionId: string, client: string | null, userAgent: string | null): void {
    if (client === null || this.byClient.size === 0) return;
    const row = this.byClient.get(clientKey(client, userAgent)) ?? this.byClient.get(clientKey(client, null));
    if (row !== undefined) this.bySession.set(sessionId, row);
  }

  /** is_agent for a session (undefined: the file does not name it); remembers the session for the footer. */
  classOf(sessionId: string): boolean | null | undefined {
    const row = this.bySession.get(sessionId);
    if (row === undefined) return undefined;
    this.matchedEvents++;
    if (this.columns.length > 0 && !this.used.has(sessionId)) this.used.set(sessionId, row);
    return row.isAgent;
  }

  /** Footer metadata: the pass-through columns of the sessions that were exported (nothing when there are none). */
  footer(): Record<string, string> {
    if (this.columns.length === 0) return {};
    const sessions: Record<string, (string | null)[]> = {};
    for (const [id, row] of this.used) sessions[id] = row.extra;
    return { [SESSION_LABELS_KEY]: JSON.stringify({ columns: this.columns, sessions }) };
  }
}

const clientKey = (address: string, userAgent: string | null): string => `${address}\u0000${userAgent ?? ''}`;
