/**
 * Table → dense feature matrix, with the encoding fitted once on the training data and stored in the
 * model, so evaluate/predict rebuild exactly the same columns: numeric columns as they are (NaN = null),
 * category columns one-hot as `<column>=<level>` (the naming `phantom features` and `serve` use). A null
 * category is NaN in every level column (missing, so the trees' default directions apply); a level unseen
 * at training is 0 in every level column.
 */
import { UsageError } from '../../errors.js';
import { LABEL_COLUMNS_KEY } from '../../features/label-columns.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import { tableName, type DataColumn, type DataTable } from './data-table.js';

/** Identifier, label and provenance columns of sessions.parquet: never features, whatever the label. */
export const NEVER_FEATURES: readonly string[] = ['sessionId', 'experimentId', 'is_agent', 'purchased', 'site', 'session_date'];
/** Most frequent levels kept per category column; rarer levels encode as "none of the kept levels". */
export const DEFAULT_MAX_LEVELS = 32;

export type EncodedColumn = { name: string; kind: 'numeric' } | { name: string; kind: 'one-hot'; levels: string[] };

/** Plain data, stored in the model's phantom metadata. */
export interface FeatureEncoding {
  columns: EncodedColumn[];
}

export interface EncodingOptions {
  label: string;
  exclude?: readonly string[];
  maxLevels?: number;
}

/**
 * Choose the feature columns and their encoding from a training table. Returns notes (columns dropped as
 * identifiers, levels cut) for the caller to show. Unknown `exclude` names are a UsageError (a typo there
 * could leave a leaking column in).
 * @example const { encoding } = fitEncoding(table, { label: 'is_agent', exclude: ['is_headless'] });
 */
export function fitEncoding(t: DataTable, opts: EncodingOptions): { encoding: FeatureEncoding; notes: string[] } {
  const exclude = new Set(opts.exclude ?? []);
  const unknown = [...exclude].filter((e) => !t.columns.some((c) => c.name === e));
  if (unknown.length > 0) throw new UsageError(`--exclude names columns the data does not have: ${unknown.join(', ')}`);
  const maxLevels = opts.maxLevels ?? DEFAULT_MAX_LEVELS;
  const passThrough = passThroughLabels(t);
  const notes: string[] = [];
  const columns: EncodedColumn[] = [];
  for (const c of t.columns) {
    if (c.name === opts.label || NEVER_FEATURES.includes(c.name) || exclude.has(c.name) || passThrough.has(c.name)) continue;
    if (c.kind === 'numeric') { columns.push({ name: c.name, kind: 'numeric' }); continue; }
    const counts = new Float64Array(c.dict.length);
    let present = 0;
    for (let i = 0; i < t.nRows; i++) if (c.codes[i]! >= 0) { counts[c.codes[i]!]!++; present++; }
    const seen = c.dict.map((level, k) => ({ level, n: counts[k]! })).filter((l) => l.n > 0);
    if (present > 20 && seen.length === present) {
      notes.push(`column '${c.name}' has a distinct value in every row (an identifier?) and is not used; --exclude it to silence this`);
      continue;
    }
    seen.sort((a, b) => b.n - a.n || (a.level < b.level ? -1 : 1));
    if (seen.length > maxLevels) notes.push(`column '${c.name}' has ${seen.length} levels; the ${maxLevels} most frequent are one-hot encoded, the rest encode as none of them`);
    columns.push({ name: c.name, kind: 'one-hot', levels: seen.slice(0, maxLevels).map((l) => l.level).sort() });
  }
  if (columns.length === 0) throw new UsageError('no feature columns left after removing ids, labels and --exclude');
  return { encoding: { columns }, notes };
}

/**
 * Pass-through label columns (`export --labels` extras such as `kind`, a bot type) that sessions.parquet lists
 * in its footer under `phantom.label_columns`: labels, so never features (one would leak the class).
 */
function passThroughLabels(t: DataTable): Set<string> {
  try {
    const v: unknown = JSON.parse(t.metadata[LABEL_COLUMNS_KEY] ?? '[]');
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

/**
 * The matrix column names an encoding produces.
 * @example encodedNames({ columns: [{ name: 'browser', kind: 'one-hot', levels: ['Chrome'] }] }); // ['browser=Chrome']
 */
export function encodedNames(enc: FeatureEncoding): string[] {
  let names = namesOf.get(enc);
  if (names === undefined) {
    names = enc.columns.flatMap((c) => (c.kind === 'numeric' ? [c.name] : c.levels.map((l) => `${c.name}=${l}`)));
    namesOf.set(enc, names);
  }
  return names.slice();
}

/**
 * Columns by name without building a Map: tables usually list the encoding's columns in its order, so
 * each lookup first tries the column after the previous hit (serve encodes one session per request).
 */
function columnLookup(columns: readonly DataColumn[]): { get(name: string): DataColumn | undefined; has(name: string): boolean } {
  let next = 0;
  const get = (name: string): DataColumn | undefined => {
    const n = columns.length;
    for (let k = 0; k < n; k++) {
      const i = (next + k) % n;
      if (columns[i]!.name === name) {
        next = i + 1;
        return columns[i];
      }
    }
    return undefined;
  };
  return { get, has: (name) => get(name) !== undefined };
}

/** Rows per block when numeric columns are copied into the matrix. */
const ENCODE_BLOCK = 512;

// encodings are immutable once built; `phantom serve` encodes one session per request with the same one
const namesOf = new WeakMap<FeatureEncoding, string[]>();

/**
 * Apply an encoding to a table; every missing or mistyped column is reported in one UsageError.
 * @example const X = encodeTable(table, meta.encoding); // columns in the model's order
 */
export function encodeTable(t: DataTable, enc: FeatureEncoding): FeatureMatrix {
  const byName = columnLookup(t.columns);
  const problems: string[] = [];
  const missing = enc.columns.filter((c) => !byName.has(c.name)).map((c) => c.name);
  if (missing.length > 0) problems.push(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  for (const c of enc.columns) {
    const col = byName.get(c.name);
    if (c.kind === 'numeric' && col?.kind === 'category') problems.push(`column '${c.name}' holds text but the model was trained on numbers`);
  }
  if (problems.length > 0) throw new UsageError(`${tableName(t)} does not fit the model's features: ${problems.join('; ')}`);
  const featureNames = encodedNames(enc);
  const nRows = t.nRows, nCols = featureNames.length;
  const values = new Float64Array(nRows * nCols);
  const numeric: { v: Float64Array; j: number }[] = [];
  let j = 0;
  for (const c of enc.columns) {
    const col = byName.get(c.name)!;
    if (c.kind === 'numeric') {
      numeric.push({ v: (col as Extract<DataColumn, { kind: 'numeric' }>).values, j });
      j++;
    } else {
      const { codes, slot } = levelSlots(col, c.levels);
      for (let r = 0; r < nRows; r++) {
        const code = codes[r]!, base = r * nCols + j;
        for (let k = 0; k < c.levels.length; k++) values[base + k] = code < 0 ? NaN : 0;
        if (code >= 0 && slot[code]! >= 0) values[base + slot[code]!] = 1;
      }
      j += c.levels.length;
    }
  }
  // numeric columns into the row-major matrix by blocks of rows, so each block's rows stay in cache while
  // every column writes into them (one column at a time over all rows touched a new cache line per value)
  for (let r0 = 0; r0 < nRows; r0 += ENCODE_BLOCK) {
    const r1 = Math.min(nRows, r0 + ENCODE_BLOCK);
    for (const { v, j: col } of numeric) for (let r = r0, at = r0 * nCols + col; r < r1; r++, at += nCols) values[at] = v[r]!;
  }
  return { nRows, nCols, values, featureNames };
}

/** Per-row category codes of a column (numbers read as their text) and code → level slot (−1 = unseen). */
function levelSlots(col: DataColumn, levels: string[]): { codes: Int32Array; slot: Int32Array } {
  const at = new Map(levels.map((l, k) => [l, k]));
  if (col.kind === 'category') return { codes: col.codes, slot: Int32Array.from(col.dict, (s) => at.get(s) ?? -1) };
  const dict: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(col.values, (v) => {
    if (v !== v) return -1;
    const s = col.boolean ? String(v === 1) : String(v);
    let c = index.get(s);
    if (c === undefined) { c = dict.push(s) - 1; index.set(s, c); }
    return c;
  });
  return { codes, slot: Int32Array.from(dict, (s) => at.get(s) ?? -1) };
}
