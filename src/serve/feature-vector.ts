/**
 * Lining a live session's features up with the columns a model or a rules tree was fitted on. A column
 * is a numeric feature by name, or one level of a category feature one-hot encoded as
 * `<feature>=<level>` (also read: `<feature>_<level>`, pandas' get_dummies naming). Names are resolved
 * once at load time, so an unknown column is a startup error, not a per-request surprise.
 */
import { UsageError } from '../errors.js';
import type { FeatureSpec } from '../features/registry.js';
import type { SessionTable } from '../features/session-table.js';

type Column = { kind: 'numeric'; name: string } | { kind: 'level'; name: string; level: string };

export interface FeatureVectorPlan {
  names: string[];
  columns: Column[];
}

/**
 * Resolve model column names against the features a session table will have.
 * @example const plan = planFeatureVector(model.featureNames, featureSpecs('default'), 'model.json')
 */
export function planFeatureVector(names: readonly string[], features: readonly FeatureSpec[], source: string): FeatureVectorPlan {
  const byName = new Map(features.map((f) => [f.name, f]));
  const categories = features.filter((f) => f.dtype === 'category');
  const unknown: string[] = [];
  const columns = names.map((name): Column => {
    const f = byName.get(name);
    if (f !== undefined && f.dtype !== 'category') return { kind: 'numeric', name };
    for (const c of categories) {
      for (const sep of ['=', '_']) if (name.startsWith(c.name + sep)) return { kind: 'level', name: c.name, level: name.slice(c.name.length + 1) };
    }
    unknown.push(name);
    return { kind: 'numeric', name };
  });
  if (unknown.length > 0) {
    throw new UsageError(`${source} uses columns serve cannot compute from live events: ${unknown.join(', ')} (serve computes the ${features.length} features of the model's feature set; shown-price features need price logs)`);
  }
  return { names: [...names], columns };
}

/**
 * Row `row` of the table as the plan's vector (NaN = missing).
 * @example featureVector(plan, liveSessionFeatures(buffer, settings))
 */
export function featureVector(plan: FeatureVectorPlan, table: SessionTable, row = 0, out = new Float64Array(plan.columns.length)): Float64Array {
  plan.columns.forEach((c, j) => {
    if (c.kind === 'numeric') out[j] = table.columns[c.name]![row]!;
    else {
      const cat = table.categories[c.name]!;
      const code = cat.codes[row]!;
      out[j] = code < 0 ? NaN : cat.dict[code] === c.level ? 1 : 0;
    }
  });
  return out;
}
