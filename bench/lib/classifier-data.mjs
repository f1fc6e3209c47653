// The synthetic classification data of bench/classifier.mjs, shared by bench/booster-threads.mjs and
// bench/predict.mjs so the three benches train and score the same rows: n rows × nCols normals (a third
// rounded to quarters, so ties), 5 % NaN in features 5–9, a nonlinear label with noise.

/** The number after `--name` on the command line, or `dflt`. */
export const numArg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

/** `{ X: FeatureMatrix, y }` for `n` rows drawn from phantom's seeded `createRng(seed)` (dist/stats/rng.js). */
export function classifierData(createRng, n, nCols, seed) {
  const rng = createRng(seed);
  const values = new Float64Array(n * nCols);
  const y = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < nCols; c++) {
      const x = c % 3 === 0 ? Math.round(rng.normal() * 4) / 4 : rng.normal();
      values[r * nCols + c] = c >= 5 && c < 10 && rng.next() < 0.05 ? NaN : x;
    }
    const x = (c) => (Number.isNaN(values[r * nCols + c]) ? 0 : values[r * nCols + c]);
    const s = 0.9 * x(0) - 0.7 * x(1) + 0.6 * x(2) * x(3) + Math.sin(2 * x(4)) + 0.5 * x(5) - 0.4 * Math.abs(x(6)) - 0.8;
    y[r] = s + 0.9 * rng.normal() > 0 ? 1 : 0;
  }
  return { X: { nRows: n, nCols, values, featureNames: Array.from({ length: nCols }, (_, j) => `f${j}`) }, y };
}
