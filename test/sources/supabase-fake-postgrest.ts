/**
 * A stand-in for PostgREST (Supabase's /rest/v1) on node:http, 127.0.0.1, for the REST source tests:
 * no real PostgREST server can run on these machines, so this answers the subset supabase-js uses the
 * way PostgREST 12 does — `select` with `alias:column` renames, `order=col.asc,…` (nulls last),
 * `col=gte.v` / `lt.v` / `gt.v` / `lte.v` / `eq.v` filters (timestamps compared as times, like PostgREST's
 * cast to the column type), `offset`/`limit` paging capped by a max-rows setting, `Content-Range:
 * from-to/total` (total only with `Prefer: count=exact`), `apikey` checks, Accept-Profile schemas and
 * PostgREST's JSON errors (PGRST205 unknown table, 42703 unknown column, PGRST301 bad key).
 * Faults: queue HTTP errors or dropped connections for the next requests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Row = Record<string, unknown>;
export type Fault = { status: number; headers?: Record<string, string> } | 'drop';

export interface FakePostgrest {
  url: string;
  /** Every request: path + query, and the headers that matter. */
  requests: { path: string; params: URLSearchParams; apikey: string | undefined; profile: string | undefined }[];
  /** Make the next requests fail, in order. */
  fail(...faults: Fault[]): void;
  close(): Promise<void>;
}

export interface FakeOptions {
  key: string;
  /** `table` or `schema.table` → rows as PostgREST would serialise them. */
  tables: Record<string, Row[]>;
  /** Supabase's db-max-rows: the most rows one response holds. */
  maxRows?: number;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // nulls last
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const ta = Date.parse(String(a));
  const tb = Date.parse(String(b));
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && /^\d{4}-/.test(String(a))) return ta - tb;
  return String(a) < String(b) ? -1 : 1;
}

const OPS: Record<string, (c: number) => boolean> = { gte: (c) => c >= 0, gt: (c) => c > 0, lte: (c) => c <= 0, lt: (c) => c < 0, eq: (c) => c === 0 };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function answer(opts: FakeOptions, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const key = opts.key;
  if (req.headers.apikey !== key || req.headers.authorization !== `Bearer ${key}`) {
    return send(res, 401, { code: 'PGRST301', details: null, hint: null, message: 'JWSError JWSInvalidSignature' });
  }
  const m = /^\/rest\/v1\/([^/]+)$/.exec(url.pathname);
  const schema = (req.headers['accept-profile'] as string | undefined) ?? 'public';
  const name = m?.[1] ?? '';
  const rows = opts.tables[schema === 'public' ? name : `${schema}.${name}`] ?? (schema === 'public' ? opts.tables[`public.${name}`] : undefined);
  if (rows === undefined) {
    return send(res, 404, { code: 'PGRST205', details: null, hint: null, message: `Could not find the table '${schema}.${name}' in the schema cache` });
  }
  const columns = new Set(rows.flatMap((r) => Object.keys(r)));
  const missing = (col: string): boolean => rows.length > 0 && !columns.has(col);
  const unknown = (col: string): void => send(res, 400, { code: '42703', details: null, hint: null, message: `column ${name}.${col} does not exist` });

  let selected = rows;
  for (const [param, value] of url.searchParams) {
    if (['select', 'order', 'offset', 'limit'].includes(param)) continue;
    const [op, ...rest] = value.split('.');
    const test = OPS[op ?? ''];
    if (test === undefined) return send(res, 400, { code: 'PGRST100', details: `unexpected "${op}"`, hint: null, message: `"failed to parse filter (${value})" (line 1, column 1)` });
    if (missing(param)) return unknown(param);
    const operand = rest.join('.');
    selected = selected.filter((r) => {
      const v = r[param];
      return v !== null && v !== undefined && test(compare(v, typeof v === 'number' ? Number(operand) : operand));
    });
  }
  const order = (url.searchParams.get('order') ?? '').split(',').filter((o) => o !== '').map((o) => o.split('.') as [string, string?]);
  for (const [col] of order) if (missing(col)) return unknown(col);
  if (order.length > 0) {
    selected = [...selected].sort((a, b) => {
      for (const [col, dir] of order) {
        const c = compare(a[col], b[col]);
        if (c !== 0) return dir === 'desc' ? -c : c;
      }
      return 0;
    });
  }
  const total = selected.length;
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Math.min(Number(url.searchParams.get('limit') ?? Infinity), opts.maxRows ?? Infinity);
  const page = selected.slice(offset, offset + limit);
  const select = (url.searchParams.get('select') ?? '*').split(',');
  const out: Row[] = [];
  for (const r of page) {
    if (select.length === 1 && select[0] === '*') {
      out.push({ ...r });
      continue;
    }
    const o: Row = {};
    for (const item of select) {
      const [alias, col] = item.includes(':') ? (item.split(':') as [string, string]) : [item, item];
      if (missing(col)) return unknown(col);
      o[alias] = r[col] ?? null;
    }
    out.push(o);
  }
  const counted = /count=exact/.test(String(req.headers.prefer ?? ''));
  const range = out.length === 0 ? '*' : `${offset}-${offset + out.length - 1}`;
  send(res, 200, out, { 'Content-Range': `${range}/${counted ? total : '*'}` });
}

/**
 * Start the fake on a free loopback port.
 * @example const api = await startFakePostgrest({ key: 'k', tables: { events: rows }, maxRows: 1000 });
 */
export async function startFakePostgrest(opts: FakeOptions): Promise<FakePostgrest> {
  const faults: Fault[] = [];
  const requests: FakePostgrest['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, params: url.searchParams, apikey: req.headers.apikey as string | undefined, profile: req.headers['accept-profile'] as string | undefined });
    const fault = faults.shift();
    if (fault === 'drop') return void req.socket.destroy();
    if (fault !== undefined) return send(res, fault.status, { code: '', details: null, hint: null, message: `injected ${fault.status}` }, fault.headers);
    answer(opts, req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (...f) => void faults.push(...f),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
