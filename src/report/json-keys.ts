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
 * A copy of `value` with every object key in camelCase, except inside the maps named in `dataMaps` (their
 * keys are data, e.g. `by_reason`'s reason codes).
 * @example camelCaseKeys({ dead_lettered: { by_reason: { bad_timestamp: 1 } } }, new Set(['by_reason'])); // { deadLettered: { byReason: { bad_timestamp: 1 } } }
 */
export function camelCaseKeys(value: unknown, dataMaps: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((v) => camelCaseKeys(v, dataMaps));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[camelKey(k)] = dataMaps.has(k) ? v : camelCaseKeys(v, dataMaps);
  return out;
}

/**
 * The camelCase document, with the deprecated snake_case keys after it: a renamed key keeps its original
 * value under its old name; an unrenamed key holding renamed ones (e.g. `duplicates.already_exported`) holds
 * both spellings, so every old path still resolves.
 * @example withSnakeCaseAliases({ records_written: 3, duplicates: { already_exported: 1 } }); // { recordsWritten: 3, duplicates: { alreadyExported: 1, already_exported: 1 }, records_written: 3 }
 */
export function withSnakeCaseAliases(value: unknown, dataMaps: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((v) => withSnakeCaseAliases(v, dataMaps));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {}, old: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const ck = camelKey(k);
    if (dataMaps.has(k)) out[ck] = v;
    else if (ck === k) out[k] = withSnakeCaseAliases(v, dataMaps);
    else out[ck] = camelCaseKeys(v, dataMaps);
    if (ck !== k) old[k] = v;
  }
  return { ...out, ...old };
}
