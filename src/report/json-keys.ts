/**
 * One JSON key casing (docs/contract.md, "JSON key casing"): documents that grew snake_case keys gain
 * camelCase ones, and keep the snake_case originals beside them for one release, so a consumer can move
 * over without a flag day. Maps keyed by data (dead-letter reasons, event names) keep their keys as they are.
 */

/** `records_written` → `recordsWritten` (a key without `_` is returned as it is). */
export function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Which keys are data: `isData(path, key)` is true for a key spelled as data (kept as it is, with its value
 * untouched); `path` is the snake_case keys from the root to the object holding `key` (arrays not counted).
 * A set of key names is the short form: the keys inside the maps it names are data.
 */
export type DataKeys = ReadonlySet<string> | ((path: readonly string[], key: string) => boolean);

function dataPredicate(dataMaps: DataKeys): (path: readonly string[], key: string) => boolean {
  return typeof dataMaps === 'function' ? dataMaps : (path) => path.length > 0 && dataMaps.has(path[path.length - 1]!);
}

function camelAt(value: unknown, isData: (path: readonly string[], key: string) => boolean, path: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => camelAt(v, isData, path));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (isData(path, k)) out[k] = v;
    else out[camelKey(k)] = camelAt(v, isData, [...path, k]);
  }
  return out;
}

/**
 * A copy of `value` with every object key in camelCase, except data keys (`dataMaps`: e.g. `by_reason`'s
 * reason codes).
 * @example camelCaseKeys({ dead_lettered: { by_reason: { bad_timestamp: 1 } } }, new Set(['by_reason'])); // { deadLettered: { byReason: { bad_timestamp: 1 } } }
 */
export function camelCaseKeys(value: unknown, dataMaps: DataKeys = new Set()): unknown {
  return camelAt(value, dataPredicate(dataMaps), []);
}

function aliasesAt(value: unknown, isData: (path: readonly string[], key: string) => boolean, path: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => aliasesAt(v, isData, path));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {}, old: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const ck = isData(path, k) ? k : camelKey(k);
    if (ck === k) out[k] = isData(path, k) ? v : aliasesAt(v, isData, [...path, k]);
    else {
      out[ck] = camelAt(v, isData, [...path, k]);
      old[k] = v;
    }
  }
  return { ...out, ...old };
}

/**
 * The camelCase document, with the deprecated snake_case keys after it: a renamed key keeps its original
 * value under its old name; an unrenamed key holding renamed ones (e.g. `duplicates.already_exported`) holds
 * both spellings, so every old path still resolves. Data keys (`dataMaps`) keep their spelling and value.
 * @example withSnakeCaseAliases({ records_written: 3, duplicates: { already_exported: 1 } }); // { recordsWritten: 3, duplicates: { alreadyExported: 1, already_exported: 1 }, records_written: 3 }
 */
export function withSnakeCaseAliases(value: unknown, dataMaps: DataKeys = new Set()): unknown {
  return aliasesAt(value, dataPredicate(dataMaps), []);
}
