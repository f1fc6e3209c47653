/**
 * Write a booster as the XGBoost 1.7 JSON model (what `Booster.save_model('m.json')` writes in 1.7.4):
 * keys in xgboost's (alphabetical) order, parameters as strings, trees as parallel arrays, phantom's
 * own metadata JSON-stringified under learner.attributes.phantom.
 */
import { UsageError } from '../../errors.js';
import { formatFloat32, formatParamFloat, writeJson, type JsonOut } from './json-writer.js';
import type { BoosterModel } from './model.js';
import { isDeletedNode, type Tree } from './tree.js';

/** The xgboost version whose format is written. */
export const XGBOOST_FORMAT_VERSION = [1, 7, 4] as const;

/**
 * Serialise a model to XGBoost 1.7 JSON text, loadable by `xgboost.Booster(model_file=…)`.
 * `phantomMeta` (feature order, encodings, params, fingerprint, metrics …) goes under
 * learner.attributes.phantom; pass null to write none.
 * @example await atomicWriteFile('model.json', toXgboostJson(model, { params }));
 */
export function toXgboostJson(model: BoosterModel, phantomMeta: object | null): string {
  const attrs: Record<string, string> = { ...model.attributes };
  if (phantomMeta !== null) attrs.phantom = JSON.stringify(phantomMeta);
  const attributes: { [k: string]: JsonOut } = {};
  for (const [k, v] of Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) attributes[k] = v;
  const numFeature = String(model.numFeature);
  const doc: JsonOut = {
    learner: {
      attributes,
      feature_names: [...model.featureNames],
      feature_types: [...model.featureTypes],
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: '1', num_trees: String(model.trees.length), size_leaf_vector: '0' },
          tree_info: new Int32Array(model.trees.length),
          trees: model.trees.map((t, i) => treeJson(t, i, numFeature)),
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: formatFloat32(model.baseScore),
        boost_from_average: '0',
        num_class: '0',
        num_feature: numFeature,
        num_target: '1',
      },
      objective: { name: model.objective, reg_loss_param: { scale_pos_weight: formatParamFloat(model.scalePosWeight) } },
    },
    version: [...XGBOOST_FORMAT_VERSION],
  };
  return writeJson(doc);
}

function treeJson(t: Tree, id: number, numFeature: string): JsonOut {
  const n = t.left.length;
  const splitConditions = new Float32Array(n);
  let deleted = 0;
  for (let i = 0; i < n; i++) {
    const leaf = t.left[i] === -1;
    if (isDeletedNode(t, i)) deleted++;
    // xgboost 1.7's CPU predictor reads the right child as left + 1
    if (!leaf && t.right[i] !== t.left[i]! + 1) {
      throw new UsageError(`tree ${id} node ${i}: children ${t.left[i]}, ${t.right[i]} are not a consecutive pair; xgboost 1.7 would mispredict this file`);
    }
    splitConditions[i] = leaf ? t.value[i]! : t.threshold[i]!;
  }
  return {
    base_weights: t.baseWeight,
    categories: [], categories_nodes: [], categories_segments: [], categories_sizes: [],
    default_left: t.defaultLeft,
    id,
    left_children: t.left,
    loss_changes: t.lossChange,
    parents: t.parent,
    right_children: t.right,
    split_conditions: splitConditions,
    split_indices: t.feature,
    split_type: new Uint8Array(n),
    sum_hessian: t.sumHessian,
    tree_param: { num_deleted: String(deleted), num_feature: numFeature, num_nodes: String(n), size_leaf_vector: '0' },
  };
}
