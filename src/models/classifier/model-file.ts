/**
 * The classifier's file: XGBoost 1.7 JSON with phantom's metadata under learner.attributes.phantom,
 * written atomically; read back for evaluate/predict (also files trained by xgboost elsewhere).
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import { atomicWriteFile } from '../../io/atomic.js';
import type { BoosterModel } from '../gbdt/model.js';
import { fromXgboostJson } from '../gbdt/xgboost-json-read.js';
import { toXgboostJson } from '../gbdt/xgboost-json-write.js';
import { readClassifierMeta, type ClassifierMeta } from './model-meta.js';

export interface ClassifierModel {
  model: BoosterModel;
  /** null for models trained elsewhere */
  meta: ClassifierMeta | null;
}

/**
 * Write the model file; returns the text written.
 * @example await writeClassifierModel('model.json', { model, meta });
 */
export async function writeClassifierModel(path: string, m: ClassifierModel): Promise<string> {
  const text = toXgboostJson(m.model, m.meta);
  await atomicWriteFile(path, text);
  return text;
}

/**
 * Read an XGBoost JSON model file; problems (unreadable, not a binary tree model, bad metadata) are UsageErrors.
 * @example const { model, meta } = await readClassifierModel('model.json');
 */
export async function readClassifierModel(path: string): Promise<ClassifierModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read model ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return parseClassifierModel(text);
  } catch (err) {
    // one line per error (docs/contract.md §6): a list of problems is joined with "; "
    if (err instanceof UsageError) throw new UsageError(`${path}: ${err.message.replace(/:\n\s+/, ': ').replace(/\n\s+/g, '; ')}`);
    throw err;
  }
}

/**
 * A model file's text → the model and its metadata, exactly as readClassifierModel reads the file (the
 * pipeline keeps the text it wrote instead of reading model.json back).
 * @example const { model, meta } = parseClassifierModel(toXgboostJson(model, meta));
 */
export function parseClassifierModel(text: string): ClassifierModel {
  const read = fromXgboostJson(text);
  return { model: read.model, meta: readClassifierMeta(read.phantomMeta) };
}

export { phantomVersion } from '../../io/provenance.js';
