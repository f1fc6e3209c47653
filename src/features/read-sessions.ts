/**
 * sessions.parquet → SessionTable, for the commands that consume the feature matrix (train-classifier,
 * evaluate, predict, distill) and for notebooks. Files written by other tools with the same layout are
 * read too: any numeric or boolean column is a numeric feature, any string column after the labels a
 * category feature.
 */
import * as arrow from '../io/arrow.js';
import { UsageError } from '../errors.js';
import { readDictColumn, readFlags, readNumbers, readStrings } from '../io/arrow-columns.js';
import { readParquet } from '../io/parquet.js';
import { FEATURE_SETS, featureSpecs, type FeatureSetName, type FeatureSpec } from './registry.js';
import { LABEL_COLUMNS_KEY } from './label-columns.js';
import type { SessionTable } from './session-table.js';

const NON_FEATURES = new Set(['sessionId', 'experimentId', 'is_agent', 'purchased', 'site', 'session_date']);

function specFor(name: string, type: arrow.DataType, known: Map<string, FeatureSpec>): FeatureSpec {
  const isText = arrow.DataType.isDictionary(type) || arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type);
  const dtype = isText ? 'category' : arrow.DataType.isBool(type) ? 'bool' : arrow.DataType.isInt(type) ? 'int' : 'float';
  const spec = known.get(name);
  if (spec !== undefined && (spec.dtype === 'category') === isText) return spec;
  return { name, group: 'external', dtype, missing: 'as in the file', definition: 'a column phantom did not define (read as is)' };
}

/**
 * Read a session feature file. Numeric features come back as Float64Array (NaN = null), booleans as 0/1,
 * category features (browser_family) as dictionary columns; labels as −1/0/1 flags.
 * @example
 *   const t = await readSessionsParquet('sessions.parquet');
 *   t.columns['interaction_velocity'];   // Float64Array, one value per session
 *   t.isAgent;                            // Int8Array: −1 unknown, 0 human, 1 agent
 *   const X = featureMatrix(t);           // dense row-major matrix for the learners
 */
export async function readSessionsParquet(path: string): Promise<SessionTable> {
  const table = await readParquet(path);
  const n = table.numRows;
  if (table.getChild('sessionId') === null) throw new UsageError(`${path} has no sessionId column: not a sessions file (docs/contract.md §4)`);
  const declared = table.schema.metadata.get('phantom.feature_set');
  const featureSet: FeatureSetName = (FEATURE_SETS as readonly string[]).includes(declared ?? '') ? (declared as FeatureSetName) : 'default';
  const known = new Map(featureSpecs(featureSet, { priceLogs: true, requestColumns: 'all' }).map((f) => [f.name, f]));
  const features: FeatureSpec[] = [];
  const columns: Record<string, Float64Array> = {};
  const categories: SessionTable['categories'] = {};
  const labelNames = new Set<string>(JSON.parse(table.schema.metadata.get(LABEL_COLUMNS_KEY) ?? '[]') as string[]);
  const labelColumns: Record<string, (string | null)[]> = {};
  for (const field of table.schema.fields) {
    if (NON_FEATURES.has(field.name)) continue;
    if (labelNames.has(field.name)) {
      labelColumns[field.name] = readStrings(table.getChild(field.name), n);
      continue;
    }
    const spec = specFor(field.name, field.type, known);
    const vec = table.getChild(field.name);
    features.push(spec);
    if (spec.dtype === 'category') categories[spec.name] = readDictColumn(vec, n);
    else if (arrow.DataType.isBool(field.type)) columns[spec.name] = Float64Array.from(readFlags(vec, n), (x) => (x < 0 ? NaN : x));
    else columns[spec.name] = readNumbers(vec, n);
  }
  return {
    featureSet, features, nSessions: n,
    sessionIds: readStrings(table.getChild('sessionId'), n).map((s) => s ?? ''),
    experimentIds: readStrings(table.getChild('experimentId'), n),
    isAgent: readFlags(table.getChild('is_agent'), n),
    purchased: readFlags(table.getChild('purchased'), n),
    columns, categories, ...(labelNames.size > 0 ? { labelColumns } : {}),
    ...(table.getChild('site') !== null ? { site: readStrings(table.getChild('site'), n) } : {}),
    ...(table.getChild('session_date') !== null ? { sessionDate: readStrings(table.getChild('session_date'), n) } : {}),
  };
}
