/**
 * Read an XGBoost JSON model (1.7 layout; 1.x/2.x files of binary tree boosters also read) — files
 * phantom wrote and files trained by xgboost itself. Every problem found is reported in one UsageError.
 */
import { UsageError } from '../../errors.js';
import type { BinaryObjective, BoosterModel } from './model.js';
import { allocTree, SPLIT_RULE, type Tree } from './tree.js';

type Obj = Record<string, unknown>;
const OBJECTIVES: readonly string[] = ['binary:logistic', 'reg:logistic', 'binary:logitraw'];

export interface ReadModel {
  model: BoosterModel;
  /** Parsed learner.attributes.phantom, or null for models trained elsewhere. */
  phantomMeta: unknown;
}

/**
 * Parse XGBoost JSON model text (or the parsed object).
 * @example const { model, phantomMeta } = fromXgboostJson(await readFile('model.json', 'utf8'));
 */
export function fromXgboostJson(json: string | unknown): ReadModel {
  let doc: unknown = json;
  if (typeof json === 'string') {
    try { doc = JSON.parse(json); } catch (e) { throw new UsageError(`model file is not JSON: ${(e as Error).message}`); }
  }
  const problems: string[] = [];
  const at = (o: unknown, key: string, path: string): Obj => {
    const v = isObj(o) ? o[key] : undefined;
    if (isObj(v)) return v;
    problems.push(`${path}.${key} is missing or not an object`);
    return {};
  };
  const learner = at(doc, 'learner', '$');
  const mparam = at(learner, 'learner_model_param', 'learner');
  const objective = at(learner, 'objective', 'learner');
  const booster = at(learner, 'gradient_booster', 'learner');
  const attrsRaw = at(learner, 'attributes', 'learner');
  const objName = String(objective.name);
  if (!OBJECTIVES.includes(objName)) problems.push(`objective '${objName}' is not a binary tree objective phantom scores (${OBJECTIVES.join(', ')})`);
  if (booster.name !== 'gbtree') problems.push(`booster '${String(booster.name)}' is not supported (only gbtree)`);
  const numFeature = num(mparam.num_feature);
  const baseScore = num(typeof mparam.base_score === 'string' ? mparam.base_score.replace(/^\[|\]$/g, '') : mparam.base_score);
  if (!Number.isInteger(numFeature) || numFeature < 0) problems.push('learner_model_param.num_feature is not an integer');
  if (!Number.isFinite(baseScore)) problems.push('learner_model_param.base_score is not a number');
  if (num(mparam.num_class ?? '0') > 1 || num(mparam.num_target ?? '1') > 1) problems.push('multi-class / multi-target models are not supported');
  const gbm = at(booster, 'model', 'learner.gradient_booster');
  const treesRaw = Array.isArray(gbm.trees) ? gbm.trees : (problems.push('gradient_booster.model.trees is not an array'), []);
  const trees = treesRaw.map((t, i) => readTree(t, i, numFeature, problems));
  if (problems.length > 0) throw new UsageError(`not a usable XGBoost JSON model:\n  ${problems.join('\n  ')}`);

  const attributes: Record<string, string> = {};
  let phantomMeta: unknown = null;
  for (const [k, v] of Object.entries(attrsRaw)) {
    if (k !== 'phantom') { attributes[k] = String(v); continue; }
    try { phantomMeta = JSON.parse(String(v)); } catch { throw new UsageError('learner.attributes.phantom is not valid JSON'); }
  }
  const names = Array.isArray(learner.feature_names) ? learner.feature_names.map(String) : [];
  const types = Array.isArray(learner.feature_types) ? learner.feature_types.map(String) : [];
  const spwRaw = isObj(objective.reg_loss_param) ? objective.reg_loss_param.scale_pos_weight : undefined;
  if (spwRaw !== undefined && !Number.isFinite(num(spwRaw))) throw new UsageError(`not a usable XGBoost JSON model:\n  objective.reg_loss_param.scale_pos_weight is ${JSON.stringify(spwRaw)}, not a finite number`);
  const model: BoosterModel = {
    objective: objName as BinaryObjective, baseScore, scalePosWeight: spwRaw === undefined ? 1 : num(spwRaw),
    numFeature, featureNames: names, featureTypes: types, trees, splitRule: SPLIT_RULE, attributes,
  };
  return { model, phantomMeta };
}

function readTree(raw: unknown, ti: number, numFeature: number, problems: string[]): Tree {
  const o: Obj = isObj(raw) ? raw : {};
  const param: Obj = isObj(o.tree_param) ? o.tree_param : {};
  const n = num(param.num_nodes);
  const where = `tree ${ti}`;
  if (!Number.isInteger(n) || n < 1) { problems.push(`${where}: tree_param.num_nodes is not a positive integer`); return allocTree(0); }
  if (num(param.size_leaf_vector ?? '0') > 1) problems.push(`${where}: vector leaves are not supported`);
  const t = allocTree(n);
  const fields: Array<[string, Int32Array | Float32Array | Uint8Array]> = [
    ['left_children', t.left], ['right_children', t.right], ['parents', t.parent], ['split_indices', t.feature],
    ['default_left', t.defaultLeft], ['base_weights', t.baseWeight], ['loss_changes', t.lossChange], ['sum_hessian', t.sumHessian],
  ];
  const conditions = new Float32Array(n);
  for (const [key, dst] of [...fields, ['split_conditions', conditions] as [string, Float32Array]]) {
    const a = o[key];
    if (!Array.isArray(a) || a.length !== n) { problems.push(`${where}: ${key} must be an array of ${n}`); continue; }
    const integral = dst instanceof Int32Array || dst instanceof Uint8Array;
    for (let i = 0; i < n; i++) {
      const v = a[i];
      // every cell a finite JSON number (integers where the field is an index or flag); a string such as
      // "NaN" would otherwise become a NaN threshold and silently send every row one way
      const x = typeof v === 'boolean' && key === 'default_left' ? Number(v) : typeof v === 'number' ? v : NaN;
      if (!Number.isFinite(x) || (integral && !Number.isInteger(x))) {
        problems.push(`${where}: ${key}[${i}] is ${JSON.stringify(v) ?? String(v)}, not a finite ${integral ? 'integer' : 'number'}`);
        break;
      }
      dst[i] = x;
    }
  }
  const splitType = o.split_type;
  if (Array.isArray(splitType) && splitType.some((v) => Number(v) !== 0)) problems.push(`${where}: categorical splits are not supported`);
  for (let i = 0; i < n; i++) {
    if (t.left[i] === -1) { t.value[i] = conditions[i]!; t.threshold[i] = 0; } else { t.threshold[i] = conditions[i]!; t.value[i] = 0; }
  }
  checkStructure(t, numFeature, where, problems);
  return t;
}

/** From the root every node is reached at most once, children exist, split features are in range. */
function checkStructure(t: Tree, numFeature: number, where: string, problems: string[]): void {
  const n = t.left.length;
  const seen = new Uint8Array(n);
  const stack = [0];
  seen[0] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (t.left[i] === -1) continue;
    if (t.feature[i]! < 0 || t.feature[i]! >= numFeature) { problems.push(`${where}: node ${i} splits on feature ${t.feature[i]} of ${numFeature}`); return; }
    for (const c of [t.left[i]!, t.right[i]!]) {
      if (c < 0 || c >= n || seen[c] === 1) { problems.push(`${where}: node ${i} has an invalid child ${c}`); return; }
      seen[c] = 1;
      stack.push(c);
    }
  }
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
}
