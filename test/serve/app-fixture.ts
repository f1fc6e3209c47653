// In-process serve app on a free loopback port, and a small HTTP client for the tests.
import { request as httpRequest } from 'node:http';
import { createApp, type ServeApp } from '../../src/serve/app.js';
import { resolveServeConfig, type ServeConfig } from '../../src/serve/options.js';
import { createParts, type Loaded } from '../../src/serve/parts.js';

export interface Running {
  app: ServeApp;
  url: string;
  port: number;
  logs: string[];
}

export const NO_MODELS: Loaded = { scorers: { settings: { featureSet: 'default', timeoutSec: 900, fillMissing: null }, classifier: null, kernels: null }, rules: null };

/** Start an app with `config` (port 0 unless given). */
export async function startApp(config: Partial<ServeConfig> = {}, loaded: Loaded = NO_MODELS): Promise<Running> {
  const logs: string[] = [];
  const app = createApp(createParts(resolveServeConfig({ port: 0, ...config }), loaded, { log: (m) => logs.push(m) }));
  const addr = await app.listen();
  return { app, url: `http://127.0.0.1:${addr.port}`, port: addr.port, logs };
}

export interface Res {
  status: number;
  body: any;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One HTTP request with a raw or JSON body; resolves with the parsed reply (JSON when it parses). */
export function call(port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, raw = false): Promise<Res> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : raw ? String(body) : JSON.stringify(body);
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, body: parsed, text, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
