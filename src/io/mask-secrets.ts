/**
 * The one place secrets are masked before a command line, URL, config or message is written or printed
 * (Parquet footer `phantom.command`, `pipeline --print-config`, summary.json, report.html, serve's logs,
 * error lines). Masked forms, each replaced by `***` (see docs/secrets.md):
 *   - the password of a URL's userinfo: `scheme://user:pass@host` → `scheme://user:***@host`;
 *   - the value of a secret-looking key in a query string or key=value text, case-insensitive:
 *     `?password=…`, `&pass=…`, `?token=…`, `sslpassword=…`, `sslkey=…`, `apikey=…`, `secret=…`, …;
 *   - the value of a secret-looking flag: `--password x`, `--token=x`.
 * Secrets given through environment variables (`--database-url DATABASE_URL`, `--redis REDIS_URL`,
 * `--token-env VAR`, `--sasl-password-env VAR`) never reach a command line: only the variable's name does.
 */

/** Key names whose values are secrets (matched case-insensitively, as a whole key or a key suffix). */
const SECRET_KEY = '[A-Za-z0-9_.-]*(?:password|passwd|pwd|pass|token|secret|apikey|api_key|api-key|sslkey|sslpassword|auth|credentials?|private_key|access_key)';

// scheme://user:password@ — the password runs to the last '@' before the host part ends
const USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/?#@]*:)([^\s/?#]*)@/g;
// ?key=value / &key=value / ;key=value / key=value in a space-separated list (libpq's sslpassword=…)
const KEY_VALUE = new RegExp(String.raw`(^|[?&;\s,{"'])(${SECRET_KEY})(=)([^&;\s"',}]*)`, 'gi');
// --password value / --token=value (flags naming an env var, like --token-env, are not secrets)
const FLAG = new RegExp(String.raw`(--${SECRET_KEY})(=|\s+)(?!-)(\S+)`, 'gi');
// JSON: "password": "value"
const JSON_FIELD = new RegExp(String.raw`("${SECRET_KEY}"\s*:\s*")((?:[^"\\]|\\.)*)(")`, 'gi');

const MASK = '***';

/** A flag that names an environment variable (its value is a name, not a secret). */
const ENV_FLAG = /-env$/i;

/**
 * `text` with every secret form masked. Idempotent: masking masked text changes nothing.
 * @example maskSecrets('phantom export --database-url postgres://u:pw@h/db?sslpassword=x') // 'phantom export --database-url postgres://u:***@h/db?sslpassword=***'
 */
export function maskSecrets(text: string): string {
  return text
    .replace(USERINFO, (_m, head: string, pw: string) => (pw === '' ? _m : `${head}${MASK}@`))
    .replace(KEY_VALUE, (m, lead: string, key: string, eq: string, value: string) => (value === '' || ENV_FLAG.test(key) ? m : `${lead}${key}${eq}${MASK}`))
    .replace(FLAG, (m, flag: string, sep: string) => (ENV_FLAG.test(flag) ? m : `${flag}${sep}${MASK}`))
    .replace(JSON_FIELD, (_m, head: string, value: string, tail: string) => (value === '' ? _m : `${head}${MASK}${tail}`));
}

/**
 * Every string inside a plain JSON value masked (objects and arrays copied, other values kept).
 * @example maskConfig({ source: { databaseUrl: 'postgres://u:pw@h/db' } }) // { source: { databaseUrl: 'postgres://u:***@h/db' } }
 */
export function maskConfig<T>(value: T): T {
  if (typeof value === 'string') return maskSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskConfig(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = new RegExp(`^${SECRET_KEY}$`, 'i').test(k) && typeof v === 'string' && v !== '' && !ENV_FLAG.test(k) && !/Env$/.test(k) ? MASK : maskConfig(v);
    return out as T;
  }
  return value;
}

/**
 * An environment variable's value when `value` is its name (`--redis REDIS_URL`), else `value` itself:
 * how secrets are given without ever appearing on a command line. A name whose variable is unset is an
 * error the caller reports (it returns undefined).
 * @example fromEnvIndirection('REDIS_URL', /^rediss?:\/\//) // process.env.REDIS_URL
 */
export function fromEnvIndirection(value: string, looksLikeValue: RegExp, env: NodeJS.ProcessEnv = process.env): { value: string | undefined; viaEnv: string | null } {
  if (looksLikeValue.test(value) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return { value, viaEnv: null };
  const held = env[value];
  return { value: held === undefined || held.trim() === '' ? undefined : held.trim(), viaEnv: value };
}
