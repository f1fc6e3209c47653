// The breast-cancer fixture and xgboost 1.7.4 goldens written by test/oracles/gbdt.py.
import { readFileSync } from 'node:fs';
import type { FeatureMatrix } from '../../../src/models/gbdt/matrix.js';
import { createRng } from '../../../src/stats/rng.js';

const golden = (name: string): string => readFileSync(new URL(`../../golden/${name}`, import.meta.url), 'utf8');

/* eslint-disable @typescript-eslint/no-explicit-any */
export const gbdtGolden: any = JSON.parse(golden('gbdt.json'));
export type DataName = 'clean' | 'missing' | 'hash';
export const gbdtConfigs: { seed: number; configs: Record<string, { data: DataName; params: Record<string, number> }> } =
  JSON.parse(golden('gbdt-configs.json'));

export function readGolden(path: string): string {
  return golden(path);
}

interface Dataset { header: string[]; rows: number[][] }

function parseCsv(text: string): Dataset {
  const lines = text.trim().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',').map((v) => (v === 'nan' ? NaN : Number(v)))) };
}

const cancer = parseCsv(golden('gbdt-breast-cancer.csv'));
const nCols = cancer.header.length - 2;
export const featureNames = cancer.header.slice(0, nCols);

/** Rows of the fixture as a matrix; with `missing`, the oracle's NaN rule: feature j < 10 of row i when (7i + 13j) % 11 = 0. */
export function cancerMatrix(which: 'all' | 'train' | 'test', missing: boolean): { X: FeatureMatrix; y: number[] } {
  const idx = cancer.rows.map((_, i) => i).filter((i) => which === 'all' || (cancer.rows[i]![nCols + 1] === 1) === (which === 'test'));
  const values = new Float64Array(idx.length * nCols);
  idx.forEach((i, k) => {
    for (let j = 0; j < nCols; j++) values[k * nCols + j] = missing && j < 10 && (7 * i + 13 * j) % 11 === 0 ? NaN : cancer.rows[i]![j]!;
  });
  return { X: { nRows: idx.length, nCols, values, featureNames: [...featureNames] }, y: idx.map((i) => cancer.rows[i]![nCols]!) };
}

/** The 20k-row hash dataset of the oracle (bit-exact integer hash; test rows are i % 5 = 0). */
export function hashMatrix(which: 'all' | 'train' | 'test'): { X: FeatureMatrix; y: number[] } {
  const u = (i: number, j: number): number => {
    let h = (Math.imul(i + 1, 2654435761) + Math.imul(j + 1, 2246822519)) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
    h = Math.imul(h, 2246822519) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    return h / 4294967296;
  };
  const rows: number[] = [];
  for (let i = 0; i < 20000; i++) if (which === 'all' || (i % 5 === 0) === (which === 'test')) rows.push(i);
  const values = new Float64Array(rows.length * 6);
  const y: number[] = [];
  rows.forEach((i, k) => {
    const [a, b, c, d, e, f] = [0, 1, 2, 3, 4, 5].map((j) => u(i, j)) as [number, number, number, number, number, number];
    const x = [Math.floor(a * 1000 + 0.5) / 10, b * b * b * 100, -50 + 100 * c, Math.floor(d * 7), e < 0.1 ? NaN : e * 10, (f - 0.5) * 1e-3];
    values.set(x, k * 6);
    const s = x[0]! / 100 - 0.5 + x[2]! / 100 + (x[3]! - 3) / 6 - (e < 0.1 ? 0.3 : x[4]! / 10 - 0.5);
    y.push(s + (u(i, 99) - 0.5) * 0.8 > 0 ? 1 : 0);
  });
  return { X: { nRows: rows.length, nCols: 6, values, featureNames: ['h0', 'h1', 'h2', 'h3', 'h4', 'h5'] }, y };
}

/** The rows of a named oracle dataset. */
export function dataset(name: DataName, which: 'all' | 'train' | 'test'): { X: FeatureMatrix; y: number[] } {
  return name === 'hash' ? hashMatrix(which) : cancerMatrix(which, name === 'missing');
}

/** The probe rows (values on split thresholds) written next to phantom's exported model. */
export function probeMatrix(): FeatureMatrix {
  const d = parseCsv(golden('gbdt-phantom/probe-rows.csv'));
  return { nRows: d.rows.length, nCols: d.header.length, values: Float64Array.from(d.rows.flat()), featureNames: d.header };
}

/** A synthetic binary problem: n rows, p features, the first four informative, optional NaNs. */
export function synthetic(n: number, p: number, seed: number, nanRate = 0): { X: FeatureMatrix; y: Uint8Array } {
  const rng = createRng(seed);
  const values = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) {
      const x = j % 3 === 0 ? Math.round(rng.normal() * 4) / 4 : rng.normal();
      if (j < 4) s += (j % 2 === 0 ? 1 : -0.8) * x;
      values[i * p + j] = rng.next() < nanRate ? NaN : x;
    }
    y[i] = s + rng.normal() > 0 ? 1 : 0;
  }
  return { X: { nRows: n, nCols: p, values, featureNames: Array.from({ length: p }, (_, j) => `f${j}`) }, y };
}
