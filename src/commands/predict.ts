/**
 * `phantom predict`: score sessions with a classifier — phantom's, or an XGBoost JSON model trained
 * elsewhere whose features the data has by name (docs/classifier.md). Writes scores.parquet / .csv.
 */
import type { Command } from 'commander';
import { modelMatrix, readClassifierModel, writeScoresFile } from '../models/classifier/index.js';

import type { DataColumn } from '../models/dataset/index.js';
import { predictProbabilities } from '../models/calibration/index.js';
import { action, info, numberOption, printJson, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { readInputTable } from './train-classifier.js';
import { checkInputs, checkOutputs, MODEL_INPUT, SESSIONS_INPUT } from './input-checks.js';

/** Identifier columns copied to the scores when the input has them. */
const ID_COLUMNS = ['sessionId', 'experimentId'];

interface PredictFlags extends GlobalOptions {
  out: string;
  threshold?: number;
}

export function define(cmd: Command): void {
  withGlobalOptions(cmd)
    .argument('<model>', 'model.json (phantom train-classifier, or xgboost save_model JSON)')
    .argument('<sessions>', 'sessions.parquet or .csv with the model\'s feature columns (labels not needed)')
    .requiredOption('-o, --out <scores>', 'scores: .parquet or .csv (id columns, probability, predicted)')
    .option('--threshold <p>', "probability at which a row is predicted positive (default: the model's, else 0.5)", numberOption('--threshold', 0, 1))
    .addHelpText('after', `
Examples:
  $ phantom predict model.json sessions.parquet -o scores.parquet
  $ phantom predict xgb-model.json sessions.csv -o scores.csv --threshold 0.7 --json`)
    .action(
      action('predict', async (modelPath: string, input: string, flags: PredictFlags) => {
        await checkInputs([modelPath], MODEL_INPUT, "predict's <model> must be");
        await checkInputs([input], SESSIONS_INPUT, "predict's <sessions> must be");
        await checkOutputs({ files: { '-o': flags.out } });
        const { model, meta } = await readClassifierModel(modelPath);
        const table = await readInputTable(input);
        const X = modelMatrix(table, model, meta);
        const { probability, calibration } = predictProbabilities({ model, meta }, X); // calibrated when the model carries a calibrator
        const threshold = flags.threshold ?? meta?.threshold.value ?? 0.5;
        let ids: DataColumn[] = table.columns.filter((c) => ID_COLUMNS.includes(c.name));
        if (ids.length === 0) ids = [{ name: 'row', kind: 'numeric', values: Float64Array.from({ length: table.nRows }, (_, i) => i), boolean: false }];
        await writeScoresFile(flags.out, {
          ids, probability, threshold,
          metadata: { 'phantom.model': modelPath, 'phantom.label': meta?.label ?? '', 'phantom.threshold': String(threshold), 'phantom.calibration': calibration },
        });
        let positive = 0, sum = 0;
        for (let i = 0; i < probability.length; i++) { sum += probability[i]!; if (probability[i]! >= threshold) positive++; }
        const summary = {
          model: modelPath, trainedBy: meta ? 'phantom' : 'elsewhere', rows: table.nRows, features: X.nCols, threshold, calibration,
          predictedPositive: positive, meanProbability: table.nRows > 0 ? sum / table.nRows : null, output: flags.out,
        };
        if (flags.json) printJson(summary);
        else info(flags, `scored ${table.nRows.toLocaleString('en-US')} rows with ${modelPath}: ${positive.toLocaleString('en-US')} at or above ${threshold}; wrote ${flags.out}`);
      }),
    );
}
