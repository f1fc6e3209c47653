/**
 * Lining a table up with a model's features. A phantom model re-applies its stored encoding; a model
 * trained elsewhere is matched by feature name: a numeric or boolean column of that name, or one level
 * of a text column one-hot encoded as `<column>=<level>` or `<column>_<level>` (pandas' get_dummies).
 * Every feature the data cannot supply is named in one error.
 */
import { UsageError } from '../../errors.js';
import type { DataColumn, DataTable } from '../dataset/data-table.js';
import { encodeTable } from '../dataset/encoding.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import type { BoosterModel } from '../gbdt/model.js';
import type { ClassifierMeta } from './model-meta.js';

type Category = Extract<DataColumn, { kind: 'category' }>;
type Source = { column: Extract<DataColumn, { kind: 'numeric' }> } | { column: Category; level: string };

/**
 * The matrix a model scores, in the model's feature order.
 * @example const X = modelMatrix(table, model, meta); const p = predictBooster(model, X);
 */
export function modelMatrix(t: DataTable, model: BoosterModel, meta: ClassifierMeta | null): FeatureMatrix {
  if (meta !== null) {
    const X = encodeTable(t, meta.encoding);
    const differs = X.featureNames.length !== model.featureNames.length || X.featureNames.some((n, i) => n !== model.featureNames[i]);
    if (differs) throw new UsageError("the model's phantom metadata does not describe its features (feature_names differ from the stored encoding); the file was edited");
    return X;
  }
  if (model.featureNames.length === 0) {
    throw new UsageError(`the model has no feature_names (${model.numFeature} unnamed features); phantom matches features by name — save the model from a DMatrix or DataFrame with column names`);
  }
  const byName = new Map(t.columns.map((c) => [c.name, c]));
  const categories = t.columns.filter((c): c is Category => c.kind === 'category').sort((a, b) => b.name.length - a.name.length);
  const missing: string[] = [];
  const sources = model.featureNames.map((name): Source | null => {
    const col = byName.get(name);
    if (col?.kind === 'numeric') return { column: col };
    for (const c of categories) {
      for (const sep of ['=', '_']) if (name.startsWith(c.name + sep)) return { column: c, level: name.slice(c.name.length + 1) };
    }
    missing.push(col?.kind === 'category' ? `${name} (holds text; the model expects numbers)` : name);
    return null;
  });
  if (missing.length > 0) {
    throw new UsageError(`the data lacks ${missing.length} of the model's ${model.featureNames.length} features: ${missing.join(', ')}`);
  }
  const nRows = t.nRows, nCols = sources.length;
  const values = new Float64Array(nRows * nCols);
  sources.forEach((s, j) => {
    if (!('level' in s!)) {
      const v = s!.column.values;
      for (let r = 0; r < nRows; r++) values[r * nCols + j] = v[r]!;
      return;
    }
    const { column, level } = s;
    const hit = column.dict.indexOf(level);
    for (let r = 0; r < nRows; r++) {
      const code = column.codes[r]!;
      values[r * nCols + j] = code < 0 ? NaN : code === hit ? 1 : 0;
    }
  });
  return { nRows, nCols, values, featureNames: [...model.featureNames] };
}
