// Trains phantom's booster on the breast-cancer fixture with each configuration of test/golden/gbdt-configs.json
// and writes the models as XGBoost JSON to test/golden/gbdt-phantom/, for test/oracles/gbdt.py to load in
// xgboost 1.7.4. Also writes probe rows whose values sit exactly on (and a hair below) split thresholds.
// Run by gbdt.py after `npx tsc -p tsconfig.json`; by hand: node test/oracles/gbdt-export.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const gbdt = await import(join(root, 'dist', 'models', 'gbdt', 'index.js'));
const { createRng } = await import(join(root, 'dist', 'stats', 'rng.js'));
const golden = join(root, 'test', 'golden');
const outDir = join(golden, 'gbdt-phantom');
mkdirSync(outDir, { recursive: true });

const lines = readFileSync(join(golden, 'gbdt-breast-cancer.csv'), 'utf8').trim().split('\n');
const header = lines[0].split(',');
const nCols = header.length - 2;
const rows = lines.slice(1).map((l) => l.split(',').map(Number));
const { seed, configs } = JSON.parse(readFileSync(join(golden, 'gbdt-configs.json'), 'utf8'));

function matrix(rowList, withMissing) {
  const values = new Float64Array(rowList.length * nCols);
  rowList.forEach((r, k) => {
    for (let j = 0; j < nCols; j++) {
      const i = r.index;
      values[k * nCols + j] = withMissing && j < 10 && (7 * i + 13 * j) % 11 === 0 ? NaN : r.values[j];
    }
  });
  return { nRows: rowList.length, nCols, values, featureNames: header.slice(0, nCols) };
}

const all = rows.map((values, index) => ({ values, index, y: values[nCols], test: values[nCols + 1] === 1 }));
const train = all.filter((r) => !r.test);
for (const [name, cfg] of Object.entries(configs)) {
  if (cfg.data === 'hash') continue; // xgboost-trained only: covers the streaming sketch
  const X = matrix(train, cfg.data === 'missing');
  const { model } = gbdt.trainBooster(X, train.map((r) => r.y), cfg.params, { rng: createRng(seed) });
  writeFileSync(join(outDir, `${name}.json`), gbdt.toXgboostJson(model, { config: name, seed, fixture: 'gbdt-breast-cancer.csv' }));
  if (name === 'missing') writeProbe(model, matrix(all, true));
}

/** Rows that copy a data row and put one split feature exactly on the threshold, a double just below it, or NaN. */
function writeProbe(model, X) {
  const out = [header.slice(0, nCols).join(',')];
  let count = 0;
  for (const tree of model.trees) {
    for (let node = 0; node < tree.left.length && count < 150; node++) {
      if (tree.left[node] === -1) continue;
      const f = tree.feature[node];
      const t = tree.threshold[node];
      const below = t === 0 ? -1e-300 : t > 0 ? t * (1 - 2 ** -40) : t * (1 + 2 ** -40);
      for (const v of [t, below, NaN]) {
        const base = (count * 37) % X.nRows;
        const row = Array.from(X.values.subarray(base * nCols, (base + 1) * nCols));
        row[f] = v;
        out.push(row.map((x) => (Number.isNaN(x) ? 'nan' : String(x))).join(','));
      }
      count++;
    }
  }
  writeFileSync(join(outDir, 'probe-rows.csv'), out.join('\n') + '\n');
}
console.error(`wrote ${Object.values(configs).filter((c) => c.data !== 'hash').length} phantom models and probe rows to ${outDir}`);
