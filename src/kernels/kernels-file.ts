/**
 * kernels.json: both classes' kernels as explicit source × destination matrices (rows = source) with the
 * vocabulary, the raw counts and the sessions they pool — enough to refit, merge, sample and score again.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { alignCounts, mergeCounts, type CountMatrix } from './count-matrix.js';
import { CLASSES, kernelMatrix, smoothingFor, type ClassFit, type ClassName } from './kernel.js';
import { WEIGHTINGS } from './kernel-divergence.js';
import type { KernelsModel, KernelsReport } from './fit-kernels.js';
import { POOLINGS } from './session-transitions.js';
import { sortedVocabulary, STATE_MODES } from './states.js';
import { withOldConflictKey } from '../events/session-index.js';

export const KERNELS_FORMAT = 'phantom.kernels';
export const KERNELS_VERSION = 1;

const matrix = z.array(z.array(z.number().nullable()));
const classSchema = z.object({
  sessions: z.number().int().nonnegative(),
  transitions: z.number().nonnegative(),
  kernel: matrix,
  counts: matrix,
  /** present for mean-of-rows pooling: Σ of per-session normalised rows */
  mass: matrix.optional(),
  sessionIds: z.array(z.string()),
  sessionTransitions: z.array(z.number().int().nonnegative()),
});
const fileSchema = z.object({
  format: z.literal(KERNELS_FORMAT),
  version: z.literal(KERNELS_VERSION),
  params: z.object({
    state: z.enum(STATE_MODES), boundary: z.boolean(), pooling: z.enum(POOLINGS),
    smoothing: z.number().nonnegative(), weighting: z.enum(WEIGHTINGS),
  }),
  vocabulary: z.array(z.string()),
  order: z.number().int().min(1).optional(),
  classes: z.object({ human: classSchema, agent: classSchema }),
}).passthrough();

function rows(values: Float64Array, size: number): (number | null)[][] {
  const out: (number | null)[][] = [];
  for (let a = 0; a < values.length / size; a++) out.push(Array.from(values.subarray(a * size, (a + 1) * size), (x) => (Number.isFinite(x) ? x : null)));
  return out;
}

function fromRows(m: (number | null)[][], size: number, what: string): CountMatrix {
  if (m.length !== size || m.some((r) => r.length !== size)) throw new UsageError(`kernels file: ${what} is not ${size}×${size} like the vocabulary`);
  const values = new Float64Array(size * size);
  m.forEach((r, a) => r.forEach((x, b) => (values[a * size + b] = x ?? NaN)));
  return { size, values };
}

/**
 * The JSON document of a fit (kernels smoothed with the fit's α; `<end>` absorbing).
 * @example await atomicWriteFile('kernels.json', JSON.stringify(kernelsToJson(report)))
 */
export function kernelsToJson(report: KernelsModel & Partial<Omit<KernelsReport, keyof KernelsModel>>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const v = report.vocabulary.length, order = report.order ?? 1;
  // at order k no history ends in <end>, so no row is the absorbing one
  const sm = order > 1 ? { ...smoothingFor(report.params.smoothing, report.vocabulary), end: -1 } : smoothingFor(report.params.smoothing, report.vocabulary);
  const classes = Object.fromEntries(CLASSES.map((c) => {
    const f = report.classes[c];
    return [c, {
      sessions: f.sessions, transitions: f.transitions,
      kernel: rows(kernelMatrix(f.mass, sm), v),
      counts: rows(f.counts.values, v),
      ...(report.params.pooling === 'mean-of-rows' ? { mass: rows(f.mass.values, v) } : {}),
      sessionIds: f.sessionIds,
      sessionTransitions: f.sessionTransitions,
    }];
  }));
  const nullPart = report.null ? { ...report.null, sample: { kl: Array.from(report.null.sample.kl), js: Array.from(report.null.sample.js) } } : undefined;
  const higher = order > 1 ? { order, histories: report.histories } : {};
  return { format: KERNELS_FORMAT, version: KERNELS_VERSION, params: report.params, vocabulary: report.vocabulary, ...higher, classes, divergence: report.divergence, null: nullPart, sessions: report.sessions === undefined ? undefined : withOldConflictKey(report.sessions), ...extra };
}


/** Validate a parsed kernels.json and rebuild the model (every problem listed with its path). */
export function parseKernels(value: unknown, source: string): KernelsModel {
  const r = fileSchema.safeParse(value);
  if (!r.success) throw new UsageError(`${source} is not a phantom kernels file: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const f = r.data, v = f.vocabulary.length;
  if ((f.order ?? 1) > 1) throw new UsageError(`${source} holds order-${f.order} kernels; scoring against a stored kernel needs order 1 (refit with --order 1)`);
  const classes = Object.fromEntries(CLASSES.map((c) => {
    const k = f.classes[c];
    const counts = fromRows(k.counts, v, `classes.${c}.counts`);
    const mass = k.mass ? fromRows(k.mass, v, `classes.${c}.mass`) : counts;
    if (f.params.pooling === 'mean-of-rows' && !k.mass) throw new UsageError(`${source}: mean-of-rows pooling needs classes.${c}.mass`);
    if (k.sessionTransitions.length !== k.sessionIds.length) throw new UsageError(`${source}: classes.${c}.sessionTransitions must list one count per session id`);
    return [c, { sessions: k.sessions, transitions: k.transitions, counts, mass, sessionIds: k.sessionIds, sessionTransitions: k.sessionTransitions } satisfies ClassFit];
  })) as Record<ClassName, ClassFit>;
  return { params: f.params, vocabulary: f.vocabulary, classes };
}

/** Read and validate kernels.json. */
export async function readKernelsFile(path: string): Promise<KernelsModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--kernels: cannot read ${path}`);
  }
  try {
    return parseKernels(JSON.parse(text), path);
  } catch (err) {
    if (err instanceof SyntaxError) throw new UsageError(`--kernels: ${path} is not valid JSON (${err.message})`);
    throw err;
  }
}

/** The same model over a larger (sorted) vocabulary. */
export function alignModel(m: KernelsModel, vocabulary: readonly string[]): KernelsModel {
  const align = (x: CountMatrix) => alignCounts(x, m.vocabulary, vocabulary);
  const classes = Object.fromEntries(CLASSES.map((c) => {
    const f = m.classes[c];
    const counts = align(f.counts);
    return [c, { ...f, counts, mass: f.mass === f.counts ? counts : align(f.mass) }];
  })) as Record<ClassName, ClassFit>;
  return { params: m.params, vocabulary: [...vocabulary], classes };
}

/**
 * Pool two fits of disjoint sessions made with the same state, boundary and pooling (e.g. two days of data).
 * @example mergeKernels(await readKernelsFile('mon.json'), await readKernelsFile('tue.json'))
 */
export function mergeKernels(a: KernelsModel, b: KernelsModel): KernelsModel {
  for (const k of ['state', 'boundary', 'pooling'] as const) {
    if (a.params[k] !== b.params[k]) throw new UsageError(`cannot merge kernels fitted with different ${k} (${String(a.params[k])} and ${String(b.params[k])})`);
  }
  const vocabulary = sortedVocabulary([...a.vocabulary, ...b.vocabulary], a.params.boundary);
  const x = alignModel(a, vocabulary), y = alignModel(b, vocabulary);
  const classes = Object.fromEntries(CLASSES.map((c) => {
    const seen = new Set(x.classes[c].sessionIds);
    const dup = y.classes[c].sessionIds.find((id) => seen.has(id));
    if (dup !== undefined) throw new UsageError(`cannot merge kernels: session ${dup} is in both fits (${c})`);
    const p = x.classes[c], q = y.classes[c];
    const counts = mergeCounts(p.counts, q.counts);
    return [c, {
      sessions: p.sessions + q.sessions, transitions: p.transitions + q.transitions, counts,
      mass: a.params.pooling === 'pooled' ? counts : mergeCounts(p.mass, q.mass), sessionIds: [...p.sessionIds, ...q.sessionIds],
      sessionTransitions: [...p.sessionTransitions, ...q.sessionTransitions],
    }];
  })) as Record<ClassName, ClassFit>;
  return { params: a.params, vocabulary, classes };
}
