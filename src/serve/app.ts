/**
 * The HTTP server of `phantom serve` on node:http: routing, bearer-token auth, JSON replies, per-route
 * metrics, and a graceful shutdown that stops accepting, lets in-flight requests finish, applies the
 * queued feedback and pushes unshared bandit updates before closing Redis.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJsonBody, readBodyInto } from './body.js';
import { eventsReply, getScore, postFeedback, priceReply, type Reply } from './handlers.js';
import { HttpError, printable } from './http-error.js';
import type { RouteRecorder } from './metrics.js';
import type { ServeParts } from './parts.js';

interface Route {
  name: string;
  method: string;
  /** the path; groups are path parameters */
  pattern: RegExp;
  /** the literal path the pattern matches, for a route without path parameters */
  path?: string;
  auth: boolean;
  /** the route reads a JSON body (parsed before `run` is called, 400/413 on a bad one) */
  body: boolean;
  run: (p: ServeParts, req: IncomingMessage, params: string[], body: unknown) => Promise<Reply> | Reply;
  /** the route's metrics (requests by status, latency) */
  record: RouteRecorder;
}

/** A route's name and its metrics recorder (what a response keeps until its 'close'). */
interface Observed {
  name: string;
  record: RouteRecorder;
}

// what the request path keeps on each response (read by the one shared 'close' listener, no closure per request)
const T0 = Symbol('phantom.t0');
const ROUTE = Symbol('phantom.route');
type Tracked = ServerResponse & { [T0]: number; [ROUTE]: Observed };

/** Resolves true when `ms` passed before `p` settled. */
async function withDeadline(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(true), ms)));
  const done = p.then(() => false, () => false);
  const out = await Promise.race([done, late]);
  clearTimeout(timer);
  return out;
}

export interface ServeApp {
  server: Server;
  parts: ServeParts;
  /** listen on the configured host and port (0 = any free port) */
  listen(): Promise<AddressInfo>;
  /** stop accepting, drain, flush; resolves when everything is closed */
  shutdown(): Promise<void>;
  readonly draining: boolean;
}

/**
 * An app over its parts (not yet listening).
 * @example const app = createApp(parts); const { port } = await app.listen()
 */
export function createApp(parts: ServeParts): ServeApp {
  let draining = false, inFlight = 0;
  const started = parts.now();
  const health = (): Reply => {
    const redis = parts.link.state();
    const status = draining ? 'draining' : redis === 'down' || redis === 'slow' ? 'degraded' : 'ok';
    const latency = parts.link.latencyMs();
    return {
      status: draining ? 503 : 200,
      body: {
        status, redis, redisLatencyMs: latency === null ? null : Number(latency.toFixed(2)), sessions: parts.sessions.store.size, sessionBytes: parts.sessions.store.weight, feedbackQueue: parts.feedback.depth,
        banditPlays: parts.bandit === null ? null : parts.bandit.total().n.reduce((a, b) => a + b, 0),
        unsharedBanditUpdates: parts.bandit?.unsharedCount() ?? 0, unsharedSessions: parts.sessions.unsyncedSessions,
        policy: parts.config.policy, model: parts.scorers.classifier !== null, kernels: parts.scorers.kernels !== null,
        uptimeSec: Math.round((parts.now() - started) / 1000),
      },
    };
  };
  const routes: Route[] = ([
    { name: 'POST /v1/events', method: 'POST', pattern: /^\/v1\/events$/, path: '/v1/events', auth: true, body: true, run: (p, _req, _params, body) => eventsReply(p, body) },
    { name: 'GET /v1/sessions/:id/score', method: 'GET', pattern: /^\/v1\/sessions\/([^/]+)\/score$/, auth: true, body: false, run: (p, _req, [id]) => getScore(p, id!) },
    { name: 'POST /v1/price', method: 'POST', pattern: /^\/v1\/price$/, path: '/v1/price', auth: true, body: true, run: (p, _req, _params, body) => priceReply(p, body) },
    { name: 'POST /v1/feedback', method: 'POST', pattern: /^\/v1\/feedback$/, path: '/v1/feedback', auth: true, body: true, run: (p, _req, _params, body) => postFeedback(p, body) },
    { name: 'GET /healthz', method: 'GET', pattern: /^\/healthz$/, path: '/healthz', auth: false, body: false, run: health },
    { name: 'GET /metrics', method: 'GET', pattern: /^\/metrics$/, path: '/metrics', auth: true, body: false, run: (p) => ({ status: 200, body: p.metrics.render() }) },
  ] satisfies Omit<Route, 'record'>[]).map((r) => ({ ...r, record: parts.metrics.recorder(r.name) }));
  const UNMATCHED: Observed = { name: 'unmatched', record: parts.metrics.recorder('unmatched') };
  // routes without path parameters, by path: most requests find theirs with one lookup, no regex
  const byPath = new Map<string, Route[]>();
  for (const r of routes) if (r.path !== undefined) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  const NO_PARAMS: string[] = [];
  const tokenDigest = parts.config.token === null ? null : createHash('sha256').update(parts.config.token).digest();
  const authorised = (req: IncomingMessage): boolean => {
    if (tokenDigest === null) return true;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return m !== null && timingSafeEqual(createHash('sha256').update(m[1]!).digest(), tokenDigest);
  };

  /** Send a reply: a string body as the metrics text, anything else as JSON (`json`: its text, already written). */
  const send = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>, json?: string): void => {
    const text = json ?? (typeof body === 'string' ? body : JSON.stringify(body));
    const head: Record<string, string | number> = {
      'content-type': json === undefined && typeof body === 'string' ? 'text/plain; version=0.0.4; charset=utf-8' : 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    };
    if (draining) head.connection = 'close';
    if (headers !== undefined) Object.assign(head, headers);
    res.writeHead(status, head);
    res.end(text);
  };

  /** The route of a path and method, with its regex match (null for a route found by its literal path). */
  const findRoute = (path: string, method: string | undefined): { r: Route; m: RegExpExecArray | null } | undefined => {
    const literal = byPath.get(path);
    if (literal !== undefined) for (const r of literal) if (r.method === method) return { r, m: null };
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m !== null) return { r, m };
    }
    return undefined;
  };

  // The request path runs without async functions: a body route reads its body through one callback, and a
  // handler's reply is sent when its promise settles (or at once when it returns a plain reply). Errors
  // become replies exactly as before: HttpError → its status, URIError → 400 bad_path, else 500 (logged).
  const fail = (res: Tracked, err: unknown): void => {
    if (err instanceof HttpError) send(res, err.status, { error: { code: err.code, message: printable(err.message, 1000) } }, err.headers);
    else if (err instanceof URIError) send(res, 400, { error: { code: 'bad_path', message: 'the path has a malformed percent-encoding' } });
    else {
      parts.log(`serve: internal error on ${res[ROUTE].name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      send(res, 500, { error: { code: 'internal', message: 'internal error (logged on the server)' } });
    }
  };
  const reply = (res: Tracked, r: Reply): void => {
    try {
      send(res, r.status, r.body, undefined, r.json);
    } catch (err) {
      fail(res, err);
    }
  };
  const run = (res: Tracked, req: IncomingMessage, r: Route, params: string[], body: unknown): void => {
    let out: Promise<Reply> | Reply;
    try {
      out = r.run(parts, req, params, body);
    } catch (err) {
      fail(res, err);
      return;
    }
    if (out instanceof Promise) out.then((v) => reply(res, v), (err: unknown) => fail(res, err));
    else reply(res, out);
  };
  function onClose(this: Tracked): void {
    inFlight--;
    this[ROUTE].record(this.statusCode, (performance.now() - this[T0]) / 1000);
  }

  const handle = (req: IncomingMessage, response: ServerResponse): void => {
    const res = response as Tracked;
    res[T0] = performance.now();
    res[ROUTE] = UNMATCHED;
    inFlight++;
    res.on('close', onClose);
    let hit: { r: Route; m: RegExpExecArray | null } | undefined, params: string[];
    try {
      const url = req.url ?? '/', q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      hit = findRoute(path, req.method);
      if (hit === undefined) {
        const matches = routes.filter((r) => r.pattern.test(path));
        req.resume();
        if (matches.length > 0) throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, { allow: matches.map((r) => r.method).join(', ') });
        throw new HttpError(404, 'not_found', `no endpoint ${path}; see GET /healthz, POST /v1/events, GET /v1/sessions/{id}/score, POST /v1/price, POST /v1/feedback, GET /metrics`);
      }
      res[ROUTE] = hit.r;
      if (draining && hit.r.auth) throw new HttpError(503, 'shutting_down', 'the server is shutting down; retry on another replica');
      if (hit.r.auth && !authorised(req)) {
        req.resume();
        throw new HttpError(401, 'unauthorized', 'missing or wrong bearer token (Authorization: Bearer <token>)', { 'www-authenticate': 'Bearer' });
      }
      params = hit.m === null ? NO_PARAMS : hit.m.slice(1).map((s) => decodeURIComponent(s));
    } catch (err) {
      fail(res, err);
      return;
    }
    const route = hit.r;
    if (!route.body) {
      run(res, req, route, params, undefined);
      return;
    }
    readBodyInto(req, parts.config.bodyLimitBytes, (err, buf) => {
      if (err !== null) return fail(res, err);
      let body: unknown;
      try {
        body = parseJsonBody(buf!, parts.config.maxJsonDepth);
      } catch (e) {
        return fail(res, e);
      }
      run(res, req, route, params, body);
    });
  };

  const server = createServer({ keepAliveTimeout: 5000, requestTimeout: 30_000, headersTimeout: 10_000 }, handle);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  return {
    server, parts,
    get draining() {
      return draining;
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(parts.config.port, parts.config.host, () => {
          server.off('error', reject);
          parts.shared?.start(parts.config.syncIntervalMs);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async shutdown() {
      if (draining) return;
      draining = true;
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const deadline = parts.now() + parts.config.drainTimeoutMs;
      while (inFlight > 0 && parts.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      server.closeAllConnections();
      await closed;
      const left = (): number => Math.max(0, deadline - parts.now());
      const timedOut = await withDeadline(parts.feedback.drain(), left());
      if (timedOut) parts.log(`serve: ${parts.feedback.depth} feedback items not applied within the drain timeout`);
      await withDeadline(parts.shared?.stop() ?? Promise.resolve(), Math.max(left(), 1000));
      await withDeadline(parts.sessions.replay(), Math.max(left(), 1000));
      parts.sessions.close();
      await parts.link.close();
    },
  };
}
